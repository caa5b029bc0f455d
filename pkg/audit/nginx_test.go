package audit

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/internal/nginxtest"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// TestNginxAllowListFixPassesAudit serves the nginx allow-list the audit
// prints from a real nginx and audits it: the fix must let the declared
// origins in and no attacker origin. It skips (saying so) without nginx,
// and fails then when CORSDIAG_NGINX_TESTS=require.
func TestNginxAllowListFixPassesAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nginx; not in -short")
	}
	nginx := nginxtest.Binary(t, "the nginx allow-list is not served")
	declared := []string{app, admin}
	ctx := platform.ExampleContext()
	ctx.Origins, ctx.Credentials, ctx.Path = declared, true, "/api/items"
	var snippet string
	for _, f := range platform.AllowListFixes(ctx) {
		if f.Format == platform.FormatNginx {
			snippet = f.Snippet
		}
	}
	maps, location, ok := strings.Cut(snippet, "# in the location")
	if !ok {
		t.Fatalf("the nginx snippet has no location part:\n%s", snippet)
	}
	location = strings.Replace(location, "# ... your existing root or proxy_pass ...", `return 200 '{"items":[]}';`, 1)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	conf := `pid nginx.pid;
error_log stderr;
daemon off;
master_process off;
events {}
http {
    access_log off;
    client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
` + maps + `
    server {
        listen ` + addr + `;
        # in the location` + location + `
    }
}
`
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	// One process (master_process off) writing to a file: killing it
	// leaves nothing behind and nothing holds a pipe open.
	logPath := filepath.Join(dir, "error.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(nginx, "-c", path, "-p", dir, "-e", "stderr")
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	stderr := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	target := "http://" + addr + "/api/items"
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(target)
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not start: %v\n%s\n%s", err, stderr(), conf)
		}
		time.Sleep(20 * time.Millisecond)
	}

	rep, err := Run(context.Background(), Options{URL: target, Origins: declared, Credentials: true, Client: probe.Options{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Policy.Declared {
		if d.Verdict != "allowed" {
			t.Errorf("declared %s: %s (%s) %v", d.Origin, d.Verdict, d.Reported, d.Evidence)
		}
	}
	for _, f := range rep.Findings {
		t.Errorf("finding against the fix: %s %s %s", f.Severity, f.Code, f.Message)
	}
	if rep.Policy.Denied < 20 {
		t.Errorf("only %d attacker origins tried", rep.Policy.Denied)
	}
}
