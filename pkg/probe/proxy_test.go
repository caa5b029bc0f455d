package probe

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/refused"
)

// TestProxyErrorsNameTheProxy: when the proxy fails, the error names the
// proxy (its password hidden) and what it answered, not the target.
func TestProxyErrorsNameTheProxy(t *testing.T) {
	forbidding := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			http.Error(w, "policy", http.StatusForbidden)
			return
		}
		corsOK(w, r)
	}))
	t.Cleanup(forbidding.Close)
	deadAddr := refused.Addr(t)
	dead := "http://proxyuser:ProxyPass77@" + deadAddr
	tests := []struct {
		name, proxy, target string
		want                []string
		notWant             []string
	}{
		{"dead proxy", dead, "http://api.test/items",
			[]string{"the proxy http://proxyuser:%5BREDACTED%5D@" + deadAddr + " could not be reached", "nothing listens on " + deadAddr, "nothing was sent to api.test:80"},
			[]string{"ProxyPass77", "nothing listens on api.test"}},
		{"proxy refuses CONNECT", forbidding.URL, "https://api.test/items",
			[]string{"the proxy " + forbidding.URL + " refused to open a tunnel (CONNECT) to api.test:443", `answered "Forbidden"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProber(Options{Request: cors.Request{Origin: pageOrigin}, MaxBody: DefaultMaxBody, Timeout: 5 * time.Second})
			defer p.close()
			pu, _ := url.Parse(tt.proxy)
			p.ownTransp.Proxy = http.ProxyURL(pu)
			hop := p.send(t.Context(), "GET", tt.target, http.Header{"Origin": {pageOrigin}}, nil)
			ue := p.unreachable()
			for _, msg := range []string{hop.NetError, ue.Error()} {
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("%q lacks %q", msg, w)
					}
				}
				for _, w := range tt.notWant {
					if strings.Contains(msg, w) {
						t.Errorf("%q holds %q", msg, w)
					}
				}
			}
			if !strings.Contains(ue.Hint, "Loopback targets") {
				t.Errorf("hint %q does not say loopback skips the proxy", ue.Hint)
			}
		})
	}
}
