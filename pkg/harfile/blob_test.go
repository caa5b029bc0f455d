package harfile

import "testing"

// TestBlobURLIsTheCreatorsOrigin: a blob: URL's origin is its inner URL's
// (the URL standard), so the page's own blob: loads are same-origin: not
// counted or listed as cross-origin requests.
func TestBlobURLIsTheCreatorsOrigin(t *testing.T) {
	blob := entryJSON("2024-01-01T00:00:00.100Z", "GET", "blob:https://app.test/1c6a9d3e-7f0b", "fetch", [][2]string{{"Referer", app + "/"}}, 200, nil, "")
	other := entryJSON("2024-01-01T00:00:00.200Z", "GET", "blob:https://cdn.test/2c6a9d3e-7f0b", "fetch", [][2]string{{"Referer", app + "/"}}, 200, nil, "")
	sum, _ := analyze(t, harOf(blob, other))
	if sum.Requests != 2 || sum.CrossOrigin != 1 {
		t.Errorf("%d requests, %d cross-origin; want 2 and 1 (the other origin's blob: URL)", sum.Requests, sum.CrossOrigin)
	}
}
