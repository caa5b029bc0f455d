package suite

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// BenchmarkRun1000 runs 1,000 checks against a loopback server that takes
// 20 ms per answer, with --concurrency 64 --per-host 64. The target is
// under 4 s per run: the server's latency (1000 × 20 ms / 64 ≈ 0.31 s), not
// corsdiag, should be the limit. pkg/suite/bench/run.sh measures the whole
// binary, with peak memory.
func BenchmarkRun1000(b *testing.B) {
	srv := httptest.NewServer(slowCORSHandler(20 * time.Millisecond))
	defer srv.Close()
	cfg := benchConfig(b, srv.URL, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Run(context.Background(), cfg, Options{Concurrency: 64, PerHost: 64, Retries: 2})
		for _, r := range res {
			if r.Outcome != Passed {
				b.Fatalf("%s: %s %v", r.Check.Name, r.Outcome, r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/run")
}

// slowCORSHandler allows every origin after delay.
func slowCORSHandler(delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Vary", "Origin")
		w.Write([]byte(`{"ok":true}`))
	})
}

func benchConfig(b *testing.B, base string, n int) *Config {
	var y strings.Builder
	y.WriteString("defaults:\n  origin: https://app.example.com\nchecks:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&y, "  - name: check %d\n    url: %s/items/%d\n", i, base, i)
	}
	cfg, err := Parse("bench.yaml", []byte(y.String()), func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}
