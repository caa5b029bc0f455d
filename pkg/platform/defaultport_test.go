package platform

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/nginxtest"
)

// answering is a server that sends the CORS headers kv on every answer
// (the preflight's 204 too), as a static configuration does.
func answering(kv ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Add(kv[i], kv[i+1])
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write([]byte("[]"))
	})
}

// TestAllowOriginDefaultPort: a value that is the page's origin with its
// scheme's default port is the cause of the browser's mismatch, on the
// step where it was sent, with a fix for the server that answered; any
// other mismatch is not.
func TestAllowOriginDefaultPort(t *testing.T) {
	// A loopback page: a public http page may not call the loopback test
	// server at all (Local Network Access).
	const httpPage = "http://localhost"
	get := cors.Request{Method: "GET", URL: "/items", Origin: prodOrigin}
	put := cors.Request{Method: "PUT", URL: "/items/1", Origin: httpPage, Header: http.Header{"Content-Type": {"application/json"}}}
	tests := []struct {
		name     string
		h        http.Handler
		req      cors.Request
		step     string // "" : no such cause
		platform string
		message  []string
		fix      []string
	}{
		{name: "nginx, https with :443", req: get,
			h:    answering("Server", "nginx/1.24.0", "Access-Control-Allow-Origin", "https://app.example.com:443", "Vary", "Origin"),
			step: "actual", platform: "nginx",
			message: []string{"'https://app.example.com:443'", "carries the default port :443; browsers compare the serialized origin, https://app.example.com, which never has it"},
			fix:     []string{"Send https://app.example.com: the same value without its port", "[nginx]", "grep -rlZE --exclude='*.bak' 'https://app\\.example\\.com:443([^0-9]|$)' /etc/nginx | xargs -0r cp --parents", "nginx -t"}},
		{name: "express preflight, http with :80", req: put,
			h:    answering("X-Powered-By", "Express", "Access-Control-Allow-Origin", "http://localhost:80", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "Content-Type"),
			step: "preflight", platform: "Express (Node.js)",
			message: []string{"carries the default port :80", "http://localhost, which never has it"},
			fix:     []string{"[express]", "new URL(scheme + '://' + host + ':' + port).origin"}},
		{name: "unknown server", req: get,
			h:    answering("Access-Control-Allow-Origin", "https://app.example.com:443"),
			step: "actual", fix: []string{"[nginx]", "Other forms: --fix-format apache|aws-cli|cloudformation|console|express|go|openapi|sam"}},
		{name: "another port", req: get, h: answering("Access-Control-Allow-Origin", "https://app.example.com:8443")},
		{name: "default port and a slash", req: get, h: answering("Access-Control-Allow-Origin", "https://app.example.com:443/")},
		{name: "another origin with :443", req: get, h: answering("Access-Control-Allow-Origin", "https://admin.example.com:443")},
		{name: "http's port on https", req: get, h: answering("Access-Control-Allow-Origin", "https://app.example.com:80")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diagnose(t, tt.h, tt.req)
			rep := d.Reported()
			if rep == nil || (rep.Code != cors.CodeAllowOriginMismatch && rep.Code != cors.CodePreflightAllowOriginMismatch) {
				t.Fatalf("reported %v, want an allow-origin mismatch", rep)
			}
			if tt.step == "" {
				if d.Has(CodeAllowOriginDefaultPort) {
					t.Fatalf("%s for %s", CodeAllowOriginDefaultPort, rep.FailedParameter)
				}
				return
			}
			c := d.Cause()
			if c == nil || c.Code != CodeAllowOriginDefaultPort || c.Step != tt.step || c.Platform != tt.platform {
				t.Fatalf("cause %+v, want %s at %s on %q", c, CodeAllowOriginDefaultPort, tt.step, tt.platform)
			}
			if rep.FollowsFrom != c.Code || !strings.Contains(rep.BrowserMessage, "that is not equal to the supplied origin") {
				t.Errorf("reported %s follows from %q (console %q); want it to follow from the cause, its line kept", rep.Code, rep.FollowsFrom, rep.BrowserMessage)
			}
			for _, s := range tt.message {
				if !strings.Contains(c.Message, s) {
					t.Errorf("message lacks %q:\n%s", s, c.Message)
				}
			}
			for _, s := range tt.fix {
				if !strings.Contains(c.Fix, s) {
					t.Errorf("fix lacks %q:\n%s", s, c.Fix)
				}
			}
		})
	}
}

// TestDefaultPortEditKeepsTheRest runs the nginx fix's edit on a
// configuration with the value in an add_header line, in a map and in a
// site written into sites-enabled as a file (as cp or Certbot leave one):
// all lose the port; another port (:4430), other headers and a symbolic
// link of sites-enabled stay, a file holding only :4430 is not rewritten,
// the files as they were are copied outside the configuration (a .bak
// beside the site in sites-enabled would be read by include
// sites-enabled/*: a second default_server, nginx -t fails), a second run
// changes nothing, and nginx -t passes.
func TestDefaultPortEditKeepsTheRest(t *testing.T) {
	for _, tool := range []string{"sed", "bash", "mktemp"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: the in-place edit is not run", tool)
		}
	}
	const site = `server {
    listen 127.0.0.1:8080;
    location /api/ {
        add_header Access-Control-Allow-Origin "https://app.example.com:443" always;
        add_header X-Frame-Options DENY;
        add_header X-Upstream https://app.example.com:4430;
        return 200;
    }
    location /v2/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        return 200;
    }
}
`
	const copied = `server {
    listen 127.0.0.1:8081 default_server;
    add_header Access-Control-Allow-Origin https://app.example.com:443 always;
    return 204;
}
`
	const main = nginxTestHead + `    map $http_origin $cors_origin {
        default "https://app.example.com:443";
    }
    include sites-enabled/*;
}
`
	root := t.TempDir()
	dir, home := filepath.Join(root, "nginx"), filepath.Join(root, "home")
	for _, d := range []string{"", "sites-available", "sites-enabled", "tmp", "../home"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("nginx.conf", main)
	write("sites-available/app", site)
	write("sites-available/upstream", "# https://app.example.com:4430 is another port\n")
	write("sites-enabled/api", copied)
	if err := os.Symlink("../sites-available/app", filepath.Join(dir, "sites-enabled", "app")); err != nil {
		t.Fatal(err)
	}
	// The snippet's commands up to nginx -t, on dir.
	var edit []string
	ctx := existingContext(true)
	ctx.Origin = prodOrigin
	for _, f := range Fixes(CodeAllowOriginDefaultPort, ctx) {
		if f.Format != FormatNginx {
			continue
		}
		for _, line := range strings.Split(f.Snippet, "\n") {
			if strings.HasPrefix(line, "nginx -t") {
				break
			}
			if !strings.HasPrefix(line, "#") {
				edit = append(edit, line)
			}
		}
	}
	cmd := strings.Join(edit, "\n")
	if !strings.Contains(cmd, " /etc/nginx") || !strings.Contains(cmd, "sed -i") {
		t.Fatalf("no edit of /etc/nginx in the nginx fix: %q", cmd)
	}
	cmd = "set -e\n" + strings.ReplaceAll(cmd, " /etc/nginx", " '"+dir+"'")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var once string
	for run := 1; run <= 2; run++ {
		c := exec.Command("bash", "-c", cmd)
		c.Env = append(os.Environ(), "HOME="+home)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("run %d: %v\n%s\n%s", run, err, out, cmd)
		}
		now := read("nginx.conf") + read("sites-available/app") + read("sites-enabled/api")
		if run == 2 && now != once {
			t.Fatalf("a second run changed the configuration:\n%s", now)
		}
		once = now
	}
	r := strings.NewReplacer(`"https://app.example.com:443"`, `"https://app.example.com"`, " https://app.example.com:443 ", " https://app.example.com ")
	if want := r.Replace(main + site + copied); once != want {
		t.Errorf("edited:\n%s\nwant:\n%s", once, want)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "sites-enabled", "app")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("sites-enabled/app is no longer a symbolic link: %v", err)
	}
	for _, d := range []string{"", "sites-available", "sites-enabled"} {
		es, err := os.ReadDir(filepath.Join(dir, d))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if n := e.Name(); strings.HasSuffix(n, ".bak") || strings.HasSuffix(n, "~") {
				t.Errorf("a file was added to the configuration: %s", filepath.Join(d, n))
			}
		}
	}
	// The copies as they were: one directory per run that edited.
	kept := map[string]string{}
	_ = filepath.WalkDir(home, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			kept[filepath.Base(p)] = string(b)
		}
		return nil
	})
	if kept["app"] != site || kept["api"] != copied || kept["nginx.conf"] != main || len(kept) != 3 {
		t.Errorf("the copies kept are not the edited files as they were: %q", kept)
	}
	nginx := nginxtest.Binary(t, "the edited configuration is not checked with nginx -t")
	if out, err := exec.Command(nginx, "-t", "-q", "-c", filepath.Join(dir, "nginx.conf"), "-p", dir, "-e", "stderr").CombinedOutput(); err != nil {
		t.Fatalf("nginx -t on the edited configuration: %v\n%s", err, out)
	}
}

// TestDefaultPortSnippetsSerialize runs the Node.js snippet: the origin
// it builds from scheme, host and the default port is the page's.
func TestDefaultPortSnippetsSerialize(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: the Node.js snippet is not run")
	}
	for _, origin := range []string{"https://app.example.com", "http://localhost", "http://[::1]"} {
		ctx := existingContext(true)
		ctx.Origin = origin
		for _, f := range Fixes(CodeAllowOriginDefaultPort, ctx) {
			if f.Format != FormatExpress {
				continue
			}
			out, err := exec.Command(node, "-e", f.Snippet+"\nprocess.stdout.write(allowOrigin);").CombinedOutput()
			if err != nil || string(out) != origin {
				t.Errorf("%s: the snippet gives %q (%v), want %q:\n%s", origin, out, err, origin, f.Snippet)
			}
		}
	}
}
