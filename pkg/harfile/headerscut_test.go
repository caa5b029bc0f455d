package harfile

import (
	"fmt"
	"testing"
)

// A request or response keeps at most MaxHeaders headers; the summary
// counts the entries that had more, so a verdict read without the cut
// headers (an Origin past the cap) is not given as if the file said so.
func TestSummaryCountsCutHeaders(t *testing.T) {
	many := make([][2]string, 0, MaxHeaders+2)
	for i := 0; i < MaxHeaders; i++ {
		many = append(many, [2]string{fmt.Sprintf("X-H%d", i), "v"})
	}
	many = append(many, corsReq...)
	cut := entryJSON("2024-01-01T00:00:00.100Z", "GET", "https://api.test/a", "fetch", many, 200, nil, "")
	respCut := entryJSON("2024-01-01T00:00:00.200Z", "GET", "https://api.test/b", "fetch", corsReq, 200, many[:MaxHeaders+1], "")
	fine := entryJSON("2024-01-01T00:00:00.300Z", "GET", "https://api.test/c", "fetch", corsReq, 200, [][2]string{{"Access-Control-Allow-Origin", app}}, "")
	sum, _ := analyze(t, harOf(cut, respCut, fine))
	if sum.HeadersCut != 2 {
		t.Errorf("HeadersCut = %d, want 2 (one request's headers cut, one response's)", sum.HeadersCut)
	}
}
