package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corsdiag/corsdiag/pkg/audit"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/report"
)

func init() { register(newAuditCmd) }

// auditOptions are the flags and argument of `corsdiag audit`.
type auditOptions struct {
	IO *IO

	URL         string
	Origins     []string
	Method      string
	Headers     []string
	Cookie      string
	Credentials bool
	SendActual  bool
	Timeout     time.Duration
	Insecure    bool
	Resolve     []string // curl's --resolve HOST:PORT:ADDR
	ConnectTo   []string // curl's --connect-to HOST1:PORT1:HOST2:PORT2
	Output      string   // text | json | sarif
	Rate        float64
	MaxRequests int
	FixFormat   string
	NoRedact    bool

	// run is probe.Run; tests replace it.
	run func(context.Context, probe.Options) (*probe.Result, error)
}

func newAuditCmd(io *IO) *cobra.Command {
	return auditCommand(&auditOptions{IO: io, run: probe.Run})
}

func auditCommand(opts *auditOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit URL --origin ORIGIN [--origin ORIGIN…]",
		Short: "Find the CORS policies that let the wrong pages read URL",
		Long: `audit tries URL from many attacker-controlled origins derived from the ones the
API is meant to allow (--origin, repeatable) and from the registrable domains:
any origin, null, suffix and prefix matches, an unescaped dot, any subdomain,
http, localhost and private addresses, special characters, shared hosting sites.
From each it sends what a browser sends (the preflight when one is needed, the
actual request when it is safe) and reports the origins the browser would let
read the answer: error with the user's cookies, warning without, info for * or a
preflight-only allowance.

The inferred policy comes first, then the findings, each naming the origin that
got in and the answer's headers, then the fix: an exact allow-list in the
platform's form.

Attacker names are under .invalid (or embed your own domain where the technique
needs it), so they never collide with a real site. At most 40 requests, --rate
per second. A state-changing method (PUT, DELETE…) is only preflighted unless
--send-actual.

Exit codes: 0 no error finding, 1 an error finding, 2 bad usage, 3 unreachable.`,
		Example: `  corsdiag audit https://api.example.com/me --origin https://app.example.com --credentials
  corsdiag audit https://api.example.com/items --origin https://app.example.com --origin https://admin.example.com -X DELETE
  corsdiag audit -o sarif https://api.example.com/me --origin https://app.example.com > audit.sarif`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("audit takes one URL, got %d arguments\nUsage: corsdiag audit https://api.example.com/me --origin https://app.example.com", len(args))
			}
			opts.URL = args[0]
			return runAudit(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringArrayVar(&opts.Origins, "origin", nil, "an origin the API is meant to allow, such as https://app.example.com (repeatable; at least one)")
	f.StringVarP(&opts.Method, "request", "X", "GET", "request method the pages send")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header set by script, as 'Name: value' (repeatable)")
	f.StringVarP(&opts.Cookie, "cookie", "b", "", "cookies of a logged-in user, sent on every credentialed request to see the authenticated answer (implies --credentials)")
	f.BoolVar(&opts.Credentials, "credentials", false, "the declared pages call with credentials (cookies); attacker pages always try with and without")
	f.BoolVar(&opts.SendActual, "send-actual", false, "also send the actual request of a state-changing method, from every origin tried")
	f.DurationVar(&opts.Timeout, "timeout", probe.DefaultTimeout, "time limit for each origin's requests")
	f.BoolVarP(&opts.Insecure, "insecure", "k", false, "do not verify the server's TLS certificate")
	addRouteFlags(f, &opts.Resolve, &opts.ConnectTo)
	f.StringVarP(&opts.Output, "output", "o", "text", "output format: text, json or sarif")
	f.Float64Var(&opts.Rate, "rate", audit.DefaultRate, "at most this many requests per second (0: no pause)")
	f.IntVar(&opts.MaxRequests, "max-requests", audit.DefaultMaxRequests, "at most this many requests in all (40 at most)")
	f.StringVar(&opts.FixFormat, "fix-format", "", "form of the allow-list fix: "+strings.Join(platform.AllowListFormats(), ", ")+" (default: the platform's, else nginx)")
	f.BoolVar(&opts.NoRedact, "no-redact", false, "show cookies, Authorization, API keys and tokens in the output")
	return cmd
}

func runAudit(ctx context.Context, o *auditOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	switch o.Output {
	case "text", "json", "sarif":
	default:
		return usageErrorf("--output %q: want text, json or sarif", o.Output)
	}
	if o.Timeout <= 0 {
		return usageErrorf("--timeout %s: must be more than zero", o.Timeout)
	}
	if o.Rate < 0 {
		return usageErrorf("--rate %g: must be 0 or more", o.Rate)
	}
	if o.MaxRequests < 1 || o.MaxRequests > audit.DefaultMaxRequests {
		return usageErrorf("--max-requests %d: want 1 to %d", o.MaxRequests, audit.DefaultMaxRequests)
	}
	routes, err := probe.ParseRoutes(o.Resolve, o.ConnectTo)
	if err != nil {
		return usageErrorf("%v", err)
	}
	header := http.Header{}
	for _, h := range o.Headers {
		name, value, del, err := parseHeaderFlag(h)
		if err != nil {
			return err
		}
		if del {
			header.Del(name)
			continue
		}
		if strings.EqualFold(name, "Origin") {
			return usageErrorf("-H %q: give the allowed origins with --origin; the audit sets Origin itself", h)
		}
		header.Add(name, value)
	}
	if err := checkCookieFlag(o.Cookie); err != nil {
		return err
	}
	cookie := o.Cookie
	if c := header.Values("Cookie"); len(c) > 0 {
		cookie = strings.Join(append(c, cookie), "; ")
		cookie = strings.Trim(cookie, "; ")
		header.Del("Cookie")
	}
	rep, err := audit.Run(ctx, audit.Options{
		URL:         o.URL,
		Origins:     o.Origins,
		Method:      o.Method,
		Header:      header,
		Credentials: o.Credentials || cookie != "",
		SendActual:  o.SendActual,
		MaxRequests: o.MaxRequests,
		Rate:        o.Rate,
		FixFormat:   o.FixFormat,
		Client:      probe.Options{Timeout: o.Timeout, Insecure: o.Insecure, Routes: routes, Cookie: cookie},
		Run:         o.run,
	})
	if err != nil {
		var ue *audit.UsageError
		var un *probe.UnreachableError
		switch {
		case errors.As(err, &ue):
			return usageErrorf("%s", sanitize(ue.Msg, !o.NoRedact))
		case errors.As(err, &un):
			msg := un.Error()
			if un.Hint != "" {
				msg += "\nHint: " + un.Hint
			}
			return &ExitError{Code: ExitUnreachable, Message: sanitize(msg, !o.NoRedact)}
		}
		return &ExitError{Code: ExitUsage, Message: sanitize(err.Error(), !o.NoRedact)}
	}
	res := &report.AuditResult{Tool: report.Tool{Name: "corsdiag", Version: Version}, Report: rep, NoRedact: o.NoRedact}
	switch o.Output {
	case "json":
		err = report.WriteAuditJSON(o.IO.Out, res)
	case "sarif":
		err = report.WriteAuditSARIF(o.IO.Out, res)
	default:
		err = logText(o.IO, func(w io.Writer) error {
			return report.WriteAuditText(w, res, report.Style{Color: o.IO.Color(), Width: terminalWidth(o.IO)})
		})
	}
	if err != nil {
		return err
	}
	if rep.Count(cors.SeverityError) > 0 {
		return &ExitError{Code: ExitBlocked}
	}
	return nil
}
