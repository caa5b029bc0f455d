package probe

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestLoadKindRequests: the probe sends a font, image, stylesheet, module
// script, EventSource, video or audio request as each browser does (the
// conformance scenarios load-*: Chromium 156, Firefox ESR 153, WebKitGTK
// 2.50): its Accept, Sec-Fetch-Dest, Range and Accept-Encoding, an Origin
// in CORS mode, never a preflight.
// WebKit loads a web font without CORS: no Origin, mode no-cors.
func TestLoadKindRequests(t *testing.T) {
	const gz, firefoxVideo = "gzip, deflate", "video/webm,video/ogg,video/*;q=0.9,application/ogg;q=0.7,audio/*;q=0.6,*/*;q=0.5"
	tests := []struct {
		profile   *cors.Profile
		initiator string
		accept    string
		dest      string
		mode      string
		origin    bool
		// rng and enc are Range and Accept-Encoding ("" : none): a media
		// element asks for the whole resource as a range, not encoded.
		rng, enc string
	}{
		{cors.Chromium, "font", "*/*", "font", "cors", true, "", gz},
		{cors.Firefox, "font", "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8", "font", "cors", true, "", gz},
		{cors.Safari, "font", "*/*", "font", "no-cors", false, "", gz},
		{cors.Chromium, "image", "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "image", "cors", true, "", gz},
		{cors.Firefox, "image", "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "image", "cors", true, "", gz},
		{cors.Safari, "image", "image/webp,image/avif,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "image", "cors", true, "", gz},
		{cors.Chromium, "stylesheet", "text/css,*/*;q=0.1", "style", "cors", true, "", gz},
		{cors.Firefox, "script", "*/*", "script", "cors", true, "", gz},
		{cors.Safari, "eventsource", "text/event-stream", "empty", "cors", true, "", gz},
		{cors.Chromium, "fetch", "*/*", "empty", "cors", true, "", gz},
		{cors.Chromium, "video", "*/*", "video", "cors", true, "bytes=0-", "identity"},
		{cors.Chromium, "audio", "*/*", "audio", "cors", true, "bytes=0-", "identity"},
		{cors.Firefox, "video", firefoxVideo, "video", "cors", true, "bytes=0-", "identity"},
		{cors.Firefox, "audio", "audio/webm,audio/ogg,audio/wav,audio/*;q=0.9,application/ogg;q=0.7,video/*;q=0.6,*/*;q=0.5", "audio", "cors", true, "bytes=0-", "identity"},
		{cors.Safari, "video", "*/*", "video", "cors", true, "", ""},
		{cors.Safari, "audio", "*/*", "audio", "cors", true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.profile.Name+"/"+tt.initiator, func(t *testing.T) {
			srv, s := tlsServer(t, corsOK)
			run(t, Options{Request: cors.Request{Method: "GET", URL: srv.URL + "/f.woff2", Initiator: tt.initiator},
				Profile: tt.profile, Insecure: true, SendActual: true})
			got := s.all()
			if len(got) != 1 || got[0].Method != http.MethodGet {
				t.Fatalf("sent %v; want one GET", s.methods())
			}
			h := got[0].Header
			if a := h.Get("Accept"); a != tt.accept {
				t.Errorf("Accept = %q, want %q", a, tt.accept)
			}
			if d, m := h.Get("Sec-Fetch-Dest"), h.Get("Sec-Fetch-Mode"); d != tt.dest || m != tt.mode {
				t.Errorf("Sec-Fetch-Dest, -Mode = %q, %q; want %q, %q", d, m, tt.dest, tt.mode)
			}
			if o := h.Get("Origin"); (o != "") != tt.origin {
				t.Errorf("Origin = %q; want one: %v", o, tt.origin)
			}
			if r, e := h.Get("Range"), h.Get("Accept-Encoding"); r != tt.rng || e != tt.enc {
				t.Errorf("Range, Accept-Encoding = %q, %q; want %q, %q", r, e, tt.rng, tt.enc)
			}
		})
	}
}

// TestEventStreamNotReadToTheEnd: an EventSource's answer is a stream that
// never ends; the browser has its verdict at the headers, and so must the
// probe: it does not wait for the stream to close, which only the check's
// time limit (here ten minutes) would end. The guard below is a liveness
// check, not a measure of speed.
func TestEventStreamNotReadToTheEnd(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write([]byte("data: hello\n\n"))
		w.(http.Flusher).Flush()
		select { // a stream: open until the client leaves
		case <-r.Context().Done():
		case <-release:
		}
	})
	done := make(chan *Result, 1)
	go func() {
		res, _ := Run(context.Background(), Options{Request: cors.Request{Method: "GET", URL: srv.URL + "/events", Origin: pageOrigin,
			Initiator: "eventsource"}, SendActual: true, Timeout: 10 * time.Minute})
		done <- res
	}()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the probe is still reading the event stream")
	}
	final := res.Exchange.FinalResponse()
	if final == nil || final.Status != 200 || !final.BodyTruncated {
		t.Fatalf("final response %+v; want the 200, its body cut short (the stream goes on)", final)
	}
	if d := cors.Evaluate(res.Exchange); d.Verdict != cors.Allowed {
		t.Errorf("verdict %s: %+v", d.Verdict, d.Findings)
	}
}

// TestMixedImageUpgraded: an https page's <img crossorigin> to plain http
// is upgraded by every browser (pkg/conformance TestMixedContent*): the
// probe asks for the https URL, as the browser does, and the engine judges
// that answer; a font to the same URL is blocked and nothing is sent.
func TestMixedImageUpgraded(t *testing.T) {
	srv, s := tlsServer(t, corsOK)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	routes, err := ParseRoutes([]string{"img.test:" + port + ":127.0.0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cors.AllProfiles {
		plain := "http://img.test:" + port + "/a.png"
		res := run(t, Options{Request: cors.Request{Method: "GET", URL: plain, Origin: "https://app.example.com", Initiator: "image"},
			Routes: routes, Profile: p, Insecure: true})
		if len(res.Exchange.Actual) != 1 || res.Exchange.Actual[0].Request.URL != "https://img.test:"+port+"/a.png" {
			t.Fatalf("%s: sent %+v; want one GET of the https URL", p.Name, res.Exchange.Actual)
		}
		if d := p.Evaluate(res.Exchange); d.Verdict != cors.Allowed || !d.Has(cors.CodeMixedContentUpgraded) || d.Has(cors.CodeMixedContent) {
			t.Errorf("%s: %s %v; want allowed with %s", p.Name, d.Verdict, d.Findings, cors.CodeMixedContentUpgraded)
		}
		n := len(s.all())
		res = run(t, Options{Request: cors.Request{Method: "GET", URL: plain, Origin: "https://app.example.com", Initiator: "font"},
			Routes: routes, Profile: p, Insecure: true})
		if len(s.all()) != n || len(res.Exchange.Actual) != 0 {
			t.Errorf("%s: a mixed font was sent", p.Name)
		}
	}
}

// An upgraded image whose host answers only plain http: the error names
// the https URL, and the hint says why that URL and not the one given.
func TestMixedImageUpgradedUnreachable(t *testing.T) {
	srv, _ := server(t, corsOK)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	routes, err := ParseRoutes([]string{"img.test:" + port + ":127.0.0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Options{Request: cors.Request{Method: "GET", URL: "http://img.test:" + port + "/a.png",
		Origin: pageOrigin, Initiator: "image"}, Routes: routes, Profile: cors.Chromium, Insecure: true, Timeout: 5 * time.Second})
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnreachableError", err)
	}
	if ue.URL != "https://img.test:"+port+"/a.png" || !strings.Contains(ue.Hint, "upgrade") ||
		!strings.Contains(ue.Hint, "http://img.test:"+port+"/a.png") {
		t.Errorf("err = %v (hint %q)", err, ue.Hint)
	}
}
