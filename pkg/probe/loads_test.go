package probe

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestLoadKindRequests: the probe sends a font, image, stylesheet, module
// script or EventSource request as each browser does (the conformance
// scenarios load-*: Chromium 156, Firefox ESR 153, WebKitGTK 2.50): its
// Accept and Sec-Fetch-Dest, an Origin in CORS mode, never a preflight.
// WebKit loads a web font without CORS: no Origin, mode no-cors.
func TestLoadKindRequests(t *testing.T) {
	tests := []struct {
		profile   *cors.Profile
		initiator string
		accept    string
		dest      string
		mode      string
		origin    bool
	}{
		{cors.Chromium, "font", "*/*", "font", "cors", true},
		{cors.Firefox, "font", "application/font-woff2;q=1.0,application/font-woff;q=0.9,*/*;q=0.8", "font", "cors", true},
		{cors.Safari, "font", "*/*", "font", "no-cors", false},
		{cors.Chromium, "image", "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "image", "cors", true},
		{cors.Firefox, "image", "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "image", "cors", true},
		{cors.Safari, "image", "image/webp,image/avif,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5", "image", "cors", true},
		{cors.Chromium, "stylesheet", "text/css,*/*;q=0.1", "style", "cors", true},
		{cors.Firefox, "script", "*/*", "script", "cors", true},
		{cors.Safari, "eventsource", "text/event-stream", "empty", "cors", true},
		{cors.Chromium, "fetch", "*/*", "empty", "cors", true},
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
		})
	}
}
