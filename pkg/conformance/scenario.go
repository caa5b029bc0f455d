// Package conformance holds the scenarios that keep corsdiag honest: each one
// is a request a page makes and the answers a server gives, replayed both in
// real Chromium and through corsdiag's probe and engine. The browser is the
// judge; the conformance test fails when corsdiag's verdict, reported
// finding, console message or predicted requests differ from Chromium's.
//
// Scenarios live in testdata/scenarios/*.yaml at the repository root. This
// package parses them (strictly: an unknown field is an error naming its file
// and line) and serves them from loopback listeners (Server).
package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Scenario is one request a page makes and how the server answers it.
type Scenario struct {
	// Name is unique across all files, kebab-case; it is part of the URL.
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Note says where Chromium departs from the Fetch standard, when the
	// scenario shows such a place.
	Note    string  `yaml:"note,omitempty"`
	Request Request `yaml:"request"`
	// Preflight answers OPTIONS; nil answers it with an empty 204 without
	// any CORS header (what a server that knows nothing of CORS returns).
	Preflight *Response `yaml:"preflight,omitempty"`
	// Redirects are the hops the actual request goes through before
	// Response answers it.
	Redirects []Redirect `yaml:"redirects,omitempty"`
	// Response answers the actual request (after the redirects).
	Response Response `yaml:"response"`

	// Page, when set, places the page in a Local Network Access address
	// space: Chromium runs the scenario in a browser launched with
	// --ip-address-space-overrides for the page's listener (and API.Space
	// for the API's), corsdiag with Request.PageAddressSpace.
	Page *Page `yaml:"page,omitempty"`
	// API places the API listener in an address space (default loopback,
	// what 127.0.0.1 is); only with Page.
	API *APISpace `yaml:"api,omitempty"`
	// Other places the third listener (a redirect's `to: other`) in an
	// address space (default loopback); only with Page.
	Other *APISpace `yaml:"other,omitempty"`
	// Permission is what the browser does with the Local Network Access
	// prompt: "denied" is what headless Chromium does. corsdiag reports the
	// prompt as a warning (a user may allow it); with denied, the suite
	// holds that warning to Chromium's error and expects nothing sent.
	Permission string `yaml:"permission,omitempty"`
	// Sandbox serves the page with Content-Security-Policy: sandbox
	// allow-scripts, as a sandboxed iframe is: its origin is opaque, so
	// every request it makes carries Origin: null (corsdiag: --origin null).
	Sandbox bool `yaml:"sandbox,omitempty"`
	// DefaultPort serves the page at DefaultPortPage, on port 80: its
	// origin has no port, so a header can name that origin with the
	// default port written out (http://127.0.0.1:80), which the browser's
	// serialization never has. Binding port 80 needs root (or
	// CAP_NET_BIND_SERVICE) and a free port; where the suite cannot bind
	// it, the browser run skips the scenario, saying why. corsdiag needs
	// no page listener: it sends the origin.
	DefaultPort bool `yaml:"default_port,omitempty"`

	// Skip leaves the scenario out of one browser's run, by browser name
	// (chromium, firefox, webkit), with the reason: a scenario the suite
	// cannot set up in that browser (the address-space override is a
	// Chromium flag). Everything not skipped runs in every browser.
	Skip map[string]string `yaml:"skip,omitempty"`
}

// Browsers the suite runs, by the names Skip uses.
var Browsers = []string{"chromium", "firefox", "webkit"}

// Skipped is the reason s does not run in browser ("" : it runs).
func (s *Scenario) Skipped(browser string) string { return s.Skip[browser] }

// Page is where the page that makes the request lives.
type Page struct {
	// Space is the page listener's address space: public, local or loopback.
	Space string `yaml:"space"`
	// Secure false opens the page as http://public.test:<port> (mapped to
	// 127.0.0.1), which is not a secure context; default true: the page is
	// http://127.0.0.1:<port>, a secure context.
	Secure *bool `yaml:"secure,omitempty"`
}

// APISpace is the address space of the API (or third) listener.
type APISpace struct {
	Space string `yaml:"space"`
}

// DefaultPortPage is the origin of a default_port scenario's page: port
// 80 of 127.0.0.1, serialized without it.
const DefaultPortPage = "http://127.0.0.1"

// InsecureHost is the name a non-secure page is opened at; Chromium maps it
// to 127.0.0.1 (--host-resolver-rules), corsdiag only puts it in Origin.
const InsecureHost = "public.test"

// IsSecure reports whether the page is a secure context.
func (p *Page) IsSecure() bool { return p == nil || p.Secure == nil || *p.Secure }

// PageOrigin is the origin the page of s has when its listener is at
// listener (http://127.0.0.1:<port>): "null" for a sandboxed page.
func (s *Scenario) PageOrigin(listener string) string {
	if s.Sandbox {
		return "null"
	}
	if s.DefaultPort {
		return DefaultPortPage
	}
	if s.Page.IsSecure() {
		return listener
	}
	return "http://" + InsecureHost + ":" + port(listener)
}

// SandboxedPath is where the page listener serves the sandboxed page.
const SandboxedPath = "/sandboxed"

// PageURL is the URL the browser opens the page of s at.
func (s *Scenario) PageURL(listener string) string {
	if s.Sandbox {
		return listener + SandboxedPath
	}
	return s.PageOrigin(listener) + "/"
}

// Plain reports whether s runs in the suite's main browser, on the page
// origin as it is: not sandboxed, in no declared address space, not on
// port 80.
func (s *Scenario) Plain() bool { return s.Page == nil && !s.Sandbox && !s.DefaultPort }

// PageSpace and APIAddressSpace are the declared address spaces ("" when
// the scenario declares none).
func (s *Scenario) PageSpace() string {
	if s.Page == nil {
		return ""
	}
	return s.Page.Space
}

func (s *Scenario) APIAddressSpace() string {
	if s.API == nil {
		return ""
	}
	return s.API.Space
}

// OtherAddressSpace is the third listener's declared address space, or "".
func (s *Scenario) OtherAddressSpace() string {
	if s.Other == nil {
		return ""
	}
	return s.Other.Space
}

// Request is what page script passes to fetch() (or XMLHttpRequest).
type Request struct {
	Method  string   `yaml:"method,omitempty"` // default GET
	Headers []Header `yaml:"headers,omitempty"`
	// Credentials is fetch's credentials member: omit, same-origin (the
	// default) or include (XHR: withCredentials).
	Credentials string `yaml:"credentials,omitempty"`
	Body        string `yaml:"body,omitempty"`
	// XHR sends the request with XMLHttpRequest instead of fetch().
	XHR bool `yaml:"xhr,omitempty"`
	// Userinfo is put into the request URL as user:password@ (fetch()
	// throws a TypeError for such a URL; XMLHttpRequest takes it).
	Userinfo string `yaml:"userinfo,omitempty"`
	// Upload registers an upload progress listener on the XMLHttpRequest
	// (xhr only), which sets the use-CORS-preflight flag (corsdiag:
	// --preflight always).
	Upload bool `yaml:"upload,omitempty"`
	// Redirect is fetch()'s redirect mode: follow (the default), manual
	// or error (fetch only; corsdiag: cors.Request.Redirect).
	Redirect string `yaml:"redirect,omitempty"`
	// Kind is the page's CORS-mode load other than fetch() and
	// XMLHttpRequest (Kinds): a web font (font: the FontFace API,
	// font-face: a style sheet's @font-face rule), a module script, an
	// image or a stylesheet with crossorigin, an EventSource. "" is
	// fetch (or xhr).
	// Such a load is a GET with no headers script sets.
	Kind string `yaml:"kind,omitempty"`
}

// Kind is one CORS-mode load a page makes without fetch() or
// XMLHttpRequest, and what the suite serves for it.
type Kind struct {
	// Initiator is corsdiag's name of the load (cors.Request.Initiator,
	// check --initiator).
	Initiator string
	// ContentType and Body answer a 2xx response whose scenario sets
	// neither: a resource the browser accepts once CORS lets it through
	// (a font it can decode, a script of a JavaScript type).
	ContentType string
	Body        []byte
	// Credentials: the page can make the load credentialed
	// (crossorigin="use-credentials", EventSource withCredentials); a web
	// font is always same-origin.
	Credentials bool
}

// Kinds are the loads request.kind names.
var Kinds = map[string]Kind{
	"font":           {Initiator: "font", ContentType: "font/ttf", Body: sampleFont()},
	"font-face":      {Initiator: "font", ContentType: "font/ttf", Body: sampleFont()},
	"script":         {Initiator: "script", ContentType: "text/javascript", Body: []byte("export const ok = 1;\n"), Credentials: true},
	"classic-script": {Initiator: "classic-script", ContentType: "text/javascript", Body: []byte("var corsdiagClassic = 1;\n"), Credentials: true},
	"image":          {Initiator: "image", ContentType: "image/gif", Body: sampleGIF, Credentials: true},
	"stylesheet":     {Initiator: "stylesheet", ContentType: "text/css", Body: []byte("body { margin: 0 }\n"), Credentials: true},
	"eventsource":    {Initiator: "eventsource", ContentType: "text/event-stream", Body: []byte("data: ok\n\n"), Credentials: true},
	"video":          {Initiator: "video", ContentType: "video/webm", Body: sampleWebM, Credentials: true},
	"audio":          {Initiator: "audio", ContentType: "audio/wav", Body: sampleWAV(), Credentials: true},
}

// Initiator is corsdiag's name of the API or element that makes r.
func (r Request) Initiator() string {
	switch {
	case r.Kind != "":
		return Kinds[r.Kind].Initiator
	case r.XHR:
		return "XMLHttpRequest"
	}
	return "fetch"
}

// Scripted reports whether script reads the response (fetch() or
// XMLHttpRequest): only then do its headers and status reach the page.
func (r Request) Scripted() bool { return r.Kind == "" }

// Response is one answer of the scenario server.
type Response struct {
	Status int `yaml:"status"`
	// Headers are written as separate lines, in order; a name may repeat.
	Headers []Header `yaml:"headers,omitempty"`
	Body    string   `yaml:"body,omitempty"`
	// Drop closes the connection without answering: a network error.
	Drop bool `yaml:"drop,omitempty"`
}

// Redirect is one redirect hop of the actual request.
type Redirect struct {
	Status int `yaml:"status"`
	// To is where Location points: "api" (the same server, the default),
	// "page" (the page's own origin) or "other" (a third origin).
	To string `yaml:"to,omitempty"`
	// Userinfo is put into the Location URL as user:password@.
	Userinfo string `yaml:"userinfo,omitempty"`
	// Location, when set, is sent as is (placeholders expanded) instead of
	// a URL built from To: for invalid or non-http Locations.
	Location string `yaml:"location,omitempty"`
	// Loop makes Location point back at this hop's own URL: the browser
	// follows it until its redirect limit.
	Loop bool `yaml:"loop,omitempty"`
	// Headers are extra response headers of the redirect (CORS headers: the
	// browser checks CORS on every hop).
	Headers []Header `yaml:"headers,omitempty"`
}

// Header is one header line. Values may hold placeholders: {origin} (the
// page's origin), {page_port}, {api} (the API origin), {api_port}, {other}.
type Header struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

// RequestURL is the URL script passes for scenario s in run nonce: the
// server's URL, with the request's user:password@ when it has one.
func (s *Scenario) RequestURL(srv *Server, nonce string) string {
	return withUserinfo(srv.URL(s.Name, nonce), s.Request.Userinfo)
}

// withUserinfo puts userinfo ("user:password") into raw as user:password@.
func withUserinfo(raw, userinfo string) string {
	if userinfo == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	user, pass, _ := strings.Cut(userinfo, ":")
	u.User = url.UserPassword(user, pass)
	return u.String()
}

// Include reports whether the request is credentialed (credentials: include).
func (r Request) Include() bool { return r.Credentials == "include" }

// MethodOrGet is the method as script passes it, GET when unset.
func (r Request) MethodOrGet() string {
	if r.Method == "" {
		return "GET"
	}
	return r.Method
}

// Origins names the three loopback origins a scenario is served from, to
// fill the placeholders of header values.
type Origins struct {
	Page, API, Other string
}

func port(origin string) string {
	if i := strings.LastIndexByte(origin, ':'); i >= 0 {
		return origin[i+1:]
	}
	return ""
}

// Expand fills the placeholders of v.
func (o Origins) Expand(v string) string {
	return strings.NewReplacer(
		"{origin}", o.Page, "{page_port}", port(o.Page),
		"{api}", o.API, "{api_port}", port(o.API),
		"{other}", o.Other,
	).Replace(v)
}

var nameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadError names the file, line and field of a bad scenario.
type LoadError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// Parse reads one scenario file: a YAML list of scenarios. Unknown fields
// are errors, so a typo cannot silently drop a check.
func Parse(file string, data []byte) ([]Scenario, error) {
	var out []Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&out); err != nil && !errors.Is(err, io.EOF) {
		// yaml errors carry "line N" of this file already.
		return nil, &LoadError{File: file, Err: err}
	}
	// A second pass over the node tree gives each entry its line.
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	lines := make([]int, len(out))
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.SequenceNode {
		for i, n := range root.Content[0].Content {
			if i < len(lines) {
				lines[i] = n.Line
			}
		}
	}
	for i := range out {
		if err := out[i].validate(); err != nil {
			err.File, err.Line = file, lines[i]
			return nil, err
		}
	}
	return out, nil
}

func (s *Scenario) validate() *LoadError {
	bad := func(field, format string, a ...any) *LoadError {
		return &LoadError{Field: "scenario " + quoteName(s.Name) + ": " + field, Err: fmt.Errorf(format, a...)}
	}
	if !nameRE.MatchString(s.Name) {
		return bad("name", "must be kebab-case letters and digits")
	}
	if strings.TrimSpace(s.Description) == "" {
		return bad("description", "is required: say what the scenario shows")
	}
	switch s.Request.Credentials {
	case "", "omit", "same-origin", "include":
	default:
		return bad("request.credentials", "is %q; want omit, same-origin or include", s.Request.Credentials)
	}
	if err := checkHeaders(s.Request.Headers); err != nil {
		return bad("request.headers", "%v", err)
	}
	if err := s.Request.validateKind(); err != "" {
		return bad("request.kind", "%s", err)
	}
	if r := s.Request.Redirect; r != "" && (!slices.Contains(cors.RedirectModes, r) || s.Request.XHR || s.Request.Kind != "") {
		return bad("request.redirect", "is %q; want follow, manual or error, on a fetch()", r)
	}
	if s.Request.Upload && !s.Request.XHR {
		return bad("request.upload", "needs xhr: an upload listener is XMLHttpRequest's")
	}
	if s.Sandbox && s.Page != nil {
		return bad("sandbox", "cannot be combined with page: a sandboxed page has no address space of its own here")
	}
	if s.DefaultPort && (s.Sandbox || s.Page != nil) {
		return bad("default_port", "cannot be combined with sandbox or page: the page is plain, on port 80")
	}
	if err := s.checkDefaultPortHeaders(bad); err != nil {
		return err
	}
	if m := strings.ToUpper(s.Request.MethodOrGet()); s.Request.Body != "" && (m == "GET" || m == "HEAD") {
		return bad("request.body", "a %s request cannot have a body", m)
	}
	if s.Preflight != nil {
		if err := s.Preflight.validate(); err != nil {
			return bad("preflight", "%v", err)
		}
	}
	if err := s.Response.validate(); err != nil {
		return bad("response", "%v", err)
	}
	if err := s.validateSpaces(bad); err != nil {
		return err
	}
	for b, why := range s.Skip {
		if !slices.Contains(Browsers, b) {
			return bad("skip", "names %q; want one of %s", b, strings.Join(Browsers, ", "))
		}
		if strings.TrimSpace(why) == "" {
			return bad("skip."+b, "needs the reason the scenario cannot run there")
		}
	}
	for i, r := range s.Redirects {
		field := fmt.Sprintf("redirects[%d]", i)
		if r.Status < 300 || r.Status > 399 {
			return bad(field+".status", "is %d; a redirect needs 3xx", r.Status)
		}
		switch r.To {
		case "", "api", "page", "other":
		default:
			return bad(field+".to", "is %q; want api, page or other", r.To)
		}
		if err := checkHeaders(r.Headers); err != nil {
			return bad(field+".headers", "%v", err)
		}
	}
	return nil
}

// validateKind says what is wrong with a kind's request, "" when nothing.
func (r Request) validateKind() string {
	if r.Kind == "" {
		return ""
	}
	k, ok := Kinds[r.Kind]
	switch {
	case !ok:
		names := slices.Sorted(maps.Keys(Kinds))
		return fmt.Sprintf("is %q; want one of %s (or none: fetch)", r.Kind, strings.Join(names, ", "))
	case r.XHR:
		return "cannot be combined with xhr"
	case r.MethodOrGet() != "GET" || len(r.Headers) > 0 || r.Body != "" || r.Userinfo != "":
		return "is a plain GET: no method, headers, body or userinfo"
	case r.Credentials == "omit":
		return "has no credentials: omit (crossorigin is anonymous or use-credentials)"
	case r.Include() && !k.Credentials:
		return fmt.Sprintf("a %s load cannot be made with credentials: include", r.Kind)
	}
	return ""
}

func (s *Scenario) validateSpaces(bad func(field, format string, a ...any) *LoadError) *LoadError {
	space := func(v string) bool { return v == "public" || v == "local" || v == "loopback" }
	if s.Page != nil && !space(s.Page.Space) {
		return bad("page.space", "is %q; want public, local or loopback", s.Page.Space)
	}
	for _, f := range []struct {
		field string
		l     *APISpace
	}{{"api", s.API}, {"other", s.Other}} {
		field, l := f.field, f.l
		if l == nil {
			continue
		}
		if s.Page == nil {
			return bad(field, "needs page: the address spaces apply to the page's browser")
		}
		if !space(l.Space) {
			return bad(field+".space", "is %q; want public, local or loopback", l.Space)
		}
	}
	switch s.Permission {
	case "":
	case "denied":
		if s.Page == nil {
			return bad("permission", "needs page: only a page in an address space is asked")
		}
	default:
		return bad("permission", "is %q; want denied (what headless Chromium does)", s.Permission)
	}
	if !s.Page.IsSecure() {
		// The server's {origin} is the listener's 127.0.0.1 origin, not
		// the page's http://public.test one.
		for _, h := range s.allHeaders() {
			if strings.Contains(h.Value, "{origin}") {
				return bad("headers", "%s uses {origin}, which is not the origin of a non-secure page; use \"*\"", h.Name)
			}
		}
	}
	return nil
}

// checkDefaultPortHeaders refuses {origin} and {page_port} in a
// default_port scenario: they are the page listener's, not the page's
// (write DefaultPortPage out).
func (s *Scenario) checkDefaultPortHeaders(bad func(field, format string, a ...any) *LoadError) *LoadError {
	if !s.DefaultPort {
		return nil
	}
	for _, h := range s.allHeaders() {
		if strings.Contains(h.Value, "{origin}") || strings.Contains(h.Value, "{page_port}") {
			return bad("default_port", "%s uses {origin} or {page_port}, which are not the origin of a page on port 80; write %s", h.Name, DefaultPortPage)
		}
	}
	return nil
}

// allHeaders are every header line the scenario writes or sends.
func (s *Scenario) allHeaders() []Header {
	hs := append(append([]Header(nil), s.Response.Headers...), s.Request.Headers...)
	if s.Preflight != nil {
		hs = append(hs, s.Preflight.Headers...)
	}
	for _, r := range s.Redirects {
		hs = append(hs, r.Headers...)
	}
	return hs
}

func (r *Response) validate() error {
	if r.Status < 100 || r.Status > 599 {
		return fmt.Errorf("status is %d; want 100-599", r.Status)
	}
	return checkHeaders(r.Headers)
}

func checkHeaders(hs []Header) error {
	for i, h := range hs {
		if h.Name == "" || strings.ContainsAny(h.Name, " \t\r\n:") {
			return fmt.Errorf("[%d] name %q is not a header name", i, h.Name)
		}
		if strings.ContainsAny(h.Value, "\r\n") {
			return fmt.Errorf("[%d] value of %s holds a line break", i, h.Name)
		}
	}
	return nil
}

func quoteName(n string) string {
	if n == "" {
		return "(unnamed)"
	}
	return n
}

// LoadDir parses every *.yaml file of dir, in name order, and checks that
// scenario names are unique.
func LoadDir(dir string) ([]Scenario, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml scenario files", dir)
	}
	sort.Strings(files)
	var all []Scenario
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ss, err := Parse(f, data)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			if prev, dup := seen[s.Name]; dup {
				return nil, &LoadError{File: f, Field: "scenario " + s.Name, Err: fmt.Errorf("name already used in %s", prev)}
			}
			seen[s.Name] = f
		}
		all = append(all, ss...)
	}
	return all, nil
}

// HTTPHeader expands placeholders and returns the headers as an
// http.Header that keeps repeated lines.
func HTTPHeader(hs []Header, o Origins) http.Header {
	h := http.Header{}
	for _, x := range hs {
		h.Add(x.Name, o.Expand(x.Value))
	}
	return h
}
