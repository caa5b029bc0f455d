package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/corsdiag/corsdiag/docs"
	"github.com/corsdiag/corsdiag/pkg/consoletext"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/mdterm"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/spf13/cobra"
)

func init() { register(newExplainCmd) }

type explainOptions struct {
	IO *IO
	// Code is a finding code, an internal error name, or pasted console
	// text ("-" reads it from stdin).
	Code   string
	Output string // text | json
	// Markdown prints a page as its Markdown source instead of rendering it.
	Markdown bool
	// NoRedact shows the secrets of a pasted console text's URL.
	NoRedact bool
	// pages holds docs/findings/<code>.md; tests may replace it.
	pages fs.FS
}

func newExplainCmd(io *IO) *cobra.Command {
	opts := &explainOptions{IO: io, pages: docs.Findings}
	cmd := &cobra.Command{
		Use:   "explain [code | \"console text\" | -]",
		Short: "Explain a finding code or a pasted console error; list the codes",
		Long: `explain prints the page of a finding code: what it means, why the browser blocks
the request, examples of wrong and right responses, and the fix. Without a code
it lists every code with its severity.

Paste what the browser's console said instead (one line or the several lines
Chrome, Firefox or Safari log for one request, also as a chat tool wrapped them;
Chrome's lines about ` + elementLoads() + ` too, and an older
Chrome's "Failed to load …" and "XMLHttpRequest cannot load …" wording; "-"
reads them from stdin) and explain names the browser, the finding, the URL, the
page's origin and the status the text holds, and the 'corsdiag check' command
that reproduces it. Internal names work too (CORSMissingAllowOrigin,
PreflightMissingAllowOriginHeader).`,
		Example: `  corsdiag explain
  corsdiag explain preflight-missing-allow-origin
  corsdiag explain "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
  pbpaste | corsdiag explain - -o json`,
		Args: cobra.ArbitraryArgs,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var codes []string
			for _, in := range cors.Codes() {
				codes = append(codes, string(in.Code)+"\t"+in.Title)
			}
			return codes, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			// An unquoted paste arrives as many words.
			opts.Code = strings.Join(args, " ")
			return runExplain(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "text", "output for pasted console text: text or json")
	cmd.Flags().BoolVar(&opts.NoRedact, "no-redact", false, "show the tokens and API keys of a pasted console text's URL")
	cmd.Flags().BoolVar(&opts.Markdown, "markdown", false, "print a code's page as its Markdown source (to save or convert it) instead of rendering it for the terminal")
	return cmd
}

func runExplain(o *explainOptions) error {
	if o.Code == "" {
		return listCodes(o)
	}
	if o.Output == "" {
		o.Output = "text"
	}
	if o.Output != "text" && o.Output != "json" {
		return usageErrorf("-o %q: want text or json", o.Output)
	}
	if o.Code == "-" {
		b, err := io.ReadAll(io.LimitReader(o.IO.In, maxPaste+1))
		if err != nil {
			return usageErrorf("reading stdin: %v", err)
		}
		if len(b) > maxPaste {
			return usageErrorf("stdin holds more than %d KiB: paste the console lines of one request", maxPaste>>10)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return usageErrorf("standard input is empty: paste the console lines of the blocked request, or give a finding code")
		}
		o.Code = string(b)
	}
	code := cors.Code(strings.ToLower(strings.TrimSpace(o.Code)))
	info, known := cors.Lookup(code)
	if !known {
		r, err := consoletext.Read(o.Code)
		if err == nil {
			return explainText(o, r)
		}
		var cut *consoletext.UnknownReasonError
		if errors.As(err, &cut) {
			return cutLineError(o, cut)
		}
		if strings.ContainsAny(strings.TrimSpace(o.Code), " \n") {
			return usageErrorf("this is neither a finding code nor a CORS console message of Chrome, Firefox or Safari that corsdiag knows.\n" +
				"Paste the console line that starts \"Access to fetch at\", \"Cross-Origin Request Blocked\" or \"Origin … is not allowed\", or run 'corsdiag explain' for the codes.")
		}
		msg := fmt.Sprintf("unknown finding code %q", o.Code)
		if near := closestCodes(string(code), 3); len(near) > 0 {
			msg += "; did you mean " + strings.Join(near, ", ") + "?"
		}
		return usageErrorf("%s\nRun 'corsdiag explain' for the list.", msg)
	}
	page, err := fs.ReadFile(o.pages, "findings/"+string(code)+".md")
	if errors.Is(err, fs.ErrNotExist) {
		// Every code should have a page; until it does, print the catalogue.
		_, err = fmt.Fprintf(o.IO.Out, "# %s\n\n%s (%s)\n\nSpec: %s\nChromium: %s\nFirefox: %s\n\nFix: %s\n",
			info.Code, info.Title, info.Severity, orDash(info.Spec), orDash(info.CorsError), orDash(info.Firefox), info.Fix)
		return err
	}
	if err != nil {
		return err
	}
	err = writePageText(o, page)
	return err
}

// writePage prints a code's page (or its catalogue entry when it has none).
func writePage(o *explainOptions, code cors.Code) error {
	saved := o.Code
	o.Code = string(code)
	defer func() { o.Code = saved }()
	return runExplain(o)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// listCodes prints every code with its severity and title, the titles
// wrapped under their column to the terminal's width (piped: whole).
func listCodes(o *explainOptions) error {
	codes := cors.Codes()
	codeW, sevW := len("CODE"), len("SEVERITY")
	for _, in := range codes {
		codeW, sevW = max(codeW, len(in.Code)), max(sevW, len(in.Severity))
	}
	row := func(code, sev string) string { return fmt.Sprintf("%-*s  %-*s  ", codeW, code, sevW, sev) }
	indent := strings.Repeat(" ", codeW+sevW+4)
	width := terminalWidth(o.IO)
	// Too narrow a title column wraps every title into a tall ribbon (and
	// cuts a header name such as Access-Control-Allow-Credentials): then
	// each title goes under its code instead.
	stacked := width > 0 && width-len(indent) < 40
	entry := func(code, sev, title string) string {
		if stacked && len(code+"  "+sev) > width {
			// A long code alone on its line; its severity starts the title.
			return code + "\n" + report.Wrap(title, "    "+sev+"  ", "    ", width)
		}
		if stacked {
			return code + "  " + sev + "\n" + report.Wrap(title, "    ", "    ", width)
		}
		return report.Wrap(title, row(code, sev), indent, width)
	}
	var b strings.Builder
	b.WriteString(entry("CODE", "SEVERITY", "TITLE"))
	for _, in := range codes {
		b.WriteString(entry(string(in.Code), string(in.Severity), in.Title))
	}
	b.WriteString("\n" + report.Wrap("Run 'corsdiag explain <code>' for a code's page.", "", "  ", width))
	_, err := io.WriteString(o.IO.Out, b.String())
	return err
}

// closestCodes returns up to n registered codes nearest to s: codes that
// contain it first, then by edit distance, keeping only plausible ones.
func closestCodes(s string, n int) []string {
	type scored struct {
		code string
		d    int
	}
	var all []scored
	for _, in := range cors.Codes() {
		c := string(in.Code)
		d := editDistance(s, c)
		if strings.Contains(c, s) || strings.Contains(s, c) {
			d = 0
		}
		if d <= max(3, len(s)/3) {
			all = append(all, scored{c, d})
		}
	}
	slices.SortStableFunc(all, func(a, b scored) int { return a.d - b.d })
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].code)
	}
	return out
}

// editDistance is the Levenshtein distance in bytes (codes are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// writePageText prints a finding page rendered for the terminal, wrapped to
// its width (--markdown: the source).
func writePageText(o *explainOptions, page []byte) error {
	if o.Markdown {
		_, err := o.IO.Out.Write(page)
		return err
	}
	defer startPager(o.IO)()
	return mdterm.Render(o.IO.Out, page, mdterm.Style{Width: o.IO.TextWidth(), Color: o.IO.Color()})
}

// elementLoads names the loads other than fetch() and XMLHttpRequest, whose
// console lines explain reads (Access to font at …), from cors.Initiators:
// a kind added there is in explain's help.
func elementLoads() string {
	var loads []string
	for _, in := range cors.Initiators {
		if !in.Scripted {
			loads = append(loads, in.Short)
		}
	}
	return orList(loads)
}
