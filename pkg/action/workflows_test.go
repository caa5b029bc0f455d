package action

import (
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// tool finds a linter, or skips; CORSDIAG_ACTIONLINT_TESTS=require (CI)
// makes its absence a failure.
func tool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join(build.Default.GOPATH, "bin", name); fileExists(p) {
		return p
	}
	msg := name + " is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; apt-get install shellcheck)"
	if os.Getenv("CORSDIAG_ACTIONLINT_TESTS") == "require" {
		t.Fatal(msg + ", and CORSDIAG_ACTIONLINT_TESTS=require")
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// docWorkflows are the fenced YAML blocks of docs/ci.md announced by a line
// "`.github/workflows/NAME.yml`:", by file name.
func docWorkflows(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?m)^`\\.github/workflows/([\\w.-]+\\.yml)`:\\n\\n```yaml\\n((?s:.*?))^```$")
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		if _, dup := out[m[1]]; dup {
			t.Errorf("docs/ci.md has two workflows named %s", m[1])
		}
		out[m[1]] = m[2]
	}
	return out
}

// actionWorkflow turns action.yml's steps into a reusable workflow with the
// same inputs, so actionlint checks the action's own expressions and
// scripts too (it reads action metadata, but lints only workflows).
func actionWorkflow(t *testing.T, actionYML []byte) []byte {
	t.Helper()
	var action struct {
		Inputs map[string]struct {
			Description string `yaml:"description"`
			Default     string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Steps []yaml.Node `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(actionYML, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	inputs := map[string]any{}
	for name, in := range action.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false, "default": in.Default, "description": in.Description}
	}
	wf := map[string]any{
		"name": "action.yml as a workflow",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps}},
	}
	b, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWorkflowsLint runs actionlint over every workflow of docs/ci.md, with
// corsdiag/corsdiag@v1 pointed at this checkout's action.yml so their
// inputs and outputs are checked against it, and over the action's steps.
func TestWorkflowsLint(t *testing.T) {
	actionlint := tool(t, "actionlint")
	tool(t, "shellcheck") // actionlint checks run: scripts with it when present
	workflows := docWorkflows(t)
	for _, want := range []string{"cors.yml", "cors-pr.yml", "cors-nightly.yml", "cors-code-scanning.yml", "cors-environments.yml"} {
		if _, ok := workflows[want]; !ok {
			t.Errorf("docs/ci.md lost its example .github/workflows/%s", want)
		}
	}
	actionYML, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		workflows map[string]string
		wantErr   string // "" when actionlint must accept them
	}{
		{"docs/ci.md", workflows, ""},
		{"action.yml", map[string]string{"action.yml": string(actionWorkflow(t, actionYML))}, ""},
		// The lint can fail: an input the action does not have, an output it does not set.
		{"unknown input", map[string]string{"bad.yml": strings.Replace(workflows["cors.yml"], "config:", "configg:", 1)}, `input "configg" is not defined in action "corsdiag"`},
		{"unknown output", map[string]string{"bad.yml": strings.Replace(workflows["cors-environments.yml"], "outputs.failures", "outputs.failed", 1)}, `property "failed" is not defined`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := t.TempDir()
			dir := filepath.Join(repo, ".github", "workflows")
			for _, d := range []string{dir, filepath.Join(repo, ".git")} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(repo, "action.yml"), actionYML, 0o644); err != nil {
				t.Fatal(err)
			}
			var files []string
			for name, body := range tt.workflows {
				body = strings.ReplaceAll(body, "uses: corsdiag/corsdiag@v1", "uses: ./")
				files = append(files, filepath.Join(dir, name))
				if err := os.WriteFile(files[len(files)-1], []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(actionlint, append([]string{"-no-color"}, files...)...)
			cmd.Dir = repo
			out, err := cmd.CombinedOutput()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("actionlint: %v\n%s", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(string(out), tt.wantErr)):
				t.Errorf("actionlint accepted a bad workflow or said something else (want %q): %v\n%s", tt.wantErr, err, out)
			}
		})
	}
}

// TestShellcheck lints the action's script.
func TestShellcheck(t *testing.T) {
	shellcheck := tool(t, "shellcheck")
	if out, err := exec.Command(shellcheck, "action.sh").CombinedOutput(); err != nil {
		t.Errorf("shellcheck action.sh: %v\n%s", err, out)
	}
}

// currentMajor is the oldest major of each action that action.yml and the
// workflows of the docs use which GitHub still runs without a deprecation
// warning: Node 20 left the runners on 2026-09-16 (the first Node 24
// releases: checkout v5, cache v5, upload-artifact v6), and CodeQL Action
// v3 is deprecated in December 2026.
var currentMajor = map[string]int{
	"actions/checkout":                  5,
	"actions/cache":                     5,
	"actions/upload-artifact":           6,
	"github/codeql-action/upload-sarif": 4,
}

var usesRE = regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*([\w./-]+)@v(\d+)\s*$`)

// TestActionsAreCurrent: every action the action and the documented
// workflows use is at a major GitHub still supports, so a user's run
// neither warns nor breaks because of what corsdiag chose.
func TestActionsAreCurrent(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	texts := map[string]string{}
	for _, f := range append(files, "../../action.yml", "../../README.md") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(b)
	}
	seen := 0
	for f, text := range texts {
		for _, m := range usesRE.FindAllStringSubmatch(text, -1) {
			name, major := m[1], m[2]
			if name == "corsdiag/corsdiag" {
				continue
			}
			seen++
			want, ok := currentMajor[name]
			n, _ := strconv.Atoi(major)
			switch {
			case !ok:
				t.Errorf("%s uses %s, which currentMajor does not list: add its oldest supported major", f, m[0])
			case n < want:
				t.Errorf("%s uses %s@v%s: want v%d or later", f, name, major, want)
			}
		}
	}
	if seen < len(currentMajor) {
		t.Errorf("found %d uses: lines; the pattern missed some", seen)
	}
}
