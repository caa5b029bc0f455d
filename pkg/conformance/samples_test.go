package conformance

import (
	"strconv"
	"strings"
	"testing"
)

// TestMediaRangeMatchesSample: the 206 scenarios' Content-Range names the
// whole sample WAV the server sends with them; a range that is not the
// body's would fail the load on its own.
func TestMediaRangeMatchesSample(t *testing.T) {
	want := "bytes 0-" + strconv.Itoa(len(sampleWAV())-1) + "/" + strconv.Itoa(len(sampleWAV()))
	n := 0
	for _, sc := range loadScenarios(t) {
		if sc.Request.Kind != "video" && sc.Request.Kind != "audio" {
			continue
		}
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
