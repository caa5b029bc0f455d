package audit

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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

	// nginx inherits the listening socket (NGINX="3;", as in its binary
	// upgrade): a port closed here for nginx to bind again could be given
	// to another test first, and connections queue from now on, so the
	// first request needs no wait for nginx to start. (nginx 1.22 crashes
	// inheriting a socket with master_process off: a master and its
	// worker run, stopped with SIGTERM.)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sock, err := l.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	addr := l.Addr().String()
	dir := t.TempDir()
	conf := `pid nginx.pid;
error_log stderr;
daemon off;
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
	// nginx writes to a file: nothing holds a pipe open.
	logPath := filepath.Join(dir, "error.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(nginx, "-c", path, "-p", dir, "-e", "stderr")
	cmd.Stderr = logFile
	cmd.ExtraFiles = []*os.File{sock}
	cmd.Env = append(os.Environ(), "NGINX=3;")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// exited is closed when nginx ends: before the cleanup, it failed.
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// SIGTERM: the master stops its worker and exits; a SIGKILL
		// would leave the worker behind.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	})
	target := "http://" + addr + "/api/items"
	// The first request waits in the socket's queue until nginx takes it;
	// if nginx ends instead (a bad config), the request is given up.
	up, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		select {
		case <-exited:
			stop()
		case <-up.Done():
		}
	}()
	req, _ := http.NewRequestWithContext(up, http.MethodGet, target, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		<-exited
		b, _ := os.ReadFile(logPath)
		t.Fatalf("nginx did not answer: %v (nginx: %v)\n%s\n%s", err, waitErr, b, conf)
	}
	resp.Body.Close()
	stop()

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
