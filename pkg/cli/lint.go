package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/lint"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

func init() { register(newLintCmd) }

// lintOptions are the flags of `corsdiag lint`.
type lintOptions struct {
	IO          *IO
	Files       []string
	Origins     []string
	Method      string
	Headers     []string
	Credentials bool
	Routes      []string
	Output      string // text | json | sarif
	Strict      bool
	Browser     string
	FixFormat   string
	NoRedact    bool
}

func newLintCmd(io *IO) *cobra.Command {
	opts := &lintOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "lint FILE... --origin ORIGIN",
		Short: "Tell from a template whether the browser will block its requests",
		Long: `lint reads CloudFormation and SAM templates (YAML or JSON, cdk synth output
included), OpenAPI 3 and Swagger 2 definitions with API Gateway's
x-amazon-apigateway-* extensions, serverless.yml files, and Terraform .tf files
(an API's OpenAPI body included). For every route it predicts what the deployed
API Gateway REST or HTTP API, Lambda function URL or S3 bucket would answer the
page at --origin: the preflight, the actual response and API Gateway's own error
responses. It judges those answers with the same rules as 'check', so a mistake
gets the same finding code, anchored to the template line responsible.

By default every method of every route is predicted, with the headers its
authorizer or API key reads; -X, -H and --credentials describe the page's
request instead, and --route picks routes. What a template cannot show (the code
behind a proxy integration) is assumed right and reported as a warning naming
what it must send.

Exit codes: 0 allowed, 1 a browser would block a request (or a warning with
--strict), 2 bad usage or a template that cannot be read.`,
		Example: `  corsdiag lint template.yaml --origin https://app.example.com
  corsdiag lint cdk.out/*.template.json --origin https://app.example.com -o sarif > lint.sarif
  corsdiag lint openapi.yaml --origin https://app.example.com --route 'PUT /items' -H 'Content-Type: application/json'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runLint(opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringArrayVar(&opts.Origins, "origin", nil, "origin of the page, such as https://app.example.com (repeatable; required)")
	f.StringVarP(&opts.Method, "request", "X", "", "request method (default: each method a route declares)")
	f.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header set by script, as 'Name: value' (repeatable)")
	f.BoolVar(&opts.Credentials, "credentials", false, "the request carries credentials (fetch credentials: 'include')")
	f.StringArrayVar(&opts.Routes, "route", nil, "route to lint, as 'PUT /items' or '/items' (repeatable; default: all)")
	f.StringVarP(&opts.Output, "output", "o", "text", "output format: text, json or sarif")
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too")
	f.StringVar(&opts.Browser, "browser", "chromium", "browser whose rules judge the exchange: chromium or firefox")
	f.StringVar(&opts.FixFormat, "fix-format", "", "form of fixes: "+strings.Join(platform.Formats(), ", ")+", or all (default: the template's own form)")
	f.BoolVar(&opts.NoRedact, "no-redact", false, "show the tokens and keys of the template's values and of -H in the output")
	return cmd
}

func runLint(o *lintOptions) error {
	if len(o.Files) == 0 {
		return usageErrorf("lint: name at least one template file")
	}
	if len(o.Origins) == 0 {
		return usageErrorf("lint: --origin is required: the origin of the page that calls the API, such as https://app.example.com")
	}
	for i, og := range o.Origins {
		p, err := cors.ParseOrigin(og)
		if err != nil || p == "null" {
			return usageErrorf("lint: --origin %q is not an origin (scheme://host[:port])", og)
		}
		o.Origins[i] = p
	}
	switch o.Output {
	case "text", "json", "sarif":
	default:
		return usageErrorf("lint: -o %q: use text, json or sarif", o.Output)
	}
	profile, ok := cors.Profiles[o.Browser]
	if !ok {
		return usageErrorf("lint: --browser %q: use chromium or firefox", o.Browser)
	}
	if _, err := platform.ParseFormat(o.FixFormat); err != nil {
		return usageErrorf("lint: %v", err)
	}
	h := http.Header{}
	for _, line := range o.Headers {
		name, value, del, err := parseHeaderFlag(line)
		if err != nil {
			return usageErrorf("lint: %v", err)
		}
		if !del {
			h.Add(name, value)
		}
	}
	for _, r := range o.Routes {
		if _, _, err := lint.ParseRoute(r); err != nil {
			return usageErrorf("lint: --%v", err)
		}
	}
	var templates []*iac.Template
	for _, f := range o.Files {
		t, err := iac.ReadFile(f)
		if err != nil {
			var pe *iac.ParseError
			if errors.As(err, &pe) {
				return usageErrorf("lint: %v", pe)
			}
			return usageErrorf("lint: %s: %v", f, err)
		}
		templates = append(templates, t)
	}
	rep, err := lint.Lint(templates, lint.Options{Origins: o.Origins, Method: o.Method, Header: h, Credentials: o.Credentials,
		Routes: o.Routes, Profile: profile, FixFormat: o.FixFormat})
	if err != nil {
		return usageErrorf("lint: %v", err)
	}
	if !o.NoRedact {
		rep.Redact()
	}
	switch o.Output {
	case "json":
		err = lint.WriteJSON(o.IO.Out, rep)
	case "sarif":
		err = lint.WriteSARIF(o.IO.Out, rep, Version)
	default:
		// The text quotes the template's values, which a pull request
		// writes: in a CI log, as the other text reports, none runs.
		err = logText(o.IO, func(w io.Writer) error { return lint.WriteText(w, rep, terminalWidth(o.IO)) })
	}
	if err != nil {
		return err
	}
	switch {
	case rep.Blocked():
		return &ExitError{Code: ExitBlocked}
	case o.Strict && rep.Count(cors.SeverityWarning) > 0:
		return &ExitError{Code: ExitBlocked, Message: fmt.Sprintf("exit 1: --strict, and %d warning(s) (the browser would allow the requests)", rep.Count(cors.SeverityWarning))}
	}
	return nil
}
