package action

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionStep is a step of action.yml's composite run.
type actionStep struct {
	ID   string            `yaml:"id"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

var (
	exprRe = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)
	// The one if: form action.yml's run steps use.
	ifRe = regexp.MustCompile(`^always\(\) && steps\.([\w-]+)\.outputs\.([\w-]+) == '(\w+)'$`)
)

// TestActionEndToEnd plays action.yml's run steps the way the runner does
// (expressions evaluated, outputs passed between steps, GITHUB_ACTION_PATH
// the checkout) with a release built from this checkout, served on
// loopback, against a loopback API: the three-line workflow of docs/ci.md.
func TestActionEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds corsdiag; not in -short")
	}
	requireTools(t)
	root, _ := filepath.Abs("../..")
	bin := filepath.Join(t.TempDir(), "corsdiag")
	build := exec.Command("go", "build", "-o", bin, "./cmd/corsdiag")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe, _ := os.ReadFile(bin)
	archive := "corsdiag_9.8.7_linux_amd64.tar.gz"
	body := tarGz(t, "corsdiag", exe)
	sum := sha256.Sum256(body)
	releases := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/download/v9.8.7/" + archive:
			w.Write(body)
		case "/download/v9.8.7/corsdiag_9.8.7_checksums.txt":
			fmt.Fprintf(w, "%s  %s\n", hex.EncodeToString(sum[:]), archive)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(releases.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/public" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
	}))
	t.Cleanup(api.Close)

	workspace := t.TempDir()
	config := fmt.Sprintf("defaults: {origin: \"https://app.example.com\"}\nchecks:\n  - name: items\n    url: %s/items\n  - name: public\n    url: %s/public\n", api.URL, api.URL)
	if err := os.WriteFile(filepath.Join(workspace, "corsdiag.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}

	var action struct {
		Runs struct{ Steps []actionStep } `yaml:"runs"`
	}
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	runner := t.TempDir()
	summary := filepath.Join(runner, "summary.md")
	inputs := map[string]string{"version": "", "config": "corsdiag.yaml", "args": "", "report": "junit=out/cors.xml",
		"sarif": "", "upload-sarif": "false", "fail-on": "error"}
	outputs := map[string]map[string]string{}
	var path []string
	eval := func(expr string) string {
		switch k, rest, _ := strings.Cut(expr, "."); k {
		case "inputs":
			if v, ok := inputs[rest]; ok {
				return v
			}
		case "github":
			if rest == "action_ref" {
				return "v9.8.7"
			}
		case "steps":
			id, name, _ := strings.Cut(rest, ".outputs.")
			return outputs[id][name]
		}
		t.Fatalf("action.yml uses ${{ %s }}, which this test does not know", expr)
		return ""
	}
	var log strings.Builder
	failed := false
	for i, st := range action.Runs.Steps {
		if st.Uses != "" {
			continue // actions/cache, upload-sarif: GitHub's own
		}
		if st.If != "" {
			m := ifRe.FindStringSubmatch(st.If)
			if m == nil {
				t.Fatalf("step %d: if %q not understood by this test", i, st.If)
			}
			if outputs[m[1]][m[2]] != m[3] {
				continue
			}
		}
		dir := t.TempDir()
		out, pathFile := filepath.Join(dir, "output"), filepath.Join(dir, "path")
		cmd := exec.Command("bash", "-e", "-c", st.Run)
		cmd.Dir = workspace
		cmd.Env = []string{"PATH=" + strings.Join(append(path, os.Getenv("PATH")), ":"), "HOME=" + runner,
			"GITHUB_ACTIONS=true", "GITHUB_WORKSPACE=" + workspace, "GITHUB_ACTION_PATH=" + root,
			"GITHUB_OUTPUT=" + out, "GITHUB_PATH=" + pathFile, "GITHUB_STEP_SUMMARY=" + summary,
			"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TEMP=" + runner, "RUNNER_TOOL_CACHE=" + filepath.Join(runner, "tools"),
			"CORSDIAG_RELEASES=" + releases.URL}
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+exprRe.ReplaceAllStringFunc(v, func(s string) string { return eval(exprRe.FindStringSubmatch(s)[1]) }))
		}
		var stdout bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stdout
		err := cmd.Run()
		log.WriteString(stdout.String())
		if err != nil {
			failed = true
			break
		}
		if st.ID != "" {
			outputs[st.ID] = map[string]string{}
			o, _ := os.ReadFile(out)
			for _, line := range strings.Split(string(o), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					outputs[st.ID][k] = v
				}
			}
		}
		if p, _ := os.ReadFile(pathFile); len(p) > 0 {
			path = append(path, strings.TrimSpace(string(p)))
		}
	}
	t.Logf("log:\n%s", log.String())
	if !failed {
		t.Error("the action passed, but a check failed (items has no Access-Control-Allow-Origin)")
	}
	if got := outputs["run"]; got["failures"] != "1" || got["exit-code"] != "1" {
		t.Errorf("run step outputs %v, want failures=1 exit-code=1", got)
	}
	if outputs["resolve"]["version"] != "9.8.7" {
		t.Errorf("resolved %v, want the action's tag v9.8.7", outputs["resolve"])
	}
	for _, want := range []string{"::error file=corsdiag.yaml,line=3,title=CORS check failed::items", "corsdiag exited 1 (fail-on: error)"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "2 checks: 1 passed, 1 failed") {
		t.Errorf("job summary:\n%s", s)
	}
	if x, err := os.ReadFile(filepath.Join(workspace, "out", "cors.xml")); err != nil || !strings.Contains(string(x), "<failure") {
		t.Errorf("JUnit report: %v\n%s", err, x)
	}
}
