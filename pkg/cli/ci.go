package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/suite"
)

func init() { register(newCICmd) }

// ExitInterrupted is the shell's code for a run stopped by SIGINT (128+2);
// the checks that finished are still reported.
const ExitInterrupted = 130

// signalContext is replaced in tests to interrupt a run without a signal.
var signalContext = func(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

// reportFormats are the values of --report FORMAT=FILE.
var reportFormats = map[string]func(*suite.Report, io.Writer) error{
	"junit":    (*suite.Report).WriteJUnit,
	"sarif":    (*suite.Report).WriteSARIF,
	"json":     (*suite.Report).WriteJSON,
	"markdown": (*suite.Report).WriteMarkdown,
	"html":     (*suite.Report).WriteHTML,
}

// CIReportFormats are the formats of ci --report, sorted: the GitHub
// Action's report input takes the same.
func CIReportFormats() []string { return slices.Sorted(maps.Keys(reportFormats)) }

type ciOptions struct {
	file        string
	concurrency int
	perHost     int
	retries     int
	timeout     time.Duration
	reports     []string
	insecure    bool
	resolve     []string
	connectTo   []string
	noRedact    bool
	strict      bool
	browser     string  // --browser: replaces the config's browsers
	auditRate   float64 // --audit-rate: requests per second of each audit
}

func newCICmd(io *IO) *cobra.Command {
	o := &ciOptions{}
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "Run the CORS checks of corsdiag.yaml; fail the build if one breaks",
		Long: `ci reads a list of checks from corsdiag.yaml (or -f FILE), sends each one from
each of its origins the way a browser would, and checks that the browser would
allow (expect: allow) or block (expect: deny) it. A check with audit: true is
also audited (corsdiag audit): an attacker origin that reads the answer with the
user's cookies fails the run.

Exit codes: 0 every expectation held; 1 at least one failed (or, with --strict,
a check that held has a warning); 2 the config or a flag is wrong; 3 an endpoint
stayed unreachable after every retry (and nothing failed); 130 interrupted (what
finished is still reported).

Write a starter file with 'corsdiag ci init'. Docs:
` + report.DocsURL("docs/ci.md") + ` and
` + report.DocsURL("docs/ci-config.md") + `.`,
		Example: `  corsdiag ci
  corsdiag ci -f checks/cors.yaml --report junit=cors.xml --report sarif=cors.sarif
  corsdiag ci --concurrency 16 --per-host 8 --retries 3`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCI(cmd.Context(), io, o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", suite.DefaultFile, "config file")
	f.IntVar(&o.concurrency, "concurrency", 8, "checks in flight at once")
	f.IntVar(&o.perHost, "per-host", 4, "checks in flight against one host at once")
	f.IntVar(&o.retries, "retries", 2, "retries of a check whose endpoint did not answer (backoff 250ms, doubling)")
	f.DurationVar(&o.timeout, "timeout", 0, "time allowed for each check, overriding the config (default from the config, else 10s)")
	f.StringArrayVar(&o.reports, "report", nil, "also write a report: junit=FILE, sarif=FILE, json=FILE, markdown=FILE or html=FILE (repeatable)")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	addRouteFlags(f, &o.resolve, &o.connectTo)
	f.BoolVar(&o.noRedact, "no-redact", false, "show secrets (tokens in URLs, cookies) in reports")
	f.StringVar(&o.browser, "browser", "", browserFlagHelp+"; replaces the config's browsers: for every check")
	f.BoolVar(&o.strict, "strict", false, "exit 1 also when a check that held has a warning (a CORS hazard)")
	f.Float64Var(&o.auditRate, "audit-rate", audit.DefaultRate, "requests per second of each audit (audit: true), at most 40 requests each; 0: no pause")
	cmd.AddCommand(newCIInitCmd(io))
	return cmd
}

func newCIInitCmd(io *IO) *cobra.Command {
	var file string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter corsdiag.yaml",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(file, flags, 0o644)
			if errors.Is(err, os.ErrExist) {
				return usageErrorf("%s already exists; use --force to overwrite it", file)
			}
			if err != nil {
				return usageErrorf("%v", err)
			}
			if _, err := f.Write(suite.Starter); err != nil {
				f.Close()
				return usageErrorf("%v", err)
			}
			if err := f.Close(); err != nil {
				return usageErrorf("%v", err)
			}
			fmt.Fprintf(io.Out, "Wrote %s. Point its checks at your API, then run: corsdiag ci -f %s\n", file, file)
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", suite.DefaultFile, "file to write")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite the file if it exists")
	return cmd
}

type reportTarget struct {
	format string
	path   string
	// log is corsdiag's stdout or stderr when path names it
	// (/dev/stdout, or the file stdout is redirected to): the job's log.
	log io.Writer
}

func (t reportTarget) write(sysIO *IO, rep *suite.Report) error {
	write := func(w io.Writer) error { return reportFormats[t.format](rep, w) }
	if t.log != nil {
		// The job log: through the stdout corsdiag holds, after the text
		// report, with workflow commands stopped as for it (it quotes the
		// server's headers).
		return toLog(sysIO.Getenv, t.log, write)
	}
	return writeFileAtomic(t.path, write)
}

// logOf is sysIO's stdout or stderr when path names the file it writes
// to, else nil.
func logOf(sysIO *IO, path string) io.Writer {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	for _, w := range []io.Writer{sysIO.Out, sysIO.Err} {
		if f, ok := w.(*os.File); ok {
			if fw, err := f.Stat(); err == nil && os.SameFile(fi, fw) {
				return w
			}
		}
	}
	return nil
}

func runCI(parent context.Context, io *IO, o *ciOptions) error {
	if o.concurrency < 1 || o.perHost < 1 || o.retries < 0 || o.timeout < 0 || o.auditRate < 0 {
		return usageErrorf("--concurrency and --per-host must be at least 1, --retries, --timeout and --audit-rate not negative")
	}
	routes, err := probe.ParseRoutes(o.resolve, o.connectTo)
	if err != nil {
		return usageErrorf("%v", err)
	}
	inGitHub := io.Getenv("GITHUB_ACTIONS") == "true"
	workDir, _ := os.Getwd()
	baseDir := io.Getenv("GITHUB_WORKSPACE")
	if baseDir == "" {
		baseDir = repositoryRoot(workDir)
	}
	cfg, err := suite.LoadFile(o.file, io.Getenv)
	if err != nil {
		var ce *suite.ConfigError
		if inGitHub && errors.As(err, &ce) && ce.Line > 0 {
			// Redacted as the message on stderr is: it may quote a URL.
			fmt.Fprintln(io.Out, suite.ConfigAnnotation(suite.AnnotationPath(ce.File, baseDir, workDir), ce.Line, sanitize(ce.Msg, true)))
		}
		return usageErrorf("%v", err)
	}
	if o.browser != "" {
		profiles, err := parseBrowsers("--browser", o.browser)
		if err != nil {
			return err
		}
		var names []string
		for _, p := range profiles {
			names = append(names, p.Name)
		}
		for i := range cfg.Checks {
			cfg.Checks[i].Targets = suite.TargetsFor(cfg.Checks[i].Targets, names)
		}
	}
	// Templates are read before any check runs: a broken one is bad input.
	lintRep, err := suite.RunLint(cfg)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if lintRep != nil && !o.noRedact {
		lintRep.Redact()
	}
	targets, err := openReports(io, o.reports, o.file)
	if err != nil {
		return err
	}

	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signalContext(parent)
	defer stop()

	total := len(suite.Jobs(cfg))
	progress := newProgress(io, total, o.noRedact)
	start := time.Now()
	results := suite.Run(ctx, cfg, suite.Options{
		Concurrency: o.concurrency,
		PerHost:     o.perHost,
		Retries:     o.retries,
		Timeout:     o.timeout,
		Insecure:    o.insecure,
		Routes:      routes,
		OnDone:      progress.done,
		AuditRate:   auditRate(o.auditRate),
	})
	progress.finish()
	rep := &suite.Report{
		Tool: "corsdiag", Version: Version, Config: cfg, Results: results,
		Elapsed: time.Since(start), Interrupted: ctx.Err() != nil, NoRedact: o.noRedact,
		BaseDir: baseDir, WorkDir: workDir, Lint: lintRep, Width: terminalWidth(io),
	}

	if err := logText(io, rep.WriteText); err != nil {
		return err
	}
	var writeErrs []string
	for _, t := range targets {
		if err := t.write(io, rep); err != nil {
			writeErrs = append(writeErrs, fmt.Sprintf("%s report %s: %v", t.format, t.path, err))
		}
	}
	if inGitHub {
		if err := rep.WriteGitHubAnnotations(io.Out); err != nil {
			return err
		}
		if path := io.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := appendSummary(path, rep); err != nil {
				writeErrs = append(writeErrs, "job summary "+path+": "+err.Error())
			}
		}
		if path := io.Getenv("GITHUB_OUTPUT"); path != "" {
			if err := appendOutputs(path, rep); err != nil {
				writeErrs = append(writeErrs, "step outputs "+path+": "+err.Error())
			}
		}
	}
	if len(writeErrs) > 0 {
		return usageErrorf("%s", strings.Join(writeErrs, "; "))
	}

	s := rep.Summary()
	switch {
	case rep.Interrupted:
		return &ExitError{Code: ExitInterrupted, Message: fmt.Sprintf("interrupted: %d of %d checks did not run", s.Canceled, s.Total)}
	case s.ExitCode() == 1 && s.Failed == 0:
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("lint: a browser would block %d of the templates' requests", s.LintBlocked)}
	case s.ExitCode() == 1:
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("%d of %d CORS expectations failed", s.Failed, s.Total)}
	case s.ExitCode() == 3:
		return &ExitError{Code: ExitUnreachable, Message: fmt.Sprintf("%d of %d checks could not reach their endpoint", s.Unreachable+s.Errors, s.Total)}
	case o.strict && warned(rep) > 0:
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("--strict, and %d of %d checks that held have a warning", warned(rep), s.Total)}
	}
	return nil
}

// logText prints a text report to stdout. In GitHub Actions (the job log)
// it does so with workflow commands stopped (suite.WithoutCommands), so
// that no header value a server sent, quoted in the report, runs as one.
// JSON, SARIF and HTML output are for files and pipes and stay byte-exact.
// In Azure Pipelines (TF_BUILD), which cannot stop its logging commands,
// a server's "##vso[" is shown as "##vso\[" (suite.NoAzureCommands).
func logText(sysIO *IO, write func(io.Writer) error) error {
	return toLog(sysIO.Getenv, sysIO.Out, write)
}

// toLog is logText to out, a stream the CI runner reads as its log.
func toLog(getenv func(string) string, out io.Writer, write func(io.Writer) error) error {
	flush := func() error { return nil }
	if strings.EqualFold(getenv("TF_BUILD"), "true") {
		out, flush = suite.NoAzureCommands(out)
	}
	var err error
	if getenv("GITHUB_ACTIONS") == "true" {
		err = suite.WithoutCommands(out, write)
	} else {
		err = write(out)
	}
	if ferr := flush(); err == nil {
		err = ferr
	}
	return err
}

// auditRate maps --audit-rate to suite.Options.AuditRate, whose 0 means
// the default.
func auditRate(r float64) float64 {
	if r == 0 {
		return -1
	}
	return r
}

// warned counts the checks that met their expectation with a warning.
func warned(rep *suite.Report) int {
	n := 0
	for _, r := range rep.Results {
		if r.Outcome == suite.Passed && r.Diagnosis != nil && r.Diagnosis.Count(cors.SeverityWarning) > 0 {
			n++
		}
	}
	return n
}

// repositoryRoot is the nearest folder from dir up that holds .git, else
// dir: annotations and SARIF name the config from the repository's root.
func repositoryRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// appendOutputs sets the step's outputs (failures, unreachable, warnings,
// total), which the corsdiag action passes on and any workflow can read.
func appendOutputs(path string, rep *suite.Report) error {
	s := rep.Summary()
	return appendTo(path, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "failures=%d\nunreachable=%d\nwarnings=%d\ntotal=%d\n", s.Failed, s.Unreachable+s.Errors, warned(rep), s.Total)
		return err
	})
}

// openReports parses --report values and checks before the run that each
// file can be written, so a typo fails in a second, not after every check.
// The files are written at the end, each in full or not at all
// (writeFileAtomic): the previous run's reports stay until then.
// A report is never written over the config file, nor two into one file
// (the last would win without a word).
func openReports(sysIO *IO, specs []string, config string) ([]reportTarget, error) {
	var out []reportTarget
	fail := func(err error) ([]reportTarget, error) { return nil, err }
	seen := map[string]string{} // cleaned absolute path → spec
	for _, spec := range specs {
		format, path, ok := strings.Cut(spec, "=")
		if _, known := reportFormats[format]; !ok || !known || path == "" {
			return fail(usageErrorf("--report %q: want FORMAT=FILE with FORMAT one of junit, sarif, json, markdown, html", spec))
		}
		if sameFile(path, config) {
			return fail(usageErrorf("--report %s: %s is the config file; name another file for the report", spec, path))
		}
		abs, _ := filepath.Abs(path)
		if first, dup := seen[abs]; dup {
			return fail(usageErrorf("--report %s and --report %s: two reports to one file; give each its own", first, spec))
		}
		seen[abs] = spec
		if log := logOf(sysIO, path); log != nil {
			out = append(out, reportTarget{format: format, path: path, log: log})
			continue
		}
		// Reports often go to a folder of their own (out/cors.xml) that a
		// fresh checkout does not have yet.
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fail(usageErrorf("--report %s: %v", spec, err))
		}
		if err := checkWritable(path); err != nil {
			return fail(usageErrorf("--report %s: %v", spec, err))
		}
		out = append(out, reportTarget{format: format, path: path})
	}
	return out, nil
}

// sameFile: a and b name one file, by path or, when both exist, by
// identity (a symlink, a case-insensitive file system).
func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// appendSummary appends the Markdown report to the job summary, within
// what is left of the 1 MiB GitHub keeps of a step's summary (it drops a
// bigger one whole, the run where everything failed included).
func appendSummary(path string, rep *suite.Report) error {
	room := suite.MaxSummaryBytes
	if fi, err := os.Stat(path); err == nil {
		room -= int(fi.Size())
	}
	if room <= 0 {
		return nil
	}
	return appendTo(path, func(w io.Writer) error { return rep.WriteMarkdownWithin(w, room) })
}

// appendTo appends what write writes to the file at path (the runner's
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, which other steps share).
func appendTo(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(filepath.Clean(path), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	return writeAndClose(f, write)
}

// progress shows a bar with a live count on a terminal, and one line per
// finished check elsewhere (CI logs), both on stderr so stdout stays the
// report.
type progress struct {
	io       *IO
	noRedact bool
	bar      *progressbar.ProgressBar
	failed   int
}

func newProgress(io *IO, total int, noRedact bool) *progress {
	p := &progress{io: io, noRedact: noRedact}
	if io.OutIsTerminal {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(io.Err),
			progressbar.OptionSetDescription("checks"),
			progressbar.OptionShowCount(),
			// "checks 100% |…| (1000/1000)" stays within the terminal.
			progressbar.OptionSetWidth(max(10, min(30, terminalWidth(io)-40))),
			progressbar.OptionThrottle(80*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionEnableColorCodes(io.Color()),
		)
	}
	return p
}

func (p *progress) done(r *suite.Result, done, total int) {
	if r.Outcome != suite.Passed {
		p.failed++
	}
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("checks (%d failing)", p.failed))
		_ = p.bar.Add(1)
		return
	}
	mark := "ok  "
	if r.Outcome != suite.Passed {
		mark = "FAIL"
	}
	fmt.Fprintf(p.io.Err, "[%*d/%d] %s %s from %s: %s (%s)\n", len(fmt.Sprint(total)), done, total, mark,
		r.CheckName(p.noRedact), r.Target.Origin, r.GotText(), r.Duration.Round(time.Millisecond))
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
