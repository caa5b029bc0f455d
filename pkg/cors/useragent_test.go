package cors

import (
	"math/bits"
	"testing"
)

// TestProfileOfUserAgent: the engine a User-Agent names, from its product
// tokens. Every iOS browser runs WebKit, whatever it calls itself.
func TestProfileOfUserAgent(t *testing.T) {
	for _, tc := range []struct {
		name, ua string
		want     *Profile
	}{
		{"chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36", Chromium},
		{"headless chrome", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/66.0.3359.117 Safari/537.36", Chromium},
		{"edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", Chromium},
		{"opera", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0", Chromium},
		{"chrome android", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", Chromium},
		{"samsung internet", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", Chromium},
		{"android webview", "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36", Chromium},
		{"electron", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) MyApp/1.2.0 Chrome/128.0.6613.36 Electron/32.0.1 Safari/537.36", Chromium},
		{"googlebot smartphone", "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Chromium},
		{"firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", Firefox},
		{"firefox android", "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", Firefox},
		// A Gecko build that does not call itself Firefox (Firefox 3.6's
		// pre-release, in the HAR corpus's Firebug export).
		{"gecko without firefox", "Mozilla/5.0 (Windows; U; Windows NT 6.0; en-US; rv:1.9.2b6pre) Gecko/20091230 Namoroka/3.6b6pre (.NET CLR 3.5.30729)", Firefox},
		{"safari macos", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15", Safari},
		{"safari ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", Safari},
		{"chrome ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", Safari},
		{"firefox ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15", Safari},
		{"edge ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/131.2903.68 Mobile/15E148 Safari/605.1.15", Safari},
		{"chrome ipad", "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", Safari},
		// An app's WKWebView names no Safari.
		{"ios in-app webview", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/490.0.0.45.108]", Safari},
		{"macos wkwebview", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)", Safari},
		{"webkitgtk", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", Safari},
		// No engine of ours.
		{"edgehtml", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582", nil},
		{"ie11", "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", nil},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", nil},
		{"curl", "curl/8.2.1", nil},
		{"empty", "", nil},
		{"cut in a comment", "Mozilla/5.0 (iPhone", nil},
		{"cut ios", "AppleWebKit/605.1.15 (iPad; CPU OS 17_7", Safari},
		// A token is a product name, not a piece of one.
		{"look-alike product", "MyFirefox/1.0 (compatible; crawler)", nil},
		{"look-alike in a comment", "Mozilla/5.0 (compatible; like Chrome/120 and Firefox/120) Bot/1.0", nil},
	} {
		if got := ProfileOfUserAgent(tc.ua); got != tc.want {
			t.Errorf("%s: ProfileOfUserAgent(%q) = %v, want %v", tc.name, tc.ua, uaProfileName(got), uaProfileName(tc.want))
		}
	}
}

func uaProfileName(p *Profile) string {
	if p == nil {
		return "nil"
	}
	return p.Name
}

// TestUAEnginesTable: the bit set ProfileOfUserAgent keeps holds a bit
// per row, and the iOS rule finds AppleWebKit's row wherever it sits.
func TestUAEnginesTable(t *testing.T) {
	if len(uaEngines) > bits.UintSize {
		t.Fatalf("%d rows in uaEngines; the seen set holds %d", len(uaEngines), bits.UintSize)
	}
	for i, e := range uaEngines {
		if got, want := webKitEngines&(1<<i) != 0, e.product == "AppleWebKit"; got != want {
			t.Errorf("row %d (%s): in webKitEngines %v, want %v", i, e.product, got, want)
		}
	}
}

func BenchmarkProfileOfUserAgent(b *testing.B) {
	ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	b.ReportAllocs()
	for b.Loop() {
		ProfileOfUserAgent(ua)
	}
}

// FuzzProfileOfUserAgent: any User-Agent, however cut, reads without a
// panic.
func FuzzProfileOfUserAgent(f *testing.F) {
	for _, s := range []string{"(", "Mozilla/5.0 (iPhone", "a/1 (", "AppleWebKit/1 (iPad; x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ua string) { ProfileOfUserAgent(ua) })
}
