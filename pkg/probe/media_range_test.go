package probe

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestMediaRangeIsTheBrowsers: a media element's request carries the
// browser's own Range (Chromium, Firefox: bytes=0-; WebKitGTK: none),
// never one a caller passed (a replayed file's, a library caller's), and
// a Range no browser would set on it plans no preflight.
func TestMediaRangeIsTheBrowsers(t *testing.T) {
	for _, tt := range []struct {
		profile *cors.Profile
		rng     string // the caller's
		want    string // sent
	}{
		{cors.Chromium, "bytes=5-", "bytes=0-"},
		{cors.Firefox, "bytes=0-1,2-3", "bytes=0-"},
		{cors.Safari, "bytes=5-", ""},
		{cors.Safari, "bytes=0-1,2-3", ""},
	} {
		t.Run(tt.profile.Name+"/"+tt.rng, func(t *testing.T) {
			srv, s := tlsServer(t, corsOK)
			run(t, Options{Request: cors.Request{Method: "GET", URL: srv.URL + "/v.webm", Initiator: "video",
				Header: http.Header{"Range": {tt.rng}}}, Profile: tt.profile, Insecure: true})
			got := s.all()
			if len(got) != 1 || got[0].Method != http.MethodGet {
				t.Fatalf("sent %v; want one GET", s.methods())
			}
			if r := got[0].Header.Get("Range"); r != tt.want {
				t.Errorf("Range = %q, want %q", r, tt.want)
			}
		})
	}
}
