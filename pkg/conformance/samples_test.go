package conformance

import (
	"strconv"
	"strings"
	"testing"
)

// TestMediaRangeMatchesSample: the 206 scenarios' Content-Range names the
// whole sample the server sends with them; a range that is not the body's
// would fail the load on its own.
func TestMediaRangeMatchesSample(t *testing.T) {
	n := 0
	for _, sc := range loadScenarios(t) {
		if sc.Request.Kind != "video" && sc.Request.Kind != "audio" {
			continue
		}
		size := len(Kinds[sc.Request.Kind].Body)
		want := "bytes 0-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size)
		for _, h := range sc.Response.Headers {
			if strings.EqualFold(h.Name, "Content-Range") {
				n++
				if h.Value != want {
					t.Errorf("%s: Content-Range %q; the sample is %q", sc.Name, h.Value, want)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no media scenario answers 206; the test tests nothing")
	}
}
