package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/corsdiag/corsdiag/pkg/consoletext"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/curlcmd"
	"github.com/corsdiag/corsdiag/pkg/internal/shellword"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/report"
	"github.com/corsdiag/corsdiag/pkg/weburl"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { register(newCheckCmd) }

// originHint is shown whenever the page's origin is missing or wrong.
const originHint = "corsdiag check URL --origin https://your-page.example"

// checkOptions are the flags and arguments of `corsdiag check`.
type checkOptions struct {
	IO *IO

	URL     string
	Origin  string
	Method  string
	Headers []string
	Data    []dataArg
	User    string
	Cookie  string

	Insecure     bool
	Resolve      []string // curl's --resolve HOST:PORT:ADDR
	ConnectTo    []string // curl's --connect-to HOST1:PORT1:HOST2:PORT2
	Credentials  bool
	SendActual   bool
	Preflight    string // auto | always
	NoErrorProbe bool
	Timeout      time.Duration
	HAROut       string
	NoRedact     bool
	Output       string // text | json | html
	Strict       bool
	Browser      string // a --browser value (parseBrowsers)

	// CompareOrigins are --compare-origin: origins to send the same safe
	// request from when the server refuses the page's origin.
	CompareOrigins []string
	NoCompare      bool

	// FixFormat picks the form of platform fixes (platform.Formats()).
	FixFormat string
	Initiator string // fetch | xhr
	// PageAddressSpace is where the page's server is, for Chromium's Local
	// Network Access check: public | local | loopback; empty derives it
	// from the origin.
	PageAddressSpace string

	// Curl holds a pasted curl command (or "Copy as fetch", "Copy as
	// PowerShell"): one argument with the whole command, or the words the
	// shell split it into (starting with "curl").
	Curl []string
	// FromFile names a file ("-": stdin) holding the pasted command.
	FromFile string
	// changed reports whether a flag was given explicitly: explicit flags
	// override what the curl command says.
	changed func(name string) bool

	// run and analyze are probe.Run and platform.Analyze; tests replace them.
	run     func(context.Context, probe.Options) (*probe.Result, error)
	analyze func(platform.Input) *platform.Report
}

// dataArg is one -d/--data/--data-raw/--data-binary value, kept in command
// line order as curl joins them.
type dataArg struct {
	value string
	mode  string // "data" (@file, newlines stripped), "raw" (literal), "binary" (@file as is)
}

// dataFlag appends to a shared list, so the order across the three spellings is kept.
type dataFlag struct {
	list *[]dataArg
	mode string
}

func (f *dataFlag) String() string { return "" }
func (f *dataFlag) Type() string   { return "string" }
func (f *dataFlag) Set(v string) error {
	*f.list = append(*f.list, dataArg{value: v, mode: f.mode})
	return nil
}

func newCheckCmd(io *IO) *cobra.Command {
	return checkCommand(&checkOptions{IO: io, run: probe.Run, analyze: platform.Analyze})
}

// checkCommand builds the command around opts, whose run and analyze
// functions the caller chose.
func checkCommand(opts *checkOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check URL [flags] | check -- curl URL [curl flags]",
		Short: "Tell whether the browser would block a request to URL, and why",
		Long: `check sends the requests a browser sends for a cross-origin fetch() from the
page at --origin: the OPTIONS preflight when one is needed, then the actual
request, hop by hop through redirects. It judges every response the way Chromium
does and prints the console message the browser shows, the cause in plain words
and the fix.

A state-changing request (POST, PUT, PATCH, DELETE) is never sent unless you
pass --send-actual; the preflight is judged alone.

Flags follow curl's, and a command copied from the browser ("Copy as cURL") can
be pasted after --; explicit flags override what the curl command says.

Exit codes: 0 allowed, 1 blocked (or a warning with --strict), 2 bad usage or
input, 3 the endpoint could not be reached.`,
		Example: `  corsdiag check https://api.example.com/items --origin https://app.example.com
  corsdiag check https://api.example.com/items --origin https://app.example.com -X PUT -H 'Content-Type: application/json'
  corsdiag check https://api.example.com/me --origin https://app.example.com -b 'session=…'
  corsdiag check -o json https://api.example.com/items --origin https://app.example.com
  corsdiag check -- curl 'https://api.example.com/items' -H 'origin: https://app.example.com' -H 'authorization: Bearer …'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.FromFile != "" {
				text, err := opts.readFromFile(args)
				if err != nil {
					return err
				}
				args = []string{text}
			}
			if err := opts.setArgs(args); err != nil {
				return err
			}
			opts.changed = cmd.Flags().Changed
			return runCheck(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVar(&opts.FromFile, "from-file", "", "read a pasted \"Copy as cURL\", \"Copy as fetch\" (Node.js too) or \"Copy as PowerShell\" from `FILE` (- for stdin)")
	f.StringVar(&opts.Origin, "origin", "", "origin of the page that makes the request, such as https://app.example.com (required unless a header carries Origin)")
	f.StringVarP(&opts.Method, "request", "X", "", "request method (default GET, or POST with -d)")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header set by script, as 'Name: value' (repeatable)")
	addDataFlag(f, &opts.Data, "data", "d", "data", "request body, as curl -d (@file reads a file; implies POST)")
	addDataFlag(f, &opts.Data, "data-raw", "", "raw", "request body, taken literally")
	addDataFlag(f, &opts.Data, "data-binary", "", "binary", "request body (@file reads a file as is)")
	f.StringVarP(&opts.User, "user", "u", "", "user:password for HTTP basic authentication (implies --credentials)")
	f.StringVarP(&opts.Cookie, "cookie", "b", "", "cookies as 'name=value; name2=value2' (implies --credentials)")
	f.BoolVarP(&opts.Insecure, "insecure", "k", false, "do not verify the server's TLS certificate")
	addRouteFlags(f, &opts.Resolve, &opts.ConnectTo)
	f.BoolVar(&opts.Credentials, "credentials", false, "the request carries credentials (fetch credentials: 'include', XHR withCredentials, an element's crossorigin=\"use-credentials\")")
	f.BoolVar(&opts.SendActual, "send-actual", false, "also send the actual request of a state-changing method (POST, PUT, PATCH, DELETE)")
	f.StringVar(&opts.Preflight, "preflight", "auto", "auto: preflight when the browser would; always: force one (XHR upload listeners)")
	f.BoolVar(&opts.NoErrorProbe, "no-error-probe", false, "do not probe whether error responses carry CORS headers")
	f.StringArrayVar(&opts.CompareOrigins, "compare-origin", nil, "when the server refuses the page's origin, send the same safe request (preflight or GET) from `ORIGIN` too, to show which origins it allows (repeatable; default: the API's own origin)")
	f.BoolVar(&opts.NoCompare, "no-compare", false, "never send the comparison request of --compare-origin")
	f.DurationVar(&opts.Timeout, "timeout", probe.DefaultTimeout, "time limit for the whole check")
	f.StringVar(&opts.HAROut, "har-out", "", "write the exchanges to `FILE` as HAR (secrets redacted unless --no-redact)")
	f.BoolVar(&opts.NoRedact, "no-redact", false, "show cookies, Authorization, API keys and tokens in the output")
	f.StringVarP(&opts.Output, "output", "o", "text", "output format: text, json or html (one self-contained page)")
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too")
	f.StringVar(&opts.Browser, "browser", "chromium", browserFlagHelp)
	f.StringVar(&opts.FixFormat, "fix-format", "", "form of platform-specific fixes: "+strings.Join(platform.Formats(), ", ")+", or all (default: the platform's usual one)")
	f.StringVar(&opts.Initiator, "initiator", "fetch", initiatorHelp())
	f.StringVar(&opts.PageAddressSpace, "page-address-space", "", "where the page's server is, for the local network checks of Chrome and Firefox: public, local or loopback (default: from the origin; a host name is public)")
	return cmd
}

// addRouteFlags adds curl's --resolve and --connect-to, shared by check, ci
// and har --replay.
func addRouteFlags(f *pflag.FlagSet, resolve, connectTo *[]string) {
	f.StringArrayVar(resolve, "resolve", nil, "as curl's --resolve `HOST:PORT:ADDR`: connect to ADDR instead of what DNS says; Host and TLS SNI stay the URL's (repeatable)")
	f.StringArrayVar(connectTo, "connect-to", nil, "as curl's --connect-to `HOST1:PORT1:HOST2:PORT2`: connect to HOST2:PORT2 instead; Host and TLS SNI stay the URL's (repeatable)")
}

func addDataFlag(f *pflag.FlagSet, list *[]dataArg, name, short, mode, usage string) {
	f.VarP(&dataFlag{list: list, mode: mode}, name, short, usage)
}

// setArgs takes URL, or a curl command: `-- curl URL …`, or one argument
// holding the whole pasted command.
func (o *checkOptions) setArgs(args []string) error {
	switch {
	case len(args) == 0 || len(args) == 1 && strings.TrimSpace(args[0]) == "":
		// An empty paste ("$(pbpaste)" with nothing copied) is no URL either.
		return usageErrorf("check needs a URL or a curl command\nUsage: %s\n   or: corsdiag check -- curl 'https://…' -H 'origin: https://your-page.example'", originHint)
	case isCurl(args[0]):
		if err := corsdiagFlagAfterPaste(strings.Fields(args[0])[0], args[1:]); err != nil {
			return err
		}
		o.Curl = args
		return nil
	case pastedForm(args[0]) != "":
		if err := corsdiagFlagAfterPaste(strings.Fields(args[0])[0], args[1:]); err != nil {
			return err
		}
		o.Curl = args
		return nil
	case strings.ContainsAny(strings.Join(args, " "), " \n") && consoleText(strings.Join(args, " ")):
		// Not echoed: it may be long, and its URL may hold a token.
		return usageErrorf("this is a browser's console text, not a URL: corsdiag explain reads it and prints the check command that reproduces it:\n  corsdiag explain \"<the console text>\"   (or paste it into: corsdiag explain -)")
	case len(args) > 1:
		return usageErrorf("check takes one URL, got %d arguments; to paste a curl command, put it after --: corsdiag check -- curl …", len(args))
	case isHARFile(args[0]):
		return usageErrorf("%s is a HAR file, not a URL: run corsdiag har %s", args[0], shellword.Quote(args[0]))
	}
	o.URL = args[0]
	return nil
}

// isHARFile reports whether arg, which has no scheme, names a file that
// starts as a HAR file does.
func isHARFile(arg string) bool {
	if strings.Contains(arg, "://") {
		return false
	}
	f, err := os.Open(arg)
	if err != nil {
		return false
	}
	defer f.Close()
	lower := strings.ToLower(arg)
	if strings.HasSuffix(lower, ".har") || strings.HasSuffix(lower, ".har.gz") || strings.HasSuffix(lower, ".har.zip") {
		return true
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	t := strings.TrimSpace(strings.TrimPrefix(string(head[:n]), "\ufeff"))
	return strings.HasPrefix(t, "{") && strings.Contains(t, `"log"`)
}

// maxPasteSize caps --from-file: a pasted request, not a HAR.
const maxPasteSize = 4 << 20

// readFromFile reads --from-file: one pasted curl, fetch or PowerShell
// command, instead of arguments.
func (o *checkOptions) readFromFile(args []string) (string, error) {
	if len(args) > 0 {
		return "", usageErrorf("--from-file takes the command from %s; pass no URL or command as well", o.FromFile)
	}
	var r io.Reader = o.IO.In
	if o.FromFile != "-" {
		f, err := os.Open(o.FromFile)
		if err != nil {
			return "", usageErrorf("--from-file: %v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPasteSize+1))
	if err != nil {
		return "", usageErrorf("--from-file %s: %v", o.FromFile, err)
	}
	if len(b) > maxPasteSize {
		return "", usageErrorf("--from-file %s: larger than %d MiB; it should hold one copied request", o.FromFile, maxPasteSize>>20)
	}
	text, err := decodePaste(b)
	if err != nil {
		return "", usageErrorf("--from-file %s: %v", o.FromFile, err)
	}
	if !isCurl(text) && pastedForm(text) == "" {
		har, explain := "corsdiag har "+shellword.Quote(o.FromFile), "corsdiag explain - < "+shellword.Quote(o.FromFile)
		if o.FromFile == "-" {
			har, explain = "corsdiag har -", "corsdiag explain -"
		}
		switch t := strings.TrimSpace(text); {
		case strings.HasPrefix(t, "{") && strings.Contains(t, `"log"`):
			return "", usageErrorf("--from-file %s: it holds a HAR file: run %s", o.FromFile, har)
		case consoleText(t):
			return "", usageErrorf("--from-file %s: it holds console text: run %s", o.FromFile, explain)
		}
		return "", usageErrorf("--from-file %s: want a \"Copy as cURL\", \"Copy as fetch\" or \"Copy as PowerShell\" from the browser's Network panel (the text starts with curl, curl.exe, fetch(, await fetch(, Invoke-WebRequest or $session)", o.FromFile)
	}
	return text, nil
}

// decodePaste is the text of a pasted file: UTF-8 (a byte-order mark
// dropped), or UTF-16 when a byte-order mark says so, as Windows
// PowerShell 5.1 saves the clipboard (Get-Clipboard > copied.txt).
func decodePaste(b []byte) (string, error) {
	if !isUTF16(b) {
		return strings.TrimPrefix(string(b), "\ufeff"), nil
	}
	bigEndian := b[0] == 0xfe
	b = b[2:]
	if len(b)%2 != 0 {
		return "", fmt.Errorf("UTF-16 (by its byte-order mark), but it ends in half a character (byte %d)", len(b)+1)
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(units)), nil
}

// isUTF16 reports whether b opens with a UTF-16 byte-order mark, as
// Windows PowerShell's > and Out-File write text.
func isUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})
}

// consoleText reports whether text reads as a browser's console lines:
// those of one request, at most maxPaste bytes (explain's bound), so that
// a large file is not matched line by line against every template. A
// line cut off in the copy is one too: explain says what it lacks.
func consoleText(text string) bool {
	if len(text) > maxPaste {
		return false
	}
	_, err := consoletext.Read(text)
	var cut *consoletext.UnknownReasonError
	return err == nil || errors.As(err, &cut)
}

// pastedForm names the form of a pasted "Copy as fetch" or "Copy as
// PowerShell", or "" for anything else.
func pastedForm(arg string) curlcmd.Dialect {
	arg = strings.TrimSpace(arg)
	switch lower := strings.ToLower(arg); {
	case strings.HasPrefix(arg, "fetch(") || strings.HasPrefix(arg, "await fetch("):
		return curlcmd.Fetch
	case strings.HasPrefix(lower, "invoke-webrequest") || strings.HasPrefix(lower, "invoke-restmethod") ||
		strings.HasPrefix(lower, "$session") || strings.HasPrefix(lower, "iwr "):
		return curlcmd.PowerShell
	}
	return ""
}

func isCurl(arg string) bool {
	return curlcmd.StartsWithCurl(arg)
}

// checkInput is the request to probe, resolved from flags and curl command.
type checkInput struct {
	probe probe.Options
	// profiles judge the request, the primary first.
	profiles []*cors.Profile
}

// resolve validates the options and builds the probe's input.
func (o *checkOptions) resolve() (*checkInput, error) {
	changed := o.changed
	if changed == nil {
		changed = func(string) bool { return false }
	}
	profiles, err := parseBrowsers("--browser", o.Browser)
	if err != nil {
		return nil, err
	}
	profile := profiles[0]
	init, ok := cors.InitiatorOf(&cors.Request{}), true
	if o.Initiator != "" {
		init, ok = cors.LookupInitiator(o.Initiator)
	}
	if !ok {
		return nil, usageErrorf("--initiator %q: want %s", o.Initiator, orList(cors.InitiatorFlags()))
	}
	initiator := init.Name
	switch o.Preflight {
	case "auto", "always":
	default:
		return nil, usageErrorf("--preflight %q: want auto or always", o.Preflight)
	}
	switch o.Output {
	case "text", "json", "html":
	default:
		return nil, usageErrorf("--output %q: want text, json or html", o.Output)
	}
	if _, err := platform.ParseFormat(o.FixFormat); err != nil {
		return nil, usageErrorf("--fix-format %q: want one of %s, or all", o.FixFormat, strings.Join(platform.Formats(), ", "))
	}
	if o.Timeout <= 0 {
		return nil, usageErrorf("--timeout %s: must be more than zero", o.Timeout)
	}

	// Start from the curl command, if any, then apply explicit flags.
	rawURL, method := o.URL, ""
	header := http.Header{}
	var body []byte
	hasBody := false
	cookie, user, insecure, curlOrigin := "", "", false, ""
	var curlOrigins []string
	var curlResolve, curlConnectTo []string
	curlCredentials := false
	curlRedirect := ""
	if o.Curl != nil {
		c, err := parseCurl(o.Curl)
		if err != nil {
			var ee *ExitError
			if errors.As(err, &ee) {
				return nil, err
			}
			return nil, usageErrorf("%v", err)
		}
		for _, w := range c.Warnings {
			fmt.Fprintln(o.IO.Err, "corsdiag: curl command: "+sanitize(w, true))
		}
		if note, ok := c.Unpreflight(); ok {
			fmt.Fprintln(o.IO.Err, "corsdiag: "+sanitize(note, true))
		}
		// The copy names its browser in User-Agent: judge with that
		// browser's rules and words, as har does a file, unless --browser.
		if p := cors.ProfileOfUserAgent(c.Header.Get("User-Agent")); p != nil && p != profile && !changed("browser") {
			profiles, profile = []*cors.Profile{p}, p
			fmt.Fprintf(o.IO.Err, "corsdiag: the copy's User-Agent is %s's: judged as %s (--browser chooses another)\n", p.Display, p.Display)
		}
		rawURL, method, body, cookie, user, insecure = c.URL, c.Method, c.Body, c.Cookie, c.User, c.Insecure
		hasBody = c.Body != nil
		curlOrigin, curlOrigins = c.Origin(), c.Header.Values("Origin")
		curlCredentials, curlRedirect = c.Credentials, c.Redirect
		curlResolve, curlConnectTo = c.Resolve, c.ConnectTo
		// Only what script set: headers the browser added itself (Sec-*,
		// User-Agent, Priority…) would predict a preflight it never sent.
		header, _ = c.ScriptHeader()
		// The copy names its load as a HAR entry does (Sec-Fetch-Dest, an
		// EventSource's Accept): judge it as that load, unless --initiator.
		dest, accept := strings.TrimSpace(c.Header.Get("Sec-Fetch-Dest")), strings.TrimSpace(c.Header.Get("Accept"))
		if in, ok := cors.InitiatorOfRecord("", dest, accept); ok && in.Name != init.Name && !changed("initiator") {
			init, initiator = in, in.Name
			fmt.Fprintf(o.IO.Err, "corsdiag: the copy's Sec-Fetch-Dest and Accept are a %s's: checked with --initiator %s (--initiator chooses another)\n", in.What, in.Flag)
		}
		if !init.Scripted {
			// The page sets no header on a load: Accept and Accept-Language
			// in the copy are the browser's own.
			header = http.Header{}
		}
		if init.SameOriginOnly && (cookie != "" || curlCredentials) {
			// A web font's cookies (a proxy's copy; Safari loads fonts
			// without CORS) are no credential of its CORS request, as har
			// judges such an entry: checked without, as the browser sends it.
			cookie, curlCredentials = "", false
			fmt.Fprintf(o.IO.Err, "corsdiag: the copy's cookies are no credential of a %s: its credentials mode is same-origin, so the browser sends none cross-origin; checked without them\n", init.What)
		}
	}
	// Explicit -H headers replace the curl command's headers of the same
	// name; repeated -H of one name are all sent, as curl does.
	fromFlags := http.Header{}
	noContentType := false // -H 'Content-Type:' takes away curl's default
	for _, h := range o.Headers {
		name, value, del, err := parseHeaderFlag(h)
		if err != nil {
			return nil, err
		}
		header.Del(name)
		if del {
			fromFlags.Del(name)
			noContentType = noContentType || http.CanonicalHeaderKey(name) == "Content-Type"
			continue
		}
		fromFlags.Add(name, value)
	}
	for k, vs := range fromFlags {
		header[k] = vs
	}
	if len(o.Data) > 0 {
		b, err := readData(o.Data, o.IO.In)
		if err != nil {
			return nil, err
		}
		body, hasBody = b, true
		if header.Get("Content-Type") == "" && !noContentType {
			header.Set("Content-Type", curlcmd.DataContentType) // as curl -d
		}
		if method == "GET" {
			// The curl command had no data; -d now implies POST.
			method = ""
		}
	}
	if changed("request") {
		method = o.Method
	}
	if method == "" {
		method = "GET"
		if hasBody {
			method = "POST"
		}
	}
	if changed("cookie") {
		cookie = o.Cookie
	}
	if changed("user") {
		user = o.User
	}
	if changed("insecure") {
		insecure = o.Insecure
	}
	if err := checkCookieFlag(cookie); err != nil {
		return nil, err
	}

	// Origin: the flag, else an -H Origin header, else the curl command's.
	origin := o.Origin
	if origin == "" {
		origin = header.Get("Origin")
		if origin == "" {
			origin = curlOrigin
		}
		// A browser sends one Origin; two name no page to check from.
		seen := header.Values("Origin")
		if len(seen) == 0 {
			seen = curlOrigins
		}
		for _, v := range seen {
			if strings.TrimSpace(v) != strings.TrimSpace(origin) {
				return nil, usageErrorf("two Origin headers (%q and %q): a browser sends one, the page's; pass the one to check with --origin", origin, v)
			}
		}
	}
	header.Del("Origin")
	if origin == "" {
		if o.Curl != nil {
			// A copy lacks it when the page's Referrer-Policy kept the
			// referrer out of a fetch copy, or the Origin header was cut.
			return nil, usageErrorf("the page's origin is missing: the copy names no page origin (no Origin header, no referrer that has one), and a CORS check needs the origin of the page that makes the request\nUsage: corsdiag check --origin https://your-page.example -- <the copy>   (or --from-file FILE)")
		}
		return nil, usageErrorf("the page's origin is missing: a CORS check needs the origin of the page that makes the request\nUsage: %s", originHint)
	}
	canon, err := cors.ParseOrigin(origin)
	if err != nil {
		var oe *cors.OriginError
		if errors.As(err, &oe) {
			return nil, usageErrorf("--origin %q: %s\nUsage: %s", origin, oe.Reason, originHint)
		}
		return nil, usageErrorf("--origin %q: %v", origin, err)
	}
	// A Cookie header is a credential the browser attaches, not one script sets.
	if c := header.Values("Cookie"); len(c) > 0 {
		all := append([]string{}, c...)
		if cookie != "" {
			all = append(all, cookie)
		}
		cookie = strings.Join(all, "; ")
		header.Del("Cookie")
	}

	if rawURL == "" {
		return nil, usageErrorf("the curl command has no URL")
	}
	// The URL as the browser sends it (WHATWG URL standard): a typed space
	// becomes %20, an IDN host punycode, a default port goes.
	href, err := weburl.Request(rawURL)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	rawURL = href
	// Explicit flags come first: curl takes the first --connect-to that
	// matches, and a named --resolve host before the curl command's.
	routes, err := probe.ParseRoutes(append(append([]string{}, o.Resolve...), curlResolve...), append(append([]string{}, o.ConnectTo...), curlConnectTo...))
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	credentials := o.Credentials || curlCredentials || cookie != "" || user != ""
	if err := checkLoad(init, method, header, credentials, curlRedirect); err != nil {
		return nil, err
	}
	var compare []string
	for _, c := range o.CompareOrigins {
		co, err := cors.ParseOrigin(c)
		if err != nil || co == "null" {
			return nil, usageErrorf("--compare-origin %q: want an origin such as https://app.example.com", c)
		}
		compare = append(compare, co)
	}
	if len(compare) > probe.MaxCompareOrigins {
		return nil, usageErrorf("--compare-origin: at most %d origins", probe.MaxCompareOrigins)
	}
	var pageSpace cors.AddressSpace
	if o.PageAddressSpace != "" {
		if pageSpace, err = cors.ParseAddressSpace(o.PageAddressSpace); err != nil {
			return nil, usageErrorf("--page-address-space: %v", err)
		}
	}
	return &checkInput{
		profiles: profiles,
		probe: probe.Options{
			Request: cors.Request{
				Method:         method,
				URL:            rawURL,
				Origin:         canon,
				Header:         header,
				Credentials:    credentials,
				ForcePreflight: o.Preflight == "always",
				Initiator:      initiator,
				Redirect:       curlRedirect,

				PageAddressSpace: pageSpace,
			},
			Body:           body,
			Cookie:         cookie,
			BasicAuth:      user,
			SendActual:     o.SendActual,
			ErrorProbe:     !o.NoErrorProbe,
			Compare:        !o.NoCompare,
			CompareOrigins: compare,
			Timeout:        o.Timeout,
			Insecure:       insecure,
			Routes:         routes,
			Profile:        profile,
		},
	}, nil
}

// checkLoad refuses what the page cannot do with a load other than
// fetch() or XMLHttpRequest (cors.Initiator.Refuses), saying which flags
// to drop, and a pasted call's redirect mode on a load other than fetch(),
// the only one that has one: the others follow every redirect.
func checkLoad(in cors.Initiator, method string, header http.Header, credentials bool, redirect string) error {
	if redirect != "" && redirect != cors.RedirectFollow && in.Name != "fetch" {
		return usageErrorf("--initiator %s: only fetch() has a redirect mode, %s follows every redirect; drop --initiator, or redirect: '%s' from the call",
			in.Flag, in.Short, redirect)
	}
	why := in.Refuses(method, slices.Sorted(maps.Keys(header)), credentials)
	if why == "" {
		return nil
	}
	drop := "-X, -d"
	switch {
	case method == http.MethodGet && len(header) > 0:
		drop = "-H"
	case method == http.MethodGet:
		drop = "--credentials, --cookie, -u"
	}
	return usageErrorf("--initiator %s: %s; drop %s", in.Flag, why, drop)
}

// initiatorHelp is --initiator's help, each kind with its words, all from
// cors.Initiators: a kind added there is in it.
func initiatorHelp() string {
	kinds := make([]string, len(cors.Initiators))
	for i, in := range cors.Initiators {
		kinds[i] = in.Flag + " (" + in.Short + ")"
	}
	return "what makes the request: " + orList(kinds)
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// parseHeaderFlag reads one -H value as curl does: "Name: value";
// "Name:" removes the header, "Name;" sends it empty.
func parseHeaderFlag(h string) (name, value string, del bool, err error) {
	if n, ok := strings.CutSuffix(strings.TrimSpace(h), ";"); ok && !strings.Contains(n, ":") {
		return strings.TrimSpace(n), "", false, checkHeaderName(h, strings.TrimSpace(n))
	}
	n, v, ok := strings.Cut(h, ":")
	if !ok {
		return "", "", false, usageErrorf("-H %s: want 'Name: value'", shownHeaderFlag(h))
	}
	name, value = strings.TrimSpace(n), strings.TrimSpace(v)
	if err := checkHeaderName(h, name); err != nil {
		return "", "", false, err
	}
	at := len(n) + 1 + len(v) - len(strings.TrimLeftFunc(v, unicode.IsSpace)) // where value starts in h
	if i, why := cors.HeaderValueFault(value); i >= 0 {
		return "", "", false, usageErrorf("-H %s: the value holds %s (byte %d)", shownHeaderFlag(h), why, at+i)
	}
	return name, value, value == "", nil
}

// checkCookieFlag refuses a -b value no browser could send. The value is
// not echoed: it may be a bare session token.
func checkCookieFlag(cookie string) error {
	if cookie != "" && !strings.Contains(cookie, "=") {
		return usageErrorf("-b: the value has no '=' (%d bytes): reading a cookie jar file is not supported; pass the cookies as 'name=value; name2=value2'", len(cookie))
	}
	if i, why := cors.HeaderValueFault(cookie); i >= 0 {
		return usageErrorf("-b: the value holds %s (byte %d)", why, i)
	}
	return nil
}

func checkHeaderName(flag, name string) error {
	if name == "" {
		return usageErrorf("-H %s: the header name is empty", shownHeaderFlag(flag))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return usageErrorf("-H %s: the header name is not valid (byte %d is %q)", shownHeaderFlag(flag), i, c)
		}
	}
	return nil
}

// shownHeaderFlag is a -H value as an error message may quote it: the
// name and the length, never the value (a name that is wrong, "Bad Header"
// or a typo of Authorization, says nothing of whether the value is a
// secret), and, when there is no "Name:" to go by, at most the first word
// ("Authorization Bearer x" typed without its colon must not print the
// token; a lone word may be one).
func shownHeaderFlag(h string) string {
	if n, _, ok := strings.Cut(h, ":"); ok {
		return strconv.Quote(n+": …") + " (" + strconv.Itoa(len(h)) + " bytes)"
	}
	first, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if rest != "" {
		return strconv.Quote(first+" …") + " (" + strconv.Itoa(len(h)) + " bytes)"
	}
	return "(" + strconv.Itoa(len(h)) + " bytes)"
}

// readData joins -d values with & as curl does; @file reads a file (@- stdin).
func readData(args []dataArg, stdin io.Reader) ([]byte, error) {
	var parts []string
	for _, a := range args {
		v := a.value
		if a.mode != "raw" && strings.HasPrefix(v, "@") {
			name := v[1:]
			var b []byte
			var err error
			if name == "-" {
				b, err = io.ReadAll(stdin)
			} else {
				b, err = os.ReadFile(name)
			}
			if err != nil {
				return nil, usageErrorf("--data %s: %v", v, err)
			}
			v = string(b)
			if a.mode == "data" {
				v = strings.NewReplacer("\r", "", "\n", "").Replace(v)
			}
		}
		parts = append(parts, v)
	}
	return []byte(strings.Join(parts, "&")), nil
}

// runCheck probes, judges, renders and returns the exit status as an
// *ExitError (nil means allowed).
func runCheck(ctx context.Context, o *checkOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	in, err := o.resolve()
	if err != nil {
		return err
	}
	if o.HAROut != "" {
		// Before anything is sent: a typo must not cost a request.
		if err := checkWritable(o.HAROut); err != nil {
			return usageErrorf("--har-out %s: %v", o.HAROut, err)
		}
	}
	for _, p := range in.profiles {
		if err := checkable(p, &in.probe); err != nil {
			return err
		}
	}
	runs, err := o.probeBrowsers(ctx, in)
	res := runs[0].res
	if err != nil {
		var ue *probe.UnreachableError
		if errors.As(err, &ue) {
			msg := ue.Error()
			if ue.Hint != "" {
				msg += "\nHint: " + ue.Hint
			}
			if o.HAROut != "" && res != nil {
				// The failed hops are worth keeping; the exit code says why.
				if herr := writeHAR(o.HAROut, res, !o.NoRedact); herr != nil {
					msg += "\n" + herr.Error()
				}
			}
			return &ExitError{Code: ExitUnreachable, Message: sanitize(msg, !o.NoRedact), Unredacted: o.NoRedact}
		}
		return &ExitError{Code: ExitUsage, Message: sanitize(err.Error(), !o.NoRedact), Unredacted: o.NoRedact}
	}

	// The detailed report is the primary browser's, or, when several were
	// asked for, the first that blocks the request.
	primary := runs[0]
	var verdicts []cors.BrowserVerdict
	for _, r := range runs {
		// The probe's findings can change a browser's verdict: Safari
		// sends a cross-site request without the cookies it needs.
		r.res.AddBrowserFindings(r.profile, r.d)
		if primary.d.Verdict == cors.Allowed && r.d.Verdict == cors.Blocked {
			primary = r
		}
		if len(runs) > 1 {
			verdicts = append(verdicts, r.profile.Verdict(r.d))
		}
	}
	res, d := primary.res, primary.d
	errorPaths := make([]report.ErrorPath, len(res.ErrorPaths))
	for i, ep := range res.ErrorPaths {
		errorPaths[i] = report.ErrorPath{Purpose: ep.Purpose, Hop: ep.Hop}
	}
	pr := o.analyze(platform.Input{Exchange: res.Exchange, Diagnosis: d, ErrorPaths: res.ErrorPathHops(), FixFormat: o.FixFormat})
	var detection *platform.Detection
	pr.Apply(d)
	if pr != nil {
		detection = pr.Platform
	}

	result := &report.CheckResult{
		Tool:       report.Tool{Name: "corsdiag", Version: Version},
		Browser:    primary.profile.Name,
		Browsers:   verdicts,
		Exchange:   res.Exchange,
		Diagnosis:  d,
		ErrorPaths: errorPaths,
		Platform:   detection,
		NoRedact:   o.NoRedact,
		// The probe may send the actual request after a failed preflight to
		// show what comes next; the browser would not.
		BrowserSkipsActual: len(res.Exchange.Actual) > 0 && !res.BrowserSendsActual,
	}
	switch o.Output {
	case "json":
		err = report.WriteJSON(o.IO.Out, result)
	case "html":
		err = report.WriteCheckHTML(o.IO.Out, result)
	default:
		done := startPager(o.IO)
		write := func(w io.Writer) error {
			return report.WriteText(w, result, report.Style{Color: o.IO.Color(), Width: terminalWidth(o.IO)})
		}
		err = logText(o.IO, write)
		done()
	}
	if err != nil {
		return err
	}
	if o.HAROut != "" {
		if err := writeHAR(o.HAROut, res, !o.NoRedact); err != nil {
			return &ExitError{Code: ExitUsage, Message: err.Error()}
		}
	}
	return exitFor(d, o.Strict)
}

// browserRun is one browser's judgement of what the probe saw.
type browserRun struct {
	profile *cors.Profile
	res     *probe.Result
	d       *cors.Diagnosis
}

// probeBrowsers probes once per distinct request plan (a browser that
// preflights what another sends simple sees other traffic) and judges the
// result with each profile. On an error the first run holds what was seen.
func (o *checkOptions) probeBrowsers(ctx context.Context, in *checkInput) ([]browserRun, error) {
	seen := map[string]*probe.Result{}
	var runs []browserRun
	for _, p := range in.profiles {
		key := planKey(p, &in.probe.Request)
		res, ok := seen[key]
		if !ok {
			opts := in.probe
			opts.Profile = p
			var err error
			res, err = o.run(ctx, opts)
			if err != nil {
				return append(runs, browserRun{profile: p, res: res}), err
			}
			seen[key] = res
		}
		runs = append(runs, browserRun{profile: p, res: res, d: p.Evaluate(res.Exchange)})
	}
	return runs, nil
}

// planKey tells apart requests a probe would send differently. Only a
// Local Network Access refusal stops the probe's redirect-following (a
// prompt does not), so only that switch counts.
func planKey(p *cors.Profile, r *cors.Request) string {
	pl := p.PlanRequest(r)
	return fmt.Sprint(pl.Preflight, pl.Method, pl.RequestHeaders, p.LocalNetworkAccess && p.LocalNetworkBlocksInsecure)
}

// checkable refuses a check that could only be done by sending a
// state-changing request the user did not allow: a simple POST (no
// preflight) is judged on its own response, so there is nothing safe to send.
func checkable(p *cors.Profile, opts *probe.Options) error {
	if opts.SendActual || !probe.OnlyBySending(p, &opts.Request) {
		return nil
	}
	m := cors.NormalizeMethod(opts.Request.Method)
	return usageErrorf("%s needs no preflight, so the browser judges it on the response to the %s itself, and corsdiag does not send a state-changing request unless you ask.\n"+
		"Pass --send-actual to send it (with its body) and check the answer.", m, m)
}

func writeHAR(path string, res *probe.Result, redact bool) error {
	if err := writeFileAtomic(path, func(w io.Writer) error { return res.WriteHAR(w, redact) }); err != nil {
		return fmt.Errorf("--har-out %s: %w", path, err)
	}
	return nil
}

// exitFor maps a diagnosis to the exit-code contract.
func exitFor(d *cors.Diagnosis, strict bool) error {
	switch {
	case d.Verdict == cors.Blocked:
		return &ExitError{Code: ExitBlocked}
	case strict && d.Count(cors.SeverityWarning) > 0:
		// The report says "Allowed"; say why the exit status does not.
		n := d.Count(cors.SeverityWarning)
		what := "a warning"
		if n > 1 {
			what = fmt.Sprintf("%d warnings", n)
		}
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("exit 1: --strict, and %s (the browser would allow the request)", what)}
	}
	return nil
}
