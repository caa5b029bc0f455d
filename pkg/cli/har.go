package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/internal/shellword"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

func init() { register(newHarCmd) }

type harOptions struct {
	output     string
	all        bool
	urlPattern string
	origin     string
	partial    bool
	noRedact   bool
	replay     bool
	sendActual bool
	sendSecret bool
	timeout    time.Duration
	insecure   bool
	resolve    []string
	connectTo  []string
	cpuProfile string
	browser    string // --browser: judge as this browser, not the file's
	strict     bool   // exit 1 on failures that are not CORS too
	fixFormat  string
	// transport replaces the replay's transport (tests).
	transport http.RoundTripper
}

func newHarCmd(io *IO) *cobra.Command {
	o := &harOptions{}
	cmd := &cobra.Command{
		Use:   "har FILE",
		Short: "Diagnose every CORS failure in a browser's HAR export",
		Long: `har reads a HAR file (DevTools → Network → "Save all as HAR", Playwright,
Charles, Fiddler, mitmproxy…; - for standard input; gzip-compressed, or a zip
archive holding one .har file, as support tickets send them) one entry at a
time, finds each request's page origin, and for every cross-origin request
recomputes the CORS cause from the recorded headers the way the browser does.
The verdict is what the browser recorded: a cross-origin request that failed
(status 0 or -1, net::ERR_FAILED) was blocked.

It prints a summary, one row per blocked request, and the cause and fix of each
distinct problem with a count. When the file does not record why a request was
blocked, it prints the 'corsdiag check' command that reproduces it; --replay
sends those live (preflight always; the actual request only for GET/HEAD, or
with --send-actual; the file's secrets as [REDACTED] unless --send-secrets).

--url and --origin filter by substring, or by glob when the pattern holds * or ?
(* matches any characters, / included).

Requests that failed for reasons that are not CORS (an extension, TLS, DNS, an
abort, mixed content, Local Network Access) are listed apart, as failed.

Exit codes: 0 nothing blocked (--strict: and nothing failed); 1 something
blocked; 2 the file is not HAR, is cut off (add --partial to report what came
before the damage), or a flag is wrong. Docs:
` + report.DocsURL("docs/har.md") + `.`,
		Example: `  corsdiag har session.har
  corsdiag har session.har --all --origin 'https://app.example.com'
  corsdiag har session.har -o json | jq '.requests[] | select(.verdict=="blocked")'
  corsdiag har session.har --replay
  corsdiag har support-ticket.zip
  corsdiag har sanitize session.har -o safe.har`,
		Args:              needArgs(1, "a HAR file (or - for standard input)"),
		ValidArgsFunction: completeFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := replayOnly(cmd, o.replay); err != nil {
				return err
			}
			return runHar(cmd.Context(), io, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "text", "output format: text, json or html (one self-contained page)")
	f.BoolVar(&o.all, "all", false, "list passing cross-origin requests too")
	f.StringVar(&o.urlPattern, "url", "", "only requests whose URL contains this (glob with * or ?)")
	f.StringVar(&o.origin, "origin", "", "only requests from a page origin containing this (glob with * or ?)")
	f.BoolVar(&o.partial, "partial", false, "on a damaged or cut-off file, report the entries before the damage")
	f.BoolVar(&o.noRedact, "no-redact", false, "show cookies, Authorization, API keys and tokens")
	f.BoolVar(&o.replay, "replay", false, "send, live, the blocked requests whose cause is not in the file")
	f.BoolVar(&o.sendActual, "send-actual", false, "with --replay, also send the actual request of POST, PUT, PATCH, DELETE…")
	f.BoolVar(&o.sendSecret, "send-secrets", false, "with --replay, send the file's Authorization, API keys, tokens, secret query parameters and cookies (else [REDACTED], as the printed check command shows them, and no cookie)")
	f.DurationVar(&o.timeout, "timeout", probe.DefaultTimeout, "with --replay, time allowed for each request's check")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "with --replay, skip TLS certificate verification")
	f.BoolVar(&o.strict, "strict", false, "exit 1 also when requests failed for reasons that are not CORS (an extension, TLS, DNS, an abort)")
	f.StringVar(&o.fixFormat, "fix-format", "", "form of platform-specific fixes: "+strings.Join(platform.Formats(), ", ")+", or all (default: the platform's usual one)")
	f.StringVar(&o.browser, "browser", "", "judge as chromium, firefox or safari (webkit) instead of the browser the file names (creator, browser, User-Agent); all (or a list): each browser's count and the requests they judge differently first")
	addRouteFlags(f, &o.resolve, &o.connectTo)
	// Hidden: profile the reader on a real export (pkg/harfile/bench/run.sh).
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile to this file")
	f.MarkHidden("cpuprofile")
	cmd.AddCommand(newHarSanitizeCmd(io))
	return cmd
}

// filterWords names the --url and --origin filters set, for the report.
func filterWords(url, origin string) string {
	var words []string
	if url != "" {
		words = append(words, "--url "+shellword.Quote(url))
	}
	if origin != "" {
		words = append(words, "--origin "+shellword.Quote(origin))
	}
	return strings.Join(words, " and ")
}

// matcher matches by substring, or by glob when the pattern has * or ?.
func matcher(pattern string) (func(string) bool, error) {
	if pattern == "" {
		return func(string) bool { return true }, nil
	}
	if !strings.ContainsAny(pattern, "*?") {
		return func(s string) bool { return strings.Contains(s, pattern) }, nil
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

func openInput(io *IO, name string) (io.ReadCloser, error) {
	if name == "-" {
		return ioNopCloser{io.In}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, usageErrorf("cannot read the HAR file: %v", err)
	}
	return f, nil
}

type ioNopCloser struct{ io.Reader }

func (ioNopCloser) Close() error { return nil }

// source is what the reader reads: standard input itself, not its
// wrapper, so that one redirected from a regular file is mapped as a
// path is (about twice as fast on a large export).
func source(in io.Reader) io.Reader {
	if rc, ok := in.(ioNopCloser); ok {
		return rc.Reader
	}
	return in
}

// passFile is a HAR file read more than once (har --browser all), each
// time from start.
type passFile struct {
	f     *os.File
	start int64
}

func (p passFile) rewind() error {
	if _, err := p.f.Seek(p.start, io.SeekStart); err != nil {
		return usageErrorf("cannot read the HAR file again: %v", err)
	}
	return nil
}

// rereadable makes in readable again from its start: a regular file as it
// is (a path, or standard input redirected from one), anything else (a
// pipe) copied once to a temporary file, unlinked at once so that it goes
// with the process: disk, not memory.
func rereadable(in io.Reader, name string) (passFile, func(), error) {
	in = source(in)
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if start, err := f.Seek(0, io.SeekCurrent); err == nil {
				return passFile{f, start}, func() {}, nil
			}
		}
	}
	tmp, err := os.CreateTemp("", "corsdiag-har-*")
	if err != nil {
		return passFile{}, nil, usageErrorf("cannot copy %s to a temporary file to read it once per browser: %v", name, err)
	}
	tmpName := tmp.Name()
	_ = os.Remove(tmpName)
	done := func() {
		tmp.Close()
		_ = os.Remove(tmpName) // where an open file cannot be removed
	}
	src := &errReader{r: in}
	if _, err := io.Copy(tmp, src); err != nil {
		done()
		if src.err != nil {
			return passFile{}, nil, usageErrorf("cannot read the HAR file: %v", src.err)
		}
		return passFile{}, nil, usageErrorf("cannot copy %s to a temporary file to read it once per browser: %v", name, err)
	}
	return passFile{tmp, 0}, done, nil
}

// errReader keeps the error reading r, to tell it from one writing.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// replayOnly refuses a flag of the requests --replay sends when there is
// no --replay: it would do nothing, and say nothing of it.
func replayOnly(cmd *cobra.Command, replay bool) error {
	if replay {
		return nil
	}
	for _, name := range []string{"send-actual", "send-secrets", "timeout", "insecure"} {
		if cmd.Flags().Changed(name) {
			return usageErrorf("--%s works with --replay, which sends requests; add --replay", name)
		}
	}
	return nil
}

func runHar(ctx context.Context, sysIO *IO, o *harOptions, name string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.output != "text" && o.output != "json" && o.output != "html" {
		return usageErrorf("-o must be text, json or html, not %q", o.output)
	}
	matchURL, err := matcher(o.urlPattern)
	if err != nil {
		return usageErrorf("--url: %v", err)
	}
	matchOrigin, err := matcher(o.origin)
	if err != nil {
		return usageErrorf("--origin: %v", err)
	}
	routes, err := probe.ParseRoutes(o.resolve, o.connectTo)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if !routes.Empty() && !o.replay {
		return usageErrorf("--resolve and --connect-to route the requests --replay sends; add --replay")
	}
	// The live heap stays small (one window of entries); collect less often
	// but never let the heap pass the limit, so memory does not grow with
	// the file. 40 MiB leaves the process about 53 MiB resident (the binary's
	// pages and the file's mapped window add about 14) against 64 allowed;
	// each MiB more is fewer collections, which were a quarter of the CPU.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(40 << 20))
	var profiles []*cors.Profile
	if o.browser != "" {
		if profiles, err = parseBrowsers("--browser", o.browser); err != nil {
			return err
		}
	}
	in, err := openInput(sysIO, name)
	if err != nil {
		return err
	}
	defer in.Close()
	har, packing, err := harfile.Unpack(source(in))
	if err != nil {
		return usageErrorf("%s is not a readable HAR file: %v%s", displayName(name), err, otherPasteHint(name, err))
	}
	shown := packedName(name, packing)
	var browsers *report.HARBrowsers
	if len(profiles) > 1 {
		// Every browser reads the file, then the report (the file's own
		// browser's) reads it again: each pass from the file's start, so
		// that the reader maps it and memory stays flat.
		src, closeSrc, err := rereadable(har, shown)
		if err != nil {
			return err
		}
		defer closeSrc()
		names := make([]string, len(profiles))
		for i, p := range profiles {
			names[i] = p.Name
		}
		browsers = report.NewHARBrowsers(names)
		for _, i := range browsers.PassOrder() {
			if err := src.rewind(); err != nil {
				return err
			}
			// A damaged file's error is the report pass's to tell.
			_, _, _ = harfile.Analyze(src.f, harfile.AnalyzeOptions{Profile: profiles[i], BriefAllowed: true, NoRequestHeaders: true}, func(res *harfile.Result) error {
				if matchURL(res.URL) && matchOrigin(res.Origin) {
					browsers.Add(i, res)
				}
				return nil
			})
		}
		if err := src.rewind(); err != nil {
			return err
		}
		har = src.f
	}
	if o.cpuProfile != "" {
		pf, err := os.Create(o.cpuProfile)
		if err != nil {
			return usageErrorf("--cpuprofile: %v", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return usageErrorf("--cpuprofile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}

	if o.output == "text" {
		defer startPager(sysIO)()
	}
	out := bufio.NewWriterSize(sysIO.Out, 64<<10)
	defer out.Flush()
	direct, _ := sysIO.Out.(*os.File)
	rend := report.NewHARRenderer(out, report.HAROptions{
		JSON: o.output == "json", All: o.all, NoRedact: o.noRedact, Color: sysIO.Color(), Source: shown,
		Width: terminalWidth(sysIO), Browsers: browsers, Direct: direct, Filter: filterWords(o.urlPattern, o.origin),
	})
	var page *report.HTMLHARCollector
	if o.output == "html" {
		page = &report.HTMLHARCollector{All: o.all}
	}
	emit := func(res *harfile.Result) error {
		if !matchURL(res.URL) || !matchOrigin(res.Origin) {
			return nil
		}
		if page != nil {
			return page.Add(res)
		}
		return rend.Add(res)
	}
	var rp *harfile.Replayer
	if o.replay {
		ropts := harfile.ReplayOptions{Timeout: o.timeout, SendActual: o.sendActual, SendSecrets: o.sendSecret, Insecure: o.insecure, Routes: routes, Transport: o.transport, FixFormat: o.fixFormat}
		if len(profiles) == 1 {
			ropts.Profile = profiles[0]
		}
		// Say where requests go before they go: the file, not the user,
		// chose these servers.
		ropts.Contact = func(origin string, redirect bool) {
			origin = termsafe.Clean(redact.URL(origin))
			if redirect {
				fmt.Fprintf(sysIO.Err, "corsdiag: --replay: following a redirect to %s, a server no request replayed so far names\n", origin)
				return
			}
			fmt.Fprintf(sysIO.Err, "corsdiag: --replay: sending to %s\n", origin)
		}
		rp = harfile.NewReplayer(ctx, ropts, emit)
	}
	add := emit
	if rp != nil {
		add = func(res *harfile.Result) error {
			if !matchURL(res.URL) || !matchOrigin(res.Origin) {
				return nil
			}
			return rp.Add(res)
		}
	}
	// Text and JSON need no body text; bodies are skipped unread. Results
	// are rendered (report's JSON encoding, problem grouping) on the
	// workers that judged them; a replay changes them after, so it renders
	// at the end.
	if _, err := platform.ParseFormat(o.fixFormat); err != nil {
		return usageErrorf("--fix-format %q: want one of %s, or all", o.fixFormat, strings.Join(platform.Formats(), ", "))
	}
	// The text report shows an allowed request's verdict alone (a replay
	// keeps whole results: it may judge them again).
	aopts := harfile.AnalyzeOptions{FixFormat: o.fixFormat, BriefAllowed: o.output == "text" && rp == nil}
	if len(profiles) == 1 {
		aopts.Profile = profiles[0]
	}
	if rp == nil && page == nil {
		// Nor do they show the request lines of the exchange.
		aopts.NoRequestHeaders = true
		aopts.Prepare = func(res *harfile.Result) {
			if matchURL(res.URL) && matchOrigin(res.Origin) {
				rend.Prepare(res)
			}
		}
	}
	// The reader buffers (or maps a regular file) itself.
	sum, log, readErr := harfile.Analyze(har, aopts, add)
	if rp != nil {
		if err := rp.Wait(); err != nil && readErr == nil {
			readErr = err
		}
	}
	var se *harfile.SyntaxError
	if readErr != nil && !errors.As(readErr, &se) {
		return &ExitError{Code: ExitUsage, Message: readErr.Error()}
	}
	if se != nil && !o.partial {
		msg := fmt.Sprintf("%s is not a readable HAR file: %s%s", damagedName(name, packing), syntaxErrorText(se), otherPasteHint(name, se))
		switch {
		case log.Entries == 1:
			msg += " (add --partial to report the entry before the damage)"
		case log.Entries > 1:
			msg += fmt.Sprintf(" (add --partial to report the %d entries before the damage)", log.Entries)
		}
		return &ExitError{Code: ExitUsage, Message: msg}
	}
	blocked := rend.Blocked
	if page != nil {
		blocked = page.Blocked
		err = page.Finish(out, report.Tool{Name: "corsdiag", Version: Version}, shown, sum, o.noRedact)
	} else if o.output == "text" {
		// The report quotes what the file holds (a stranger's header
		// values): in a CI log none of it may run as a workflow or logging
		// command. Nothing is written before Finish.
		err = out.Flush()
		if err == nil {
			err = logText(sysIO, func(w io.Writer) error {
				out.Reset(w)
				if err := rend.Finish(sum, log, readErr); err != nil {
					return err
				}
				return out.Flush()
			})
		}
	} else {
		err = rend.Finish(sum, log, readErr)
	}
	if err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if se != nil {
		fmt.Fprintf(sysIO.Err, "corsdiag: partial report: %s%s\n", syntaxErrorText(se), otherPasteHint(name, se))
		return &ExitError{Code: ExitUsage}
	}
	if blocked > 0 {
		return &ExitError{Code: ExitBlocked}
	}
	if o.strict && sum.Failed > 0 {
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("exit 1: --strict, and %d failed for reasons that are not CORS (the browser blocked nothing by CORS)", sum.Failed)}
	}
	return nil
}

// syntaxErrorText is where and why the file is damaged, without the
// "har: " package prefix that would follow "is not a readable HAR file".
// otherPasteHint names the command for a file that is not HAR but another
// paste corsdiag reads (a copied request, console text), or says what to
// remove from HAR Viewer's JSONP form, when the file fails at its start.
func otherPasteHint(name string, err error) string {
	var se *harfile.SyntaxError
	if name == "-" || !errors.As(err, &se) || !strings.HasPrefix(se.Expected, "'{' at the start") {
		return ""
	}
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, maxPaste))
	text, err := decodePaste(b)
	if err != nil {
		return ""
	}
	text = strings.TrimSpace(text)
	if isUTF16(b) && strings.HasPrefix(text, "{") {
		return "; it is UTF-16 text (as Windows PowerShell's > writes it), and a HAR file is UTF-8: save it again as UTF-8 (in PowerShell, Set-Content -Encoding utf8)"
	}
	if isCurl(text) || pastedForm(text) != "" {
		return "; it holds a copied request, not a HAR file: run corsdiag check --from-file " + shellword.Quote(name)
	}
	if m := jsonpCall.FindStringSubmatch(text); m != nil {
		return "; it is a HAR wrapped in a JavaScript call (HAR Viewer's JSONP form): remove " + termsafe.Clean(m[1]) + "( before the JSON object and ); after it"
	}
	if consoleText(text) {
		return "; it holds console text, not a HAR file: run corsdiag explain - < " + shellword.Quote(name)
	}
	return ""
}

// jsonpCall is the start of a HAR wrapped in a call: onInputData({.
var jsonpCall = regexp.MustCompile(`^([A-Za-z_$][\w$.]*)\s*\(\s*\{`)

func syntaxErrorText(se *harfile.SyntaxError) string {
	return strings.TrimPrefix(se.Error(), "har: ")
}

func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// packedName is how reports name the input: a zip archive's entry read,
// in the archive.
func packedName(name string, p harfile.Packing) string {
	if p.Format == "zip" {
		return termsafe.Clean(p.Member) + " in " + displayName(name)
	}
	return displayName(name)
}

// damagedName is the input in an error about its HAR text, whose offsets
// are the decompressed text's.
func damagedName(name string, p harfile.Packing) string {
	if p.Format == "gzip" {
		return displayName(name) + " (decompressed)"
	}
	return packedName(name, p)
}

// terminalWidth is the width to fit tables to: the terminal's, or 0 (no
// fitting) when output is not a terminal.
func terminalWidth(sysIO *IO) int {
	switch {
	case !sysIO.OutIsTerminal && !sysIO.WidthSet:
		return 0
	case sysIO.Width <= 0:
		// A terminal whose size cannot be read.
		return 80
	}
	return sysIO.Width
}
