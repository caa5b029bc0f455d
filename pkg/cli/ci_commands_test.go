package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// runnerCommands reads a job log the way the GitHub Actions runner does
// (actions/runner ActionCommandManager.TryProcessCommand and
// ActionCommand.TryParseV2 / TryParse): a line whose text, after leading
// white space, starts with "::" is a command, and so is "##[name …]"
// anywhere in a line; ::stop-commands::TOKEN ignores every command until
// ::TOKEN::. It returns the commands the runner would run, as
// "name properties" strings.
func runnerCommands(log string) []string {
	registered := map[string]bool{"add-mask": true, "set-output": true, "set-env": true, "add-path": true,
		"error": true, "warning": true, "notice": true, "debug": true, "group": true, "endgroup": true,
		"echo": true, "save-state": true, "add-matcher": true, "remove-matcher": true, "stop-commands": true}
	parse := func(line string) (name, props, data string, ok bool) {
		if l := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(l, "::") {
			if end := strings.Index(l[2:], "::"); end >= 0 {
				info := l[2 : 2+end]
				name, props, _ = strings.Cut(info, " ")
				return name, props, l[2+end+2:], registered[strings.ToLower(name)]
			}
		}
		if i := strings.Index(line, "##["); i >= 0 {
			if end := strings.IndexByte(line[i:], ']'); end >= 0 {
				info := line[i+3 : i+end]
				name, props, _ = strings.Cut(info, " ")
				return name, props, line[i+end+1:], registered[strings.ToLower(name)]
			}
		}
		return "", "", "", false
	}
	var out []string
	stopToken := ""
	for _, line := range strings.Split(log, "\n") {
		name, props, data, ok := parse(line)
		if stopToken != "" {
			// Only the token resumes; it is registered while stopped.
			if l := strings.TrimLeftFunc(line, unicode.IsSpace); strings.HasPrefix(l, "::"+stopToken+"::") {
				stopToken = ""
			}
			continue
		}
		if !ok {
			continue
		}
		if strings.EqualFold(name, "stop-commands") {
			stopToken = data
			continue
		}
		out = append(out, strings.ToLower(name)+" "+props)
	}
	return out
}

// A server's header values reach the text report (the cause quotes
// Access-Control-Allow-Origin). In a GitHub Actions log none of it may run
// as a workflow command: not "##[add-mask]…" anywhere in a line, and not
// "::error::…" that wrapping to COLUMNS puts at the start of a line. The
// only commands are corsdiag's own annotations.
func TestCIServerTextRunsNoWorkflowCommand(t *testing.T) {
	long := strings.Repeat("a", 70) + " ::error::injected-by-server   " + strings.Repeat("b", 30) + " ::add-mask::X"
	tests := []struct {
		name  string
		acao  string
		width int
	}{
		{"legacy add-mask mid-line", "##[add-mask]leak", 0},
		{"legacy set-output", "https://app.example.com ##[set-output name=failures;]0", 0},
		{"stop-commands mid-line", "x ##[stop-commands]pwn", 0},
		{"command at the start of a wrapped line", long, 60},
		{"command at the start of a wrapped line, 80 columns", strings.Repeat("c", 90) + " ::warning::injected", 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", tt.acao)
				fmt.Fprint(w, "{}")
			}))
			defer srv.Close()
			path := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - name: items\n    url: "+srv.URL+"/items\n")
			io, out, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
			if tt.width > 0 {
				io.Width, io.WidthSet = tt.width, true
			}
			if code := Main([]string{"ci", "-f", path, "--retries", "0"}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			if !strings.Contains(out.String(), "::error file=") {
				t.Fatalf("no annotation of corsdiag's own:\n%s", out)
			}
			// The annotation itself must still run: a server's
			// "##[stop-commands]" would silence it.
			ran := runnerCommands(out.String())
			if len(ran) == 0 || !strings.HasPrefix(ran[len(ran)-1], "error file=") {
				t.Errorf("the runner would not run corsdiag's annotation (it ran %q):\n%s", ran, out)
			}
			for _, log := range []string{out.String(), errb.String()} {
				for _, c := range runnerCommands(log) {
					if !strings.HasPrefix(c, "error file=") || !strings.Contains(c, "title=CORS check failed") {
						t.Errorf("the runner would run %q from the server's text:\n%s", c, log)
					}
				}
			}
		})
	}
}

// A config error's annotation is escaped as the runner reads it: ',' and
// ':' in the file property would cut it, '%0A' in the message would
// become a line break (actions/toolkit command.ts escapeProperty, escapeData).
func TestCIConfigAnnotationEscaped(t *testing.T) {
	tests := []struct {
		name, file, config, want string
	}{
		{"comma in the file name", "cors,staging.yaml", "checks:\n  - url: https://a.example/\n    ur: x\n",
			"::error file=cors%2Cstaging.yaml,line=3,title=corsdiag config::unknown key"},
		{"colon in the file name", "cors:staging.yaml", "checks:\n  - url: https://a.example/\n    ur: x\n",
			"::error file=cors%3Astaging.yaml,line=3,"},
		{"percent in the message", "corsdiag.yaml", "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: https://a.example/\n    expect: '100%0A::add-mask::x'\n",
			`title=corsdiag config::check 1 expect must be allow or deny, not "100%250A::add-mask::x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.config), 0o644); err != nil {
				t.Fatal(err)
			}
			io, out, _ := fakeIO(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir})
			if code := Main([]string{"ci", "-f", path}, io); code != ExitUsage {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("stdout = %q, want %q", out, tt.want)
			}
		})
	}
}

// A report written over the config file destroyed it, and two reports to
// one file kept only the last; both are caught before any check runs.
func TestCIReportPathsChecked(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cors.yaml")
	// A closed loopback port: on the old code the run went ahead.
	body := "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - url: " + closedPort(t) + "/\n"
	tests := []struct {
		name    string
		reports []string
		want    string
	}{
		{"over the config", []string{"json=" + cfg}, "is the config file"},
		{"over the config, spelled apart", []string{"junit=" + filepath.Join(dir, "sub", "..", "cors.yaml")}, "is the config file"},
		{"one file twice", []string{"junit=" + filepath.Join(dir, "r.out"), "sarif=" + filepath.Join(dir, "r.out")}, "two reports to one file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
			if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"ci", "-f", cfg, "--retries", "0"}
			for _, r := range tt.reports {
				args = append(args, "--report", r)
			}
			io, _, errb := fakeIO(nil)
			if code := Main(args, io); code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", errb, tt.want)
			}
			if b, _ := os.ReadFile(cfg); string(b) != body {
				t.Errorf("the config file was overwritten:\n%s", b)
			}
		})
	}
}

// The action's args input runs `corsdiag check` in the job log too: its
// text output quotes the server's headers the same way.
func TestCheckServerTextRunsNoWorkflowCommand(t *testing.T) {
	for _, acao := range []string{"##[add-mask]leak", "x ##[stop-commands]pwn", "https://app.example ##[set-output name=failures;]0"} {
		t.Run(acao, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", acao)
				fmt.Fprint(w, "{}")
			}))
			defer srv.Close()
			io, out, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
			if code := Main([]string{"check", srv.URL + "/items", "--origin", "https://app.example.com"}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			if !strings.Contains(out.String(), acao) {
				t.Fatalf("the report does not quote the header:\n%s", out)
			}
			for _, log := range []string{out.String(), errb.String()} {
				if c := runnerCommands(log); len(c) > 0 {
					t.Errorf("the runner would run %q from the server's text:\n%s", c, log)
				}
			}
		})
	}
}

// corsdiag audit, through the action's args input, quotes the answers'
// CORS headers as evidence.
func TestAuditServerTextRunsNoWorkflowCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The declared origin is echoed; an error answer (the unknown
		// path the audit tries) sends a value the report quotes.
		if o := r.Header.Get("Origin"); r.URL.Path != "/items" {
			w.Header().Set("Access-Control-Allow-Origin", o+" ##[add-mask]leak")
		} else if o == "https://app.example.com" {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	io, out, errb := fakeIO(map[string]string{"GITHUB_ACTIONS": "true"})
	Main([]string{"audit", srv.URL + "/items", "--origin", "https://app.example.com", "--credentials", "--rate", "0"}, io)
	if !strings.Contains(out.String(), "##[add-mask]leak") {
		t.Fatalf("the audit report does not quote the header:\n%s", out)
	}
	for _, log := range []string{out.String(), errb.String()} {
		if c := runnerCommands(log); len(c) > 0 {
			t.Errorf("the runner would run %q from the server's text:\n%s", c, log)
		}
	}
}

// Azure Pipelines (docs/ci.md runs corsdiag ci there) runs "##vso[…]"
// anywhere in a line of the log as a logging command (the agent's
// Command.TryParse looks for the prefix with IndexOf), and it has no
// stop-commands: in Azure (TF_BUILD=True) the text reports show the
// server's "##vso[" as "##vso\[".
func TestAzureServerTextRunsNoLoggingCommand(t *testing.T) {
	tests := []struct {
		name, acao string
		args       func(url, cfg string) []string
	}{
		{"ci", "##vso[task.setvariable variable=FAILURES]0", func(u, cfg string) []string { return []string{"ci", "-f", cfg, "--retries", "0"} }},
		{"ci, long and wrapped", strings.Repeat("a", 70) + " ##vso[task.complete result=Succeeded;]done", func(u, cfg string) []string { return []string{"ci", "-f", cfg, "--retries", "0"} }},
		{"ci, other case", "x ##VSO[task.setvariable variable=X]1", func(u, cfg string) []string { return []string{"ci", "-f", cfg, "--retries", "0"} }},
		{"check", "##vso[task.prependpath]/tmp/evil", func(u, cfg string) []string {
			return []string{"check", u + "/items", "--origin", "https://app.example.com"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", tt.acao)
				fmt.Fprint(w, "{}")
			}))
			defer srv.Close()
			cfg := writeConfig(t, "defaults: {origin: 'https://app.example.com'}\nchecks:\n  - name: items\n    url: "+srv.URL+"/items\n")
			io, out, errb := fakeIO(map[string]string{"TF_BUILD": "True"})
			io.Width, io.WidthSet = 60, true
			if code := Main(tt.args(srv.URL, cfg), io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			for _, log := range []string{out.String(), errb.String()} {
				if i := strings.Index(strings.ToLower(log), "##vso["); i >= 0 {
					t.Errorf("the agent would run a logging command: …%s…", log[max(0, i-40):min(len(log), i+60)])
				}
			}
			if !strings.Contains(strings.ToLower(out.String()), `##vso\[`) {
				t.Errorf("the report no longer shows the header:\n%s", out)
			}
		})
	}
}

// logCommandValues are text a file or template may hold that a CI runner
// would run as a command if printed as is, with the runner's variable.
var logCommandValues = []struct{ name, env, value string }{
	{"GitHub", "GITHUB_ACTIONS", "https://other.example ##[add-mask]leak"},
	{"GitHub, stop-commands", "GITHUB_ACTIONS", "x ##[stop-commands]pwn"},
	{"Azure", "TF_BUILD", "https://other.example ##vso[task.setvariable variable=X]1"},
}

// corsdiag har quotes what the file holds (a header value of a stranger's
// recording): in a GitHub Actions or Azure Pipelines log none of it runs.
func TestHarFileTextRunsNoCommand(t *testing.T) {
	for _, tt := range logCommandValues {
		t.Run(tt.name, func(t *testing.T) {
			value, _ := json.Marshal(tt.value)
			har := `{"log":{"version":"1.2","creator":{"name":"Firefox","version":"153.0"},"entries":[{"request":{"method":"GET","url":"https://api.example.com/items","headers":[{"name":"Origin","value":"https://app.example.com"}]},` +
				`"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":` + string(value) + `}]}}]}}`
			path := filepath.Join(t.TempDir(), "s.har")
			if err := os.WriteFile(path, []byte(har), 0o644); err != nil {
				t.Fatal(err)
			}
			io, out, errb := fakeIO(map[string]string{tt.env: "true"})
			if code := Main([]string{"har", path}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s%s", code, out, errb)
			}
			if !strings.Contains(out.String(), "other.example") && !strings.Contains(out.String(), "pwn") {
				t.Fatalf("the report does not quote the header:\n%s", out)
			}
			for _, log := range []string{out.String(), errb.String()} {
				if c := runnerCommands(log); len(c) > 0 {
					t.Errorf("the runner would run %q from the file's text:\n%s", c, log)
				}
				if i := strings.Index(strings.ToLower(log), "##vso["); i >= 0 {
					t.Errorf("the agent would run a logging command: …%s…", log[max(0, i-40):min(len(log), i+60)])
				}
			}
		})
	}
}

// corsdiag lint quotes a template's values (an integration response's
// Access-Control-Allow-Origin), which a pull request writes: linted in a
// GitHub Actions or Azure Pipelines job, none of it runs as a command.
func TestLintTemplateTextRunsNoCommand(t *testing.T) {
	b, err := os.ReadFile("../../testdata/lint/mistakes/cfn-mock-wildcard-credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range logCommandValues {
		t.Run(tt.name, func(t *testing.T) {
			template := strings.Replace(string(b), `"'*'"`, `"'`+tt.value+`'"`, 1)
			if template == string(b) {
				t.Fatal("the template no longer has the mock's '*'")
			}
			path := filepath.Join(t.TempDir(), "template.yaml")
			if err := os.WriteFile(path, []byte(template), 0o644); err != nil {
				t.Fatal(err)
			}
			io, out, errb := fakeIO(map[string]string{tt.env: "true"})
			if code := Main([]string{"lint", path, "--origin", "https://app.example.com", "--credentials"}, io); code != ExitBlocked {
				t.Fatalf("exit %d, want 1: %s", code, errb)
			}
			if tt.env == "TF_BUILD" {
				if strings.Contains(strings.ToLower(out.String()), "##vso[") || !strings.Contains(out.String(), `##vso\[`) {
					t.Errorf("the agent would run the template's logging command, or the report lost it:\n%s", out)
				}
				return
			}
			if !strings.Contains(out.String(), tt.value) {
				t.Fatalf("the report does not quote the template's value:\n%s", out)
			}
			for _, log := range []string{out.String(), errb.String()} {
				if c := runnerCommands(log); len(c) > 0 {
					t.Errorf("the runner would run %q from the template's text:\n%s", c, log)
				}
			}
		})
	}
}
