package harfile

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// many is n recorded headers "X-H<i>: v<i>", with an HTTP/2 pseudo-header
// and a repeat of the first name among them.
func many(n int) []Header {
	hs := []Header{{Name: ":authority", Value: "api.test"}}
	for i := 0; i < n; i++ {
		hs = append(hs, Header{Name: fmt.Sprintf("x-h%d", i), Value: fmt.Sprintf("v%d", i)})
	}
	return append(hs, Header{Name: "X-H0", Value: "again"}, Header{Name: "HTTP/1.1 200 OK"})
}

// TestHTTPHeader: the map holds every recorded line under its canonical
// key, in order, whatever the number of headers (the first 64 are sorted
// out in one pass), and drops pseudo-headers and status lines.
func TestHTTPHeader(t *testing.T) {
	for _, n := range []int{0, 1, 8, 63, 64, 65, 100} {
		hs := many(n)
		want := http.Header{}
		for _, h := range hs {
			if headerName(h.Name) {
				k := http.CanonicalHeaderKey(h.Name)
				want[k] = append(want[k], h.Value)
			}
		}
		got, canonical := httpHeader(hs)
		if !reflect.DeepEqual(got, want) || !canonical {
			t.Errorf("%d headers: got %v (canonical %v), want %v", n, got, canonical, want)
		}
	}
}

func TestAuthorHeaders(t *testing.T) {
	pre := &Entry{Request: Request{Headers: []Header{{Name: "Access-Control-Request-Headers", Value: "x-b, content-type, x-missing"}}}}
	for _, tc := range []struct {
		name     string
		recorded []Header
		pre      *Entry
		want     http.Header
	}{
		{"browser and forbidden headers go", []Header{{Name: ":authority", Value: "a"}, {Name: "user-agent", Value: "ua"}, {Name: "cookie", Value: "c"},
			{Name: "sec-fetch-mode", Value: "cors"}, {Name: "accept", Value: "*/*"}, {Name: "X-A", Value: "1"}, {Name: "x-a", Value: "2"}},
			nil, http.Header{"Accept": {"*/*"}, "X-A": {"1", "2"}}},
		// Chrome adds these to Google's hosts (googleapis.com…), exempt
		// from CORS: a copy of a call to Firebase carries them.
		{"Chrome's Google headers go", []Header{{Name: "x-client-data", Value: "CI22yQE="}, {Name: "x-browser-channel", Value: "stable"},
			{Name: "x-browser-copyright", Value: "Copyright 2025 Google LLC. All rights reserved."}, {Name: "x-browser-validation", Value: "qSH0RgPhYS+tEktJTy2ahvLDO9s="},
			{Name: "x-browser-year", Value: "2025"}, {Name: "accept", Value: "*/*"}},
			nil, http.Header{"Accept": {"*/*"}}},
		// Firefox names the alternative service it used (RFC 7838 §5).
		{"Firefox's Alt-Used goes", []Header{{Name: "Alt-Used", Value: "api.example.com"}, {Name: "X-A", Value: "1"}},
			nil, http.Header{"X-A": {"1"}}},
		{"DevTools' no-cache pair goes", []Header{{Name: "Pragma", Value: "no-cache"}, {Name: "cache-control", Value: "No-Cache"}, {Name: "X-A", Value: "1"}},
			nil, http.Header{"X-A": {"1"}}},
		{"a Pragma alone stays", []Header{{Name: "Pragma", Value: "no-cache"}, {Name: "Cache-Control", Value: "max-age=0"}},
			nil, http.Header{"Pragma": {"no-cache"}, "Cache-Control": {"max-age=0"}}},
		{"the preflight names the unsafe ones", []Header{{Name: "x-a", Value: "1"}, {Name: "x-b", Value: "2"}, {Name: "content-type", Value: "application/json"}, {Name: "accept", Value: "*/*"}},
			pre, http.Header{"X-B": {"2"}, "Content-Type": {"application/json"}, "Accept": {"*/*"}, "X-Missing": {"x"}}},
		{"past 64 headers", append(many(70), Header{Name: "Cookie", Value: "c"}, Header{Name: "X-Late", Value: "l"}),
			nil, func() http.Header {
				h, _ := httpHeader(many(70))
				h["X-Late"] = []string{"l"}
				return h
			}()},
	} {
		if got := authorHeaders(tc.recorded, tc.pre); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSplitList(t *testing.T) {
	for v, want := range map[string][]string{
		"": nil, " , ,": nil, "X-B, content-type": {"content-type", "x-b"}, "a,,b,": {"a", "b"},
		" Authorization ": {"authorization"}, "x-a,x-a": {"x-a", "x-a"},
	} {
		if got := splitList(v); !reflect.DeepEqual(got, want) {
			t.Errorf("splitList(%q) = %q, want %q", v, got, want)
		}
	}
}
