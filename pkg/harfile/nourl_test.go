package harfile

import (
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestEntryWithoutURL: an entry whose request has no URL, or one that is
// not absolute (no scheme: a broken or hand-edited export), names nothing
// a browser requested. It is counted, never judged: judged, its "" read
// as a URL whose scheme "" is not http, and har blamed CORS with a console
// line no browser logs ("Fetch API cannot load . URL scheme "" …").
func TestEntryWithoutURL(t *testing.T) {
	failed := func(url string) string {
		return entryJSON("2024-01-01T00:00:00.100Z", "GET", url, "fetch", corsReq, 0, nil, "net::ERR_FAILED")
	}
	sum, rs := analyze(t, harOf(failed(""), failed("ht tp://api.test/x"), failed("api.test/x"), failed("https://api.test/x"), failed("ftp://api.test/x")))
	if sum.Requests != 5 || sum.NoURL != 3 {
		t.Errorf("%d requests, %d without a URL; want 5 and 3", sum.Requests, sum.NoURL)
	}
	if sum.CrossOrigin != 2 || sum.Blocked != 2 {
		t.Errorf("%d cross-origin, %d blocked; want the two with a URL", sum.CrossOrigin, sum.Blocked)
	}
	for _, r := range rs {
		switch r.URL {
		case "https://api.test/x", "ftp://api.test/x":
		default:
			t.Errorf("judged #%d %q: %v", r.Index, r.URL, r.Findings)
		}
		if f := r.Reported(); r.URL == "ftp://api.test/x" && (f == nil || f.Code != cors.CodeCorsDisabledScheme) {
			t.Errorf("ftp: reported %+v, want %s", f, cors.CodeCorsDisabledScheme)
		}
	}
}
