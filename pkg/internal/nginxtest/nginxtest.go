// Package nginxtest finds nginx for the tests that run it on corsdiag's
// snippets: they skip, saying so, when it is absent, and fail then when
// CORSDIAG_NGINX_TESTS=require (as .ci/run sets).
package nginxtest

import (
	"os"
	"os/exec"
	"testing"
)

// Binary returns the nginx to run: on PATH, else Debian's /usr/sbin (not
// on a user's PATH), the same two places .ci/run accepts. It skips the
// test, saying what goes unchecked, when there is none.
func Binary(t testing.TB, unchecked string) string {
	t.Helper()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx, err = exec.LookPath("/usr/sbin/nginx")
	}
	if err != nil {
		if os.Getenv("CORSDIAG_NGINX_TESTS") == "require" {
			t.Fatalf("CORSDIAG_NGINX_TESTS=require but nginx is missing: %v", err)
		}
		t.Skipf("%s: nginx not installed (apt-get install nginx-light, or set CORSDIAG_NGINX_TESTS=require to fail)", unchecked)
	}
	return nginx
}
