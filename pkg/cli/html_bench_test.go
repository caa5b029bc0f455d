package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/corsdiag/corsdiag/pkg/harfile/hartest"
)

// The size and cost of the HTML report of a 1,000-request HAR (every
// request drawn, with --all). Target: under 5 MB.
//
//	go test ./pkg/cli -run '^$' -bench HTMLReport -benchtime 5x
func BenchmarkHTMLReportHAR1000(b *testing.B) {
	har := filepath.Join(b.TempDir(), "s.har")
	if err := os.WriteFile(har, hartest.Generate(1000, 1024), 0o644); err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		out, _, _ := runHarArgs(b, "", "har", "-o", "html", "--all", har)
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// How long Chromium takes to open that report from file:// and lay it
// out (the load event). Target: under a second.
func BenchmarkHTMLReportOpen(b *testing.B) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		b.Skip("no Chromium on PATH")
	}
	dir := b.TempDir()
	har := filepath.Join(dir, "s.har")
	os.WriteFile(har, hartest.Generate(1000, 1024), 0o644)
	out, _, _ := runHarArgs(b, "", "har", "-o", "html", "--all", har)
	page := filepath.Join(dir, "report.html")
	os.WriteFile(page, []byte(out), 0o644)

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(dir), chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND")}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "no-first-run", "disable-background-networking"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate("file://"+page)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out))/1e6, "MB")
}
