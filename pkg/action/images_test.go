package action

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The GitLab template runs in corsdiag's image with the entrypoint reset
// (GitLab runs the script with the image's shell), and the JUnit report it
// declares is the one its script writes.
func TestGitLabTemplate(t *testing.T) {
	b, err := os.ReadFile("../../docs/corsdiag.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]struct {
		Image struct {
			Name       string   `yaml:"name"`
			Entrypoint []string `yaml:"entrypoint"`
		} `yaml:"image"`
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string `yaml:"when"`
			Reports struct {
				JUnit string `yaml:"junit"`
			} `yaml:"reports"`
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(b, &tpl); err != nil {
		t.Fatalf("docs/corsdiag.gitlab-ci.yml: %v", err)
	}
	job, ok := tpl[".corsdiag"]
	if !ok {
		t.Fatal("no hidden job .corsdiag to extend")
	}
	if !strings.HasPrefix(job.Image.Name, "ghcr.io/corsdiag/corsdiag:") || len(job.Image.Entrypoint) != 1 || job.Image.Entrypoint[0] != "" {
		t.Errorf("image %q entrypoint %q: want corsdiag's image with entrypoint [\"\"]", job.Image.Name, job.Image.Entrypoint)
	}
	script := strings.Join(job.Script, "\n")
	if job.Artifacts.Reports.JUnit == "" || !strings.Contains(script, "--report junit="+job.Artifacts.Reports.JUnit) {
		t.Errorf("the JUnit artifact %q is not what the script writes:\n%s", job.Artifacts.Reports.JUnit, script)
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts when %q: a failing run's report is the one wanted", job.Artifacts.When)
	}
	doc, _ := os.ReadFile("../../docs/ci.md")
	if !strings.Contains(string(doc), "docs/corsdiag.gitlab-ci.yml") {
		t.Error("docs/ci.md does not show how to include the template")
	}
}

// The image can be a CI job image and write into a workspace it does not
// own: a shell for job scripts, root unless --user says otherwise, no
// HEALTHCHECK; and the documented docker run lines run as the caller.
func TestImage(t *testing.T) {
	b, err := os.ReadFile("../../cmd/corsdiag/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var from string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			from = f[1]
		case "USER", "HEALTHCHECK":
			t.Errorf("Dockerfile has %s", line)
		}
	}
	if from != "gcr.io/distroless/static-debian12:debug" {
		t.Errorf("FROM %s: want distroless static with its busybox shell (debug)", from)
	}
	doc, _ := os.ReadFile("../../docs/ci.md")
	runs := regexp.MustCompile(`(?m)^docker run .*(?:\\\n.*)*`).FindAllString(string(doc), -1)
	if len(runs) == 0 {
		t.Fatal("docs/ci.md has no docker run line")
	}
	for _, r := range runs {
		if strings.Contains(r, `-v "$PWD:/work"`) && !strings.Contains(r, `--user "$(id -u):$(id -g)"`) {
			t.Errorf("a docker run line mounts the workspace without running as its owner:\n%s", r)
		}
	}
}
