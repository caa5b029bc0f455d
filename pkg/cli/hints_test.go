package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Errors say how to fix themselves.
func TestErrorsThatFixThemselves(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"misspelt flag", []string{"check", "https://api.example.com/", "--orign", "https://app.example.com"}, "unknown flag --orign: did you mean --origin?"},
		{"misspelt flag of har", []string{"har", "--al", "x.har"}, "did you mean --all?"},
		{"misspelt persistent flag", []string{"har", "--colour", "never", "x.har"}, "did you mean --color?"},
		{"duration without unit", []string{"check", "https://api.example.com/", "--origin", "https://app.example.com", "--timeout", "10"}, "--timeout 10: add a unit: 10s"},
		{"not a duration", []string{"check", "https://api.example.com/", "--origin", "https://app.example.com", "--timeout", "soon"}, `--timeout "soon" is not a duration`},
		{"har without file", []string{"har"}, "har needs a HAR file (or - for standard input)\nUsage: corsdiag har"},
		{"har with two files", []string{"har", "a.har", "b.har"}, `har takes a HAR file (or - for standard input), got 2 arguments ("a.har" "b.har")`},
		{"ci with an argument", []string{"ci", "corsdiag.yaml"}, `ci takes no arguments, got "corsdiag.yaml"`},
		{"origin with a path", []string{"check", "https://api.example.com/", "--origin", "https://app.example.com/dashboard"}, "did you mean https://app.example.com?"},
		{"origin with a port and query", []string{"check", "https://api.example.com/", "--origin", "http://localhost:3000/?x=1"}, "did you mean http://localhost:3000?"},
		{"corsdiag flag after -- curl", []string{"check", "--", "curl https://api.example.com/", "--origin", "https://app.example.com"}, "--origin is a corsdiag flag, but it comes after --"},
		{"corsdiag flag after -- fetch", []string{"check", "--", `fetch("https://api.example.com/", {"method": "GET"});`, "--origin", "https://app.example.com"}, "corsdiag check --origin … -- fetch(…) …"},
		{"corsdiag flag after -- Invoke-WebRequest", []string{"check", "--", "Invoke-WebRequest", "-Uri", "https://api.example.com/", "--browser", "firefox"}, "corsdiag check --browser … -- Invoke-WebRequest …"},
		{"bad --color", []string{"version", "--color", "sometimes"}, `--color "sometimes": want auto, always or never`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(nil, false, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.want)
			}
		})
	}
}

func TestColorDecision(t *testing.T) {
	tests := []struct {
		name     string
		mode     string
		noColor  bool
		terminal bool
		env      map[string]string
		want     bool
	}{
		{"terminal", "auto", false, true, nil, true},
		{"piped", "auto", false, false, nil, false},
		{"always when piped", "always", false, false, nil, true},
		{"never on a terminal", "never", false, true, nil, false},
		{"--no-color", "auto", true, true, nil, false},
		{"NO_COLOR", "auto", false, true, map[string]string{"NO_COLOR": "1"}, false},
		{"FORCE_COLOR when piped", "auto", false, false, map[string]string{"FORCE_COLOR": "1"}, true},
		{"FORCE_COLOR=0", "auto", false, false, map[string]string{"FORCE_COLOR": "0"}, false},
		{"CLICOLOR_FORCE when piped", "auto", false, false, map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{"NO_COLOR beats FORCE_COLOR", "auto", false, true, map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, false},
		{"--color always beats NO_COLOR", "always", false, false, map[string]string{"NO_COLOR": "1"}, true},
		{"TERM=dumb", "auto", false, true, map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _ := fakeIO(tt.env)
			io.ColorMode, io.NoColor, io.OutIsTerminal = tt.mode, tt.noColor, tt.terminal
			if got := io.Color(); got != tt.want {
				t.Errorf("Color() = %v, want %v", got, tt.want)
			}
		})
	}
}

// Shell completion, through cobra's hidden __complete command as the
// shell scripts call it.
func TestCompletion(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		want      []string
		directive string
	}{
		{"har files", []string{"__complete", "har", ""}, nil, ":0"},
		{"har sanitize files", []string{"__complete", "har", "sanitize", ""}, nil, ":0"},
		{"check -o", []string{"__complete", "check", "-o", ""}, []string{"text", "json", "html"}, ":4"},
		{"lint -o", []string{"__complete", "lint", "-o", ""}, []string{"text", "json", "sarif"}, ":4"},
		{"--browser", []string{"__complete", "check", "--browser", ""}, []string{"chromium", "firefox", "safari", "all"}, ":4"},
		{"--preflight", []string{"__complete", "check", "--preflight", ""}, []string{"auto", "always"}, ":4"},
		{"--fix-format", []string{"__complete", "check", "--fix-format", "te"}, []string{"terraform"}, ":4"},
		{"--color", []string{"__complete", "har", "--color", ""}, []string{"auto", "always", "never"}, ":4"},
		{"--report", []string{"__complete", "ci", "--report", ""}, []string{"junit=", "html="}, ":6"},
		{"explain codes", []string{"__complete", "explain", "missing-allow"}, []string{"missing-allow-origin"}, ":4"},
		{"lint --fix-format", []string{"__complete", "lint", "--fix-format", ""}, []string{"sam", "cloudformation", "all"}, ":4"},
		{"--initiator", []string{"__complete", "check", "--initiator", ""}, []string{"fetch", "xhr", "font", "script", "classic-script", "image", "stylesheet", "eventsource", "video", "audio"}, ":4"},
		{"explain -o", []string{"__complete", "explain", "-o", ""}, []string{"text", "json"}, ":4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, _ := runMain(nil, false, tt.args...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if got := lines[len(lines)-1]; got != tt.directive {
				t.Errorf("directive %q, want %q\n%s", got, tt.directive, out)
			}
			for _, w := range tt.want {
				found := false
				for _, l := range lines {
					if strings.HasPrefix(l, w) {
						found = true
					}
				}
				if !found {
					t.Errorf("%q not offered:\n%s", w, out)
				}
			}
		})
	}
}

// freeFormFlags take values no list holds (URLs, origins, headers, files,
// durations, numbers, routes); every other string flag of every command
// completes its values (issue 11). lint's --fix-format, check's
// --initiator and explain's -o had no completion.
var freeFormFlags = map[string]bool{
	"origin": true, "compare-origin": true, "header": true, "request": true, "data": true,
	"data-raw": true, "data-binary": true, "user": true, "cookie": true, "resolve": true,
	"connect-to": true, "timeout": true, "har-out": true, "from-file": true, "url": true,
	"file": true, "route": true, "rate": true, "max-requests": true, "audit-rate": true,
	"concurrency": true, "per-host": true, "retries": true, "cpuprofile": true,
	"output": true, // a file for har sanitize; -o of the others is checked below
}

func TestEveryEnumeratedFlagCompletes(t *testing.T) {
	io, _, _ := fakeIO(nil)
	root := NewRoot(io)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if typ := f.Value.Type(); typ != "string" && typ != "stringArray" {
				return
			}
			_, has := c.GetFlagCompletionFunc(f.Name)
			free := freeFormFlags[f.Name] && !(f.Name == "output" && c.CommandPath() != "corsdiag har sanitize")
			if !has && !free {
				t.Errorf("%s --%s (%s) completes nothing", c.CommandPath(), f.Name, f.Usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
