package suite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/probe"
	"github.com/corsdiag/corsdiag/pkg/weburl"
)

// DefaultFile is the config file `corsdiag ci` reads when -f is not given.
const DefaultFile = "corsdiag.yaml"

// DefaultTimeout bounds one check when neither the check nor the defaults set one.
const DefaultTimeout = 10 * time.Second

// maxConfigSize caps the config file: a suite is a hand-written list, and a
// bigger file is a mistake (a HAR passed to -f, say).
const maxConfigSize = 8 << 20

// Expect is what a check requires of the browser for one origin.
type Expect string

const (
	// ExpectAllow: the browser must let the page read the response.
	ExpectAllow Expect = "allow"
	// ExpectDeny: the browser must block it (an origin that must not be trusted).
	ExpectDeny Expect = "deny"
)

// Config is a parsed, validated, env-expanded corsdiag.yaml.
type Config struct {
	// Path is the file as the user named it; reports point at it.
	Path     string
	Defaults Defaults
	Checks   []Check
	// Lint are the templates `corsdiag lint` checks in the same run.
	Lint []LintTarget
	// Routes are the top-level resolve: and connect_to: lists, curl's
	// --resolve and --connect-to for every check.
	Routes *probe.Routes
}

// Defaults apply to every check that does not set its own value.
type Defaults struct {
	Origin      string
	Timeout     time.Duration
	Header      http.Header
	Credentials bool
	// Browsers judge every check that names none (profile names).
	Browsers []string
}

// Check is one request the page makes, tried from one or more origins.
type Check struct {
	Name   string
	URL    string
	Method string
	// Header holds the author request headers (defaults merged in).
	Header      http.Header
	Credentials bool
	Cookie      string
	Body        string
	// Initiator is what makes the request: a cors.Initiators name,
	// "fetch" unless the check says (initiator: font).
	Initiator string
	// Targets are the check's origins, each once per browser asked for.
	Targets    []Target
	ErrorProbe bool
	SendActual bool
	// Audit also audits the URL (corsdiag audit): attacker origins derived
	// from the check's allowed origins; an error finding fails the run.
	Audit   bool
	Timeout time.Duration
	// Line is the line of the check in the config file (its first key).
	Line int
}

// Target is one origin of a check and what is expected for it.
type Target struct {
	Origin string
	Expect Expect
	// Browser is the profile that judges it; "" is the default, Chromium,
	// when the config names no browsers.
	Browser string
	// Line is the line of the origin entry, or the check's line when the
	// origin comes from the defaults.
	Line int
}

// ConfigError is a problem in the config file, with the line it is on.
type ConfigError struct {
	File string
	Line int // 0 when the problem is not on one line (empty file)
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// The raw shape of the file. Scalars are kept as yaml.Node so that the
// strict decode (KnownFields) rejects unknown keys while every value keeps
// its line for env expansion and type errors.
type rawConfig struct {
	Version   yaml.Node   `yaml:"version"`
	Resolve   []yaml.Node `yaml:"resolve"`
	ConnectTo []yaml.Node `yaml:"connect_to"`
	Defaults  rawDefaults `yaml:"defaults"`
	Checks    []rawCheck  `yaml:"checks"`
	Lint      []yaml.Node `yaml:"lint"`
}

type rawDefaults struct {
	Origin      yaml.Node            `yaml:"origin"`
	Timeout     yaml.Node            `yaml:"timeout"`
	Headers     map[string]yaml.Node `yaml:"headers"`
	Credentials yaml.Node            `yaml:"credentials"`
	Browsers    yaml.Node            `yaml:"browsers"`
}

type rawCheck struct {
	Name        yaml.Node            `yaml:"name"`
	URL         yaml.Node            `yaml:"url"`
	Method      yaml.Node            `yaml:"method"`
	Headers     map[string]yaml.Node `yaml:"headers"`
	Credentials yaml.Node            `yaml:"credentials"`
	Cookie      yaml.Node            `yaml:"cookie"`
	Body        yaml.Node            `yaml:"body"`
	Origins     []rawOrigin          `yaml:"origins"`
	Expect      yaml.Node            `yaml:"expect"`
	ErrorProbe  yaml.Node            `yaml:"error_probe"`
	SendActual  yaml.Node            `yaml:"send_actual"`
	Audit       yaml.Node            `yaml:"audit"`
	Timeout     yaml.Node            `yaml:"timeout"`
	Browsers    yaml.Node            `yaml:"browsers"`
	Initiator   yaml.Node            `yaml:"initiator"`
}

type rawOrigin struct {
	Origin yaml.Node `yaml:"origin"`
	Expect yaml.Node `yaml:"expect"`
}

// keysOf names the keys each raw type accepts, for "unknown key" messages.
var keysOf = map[string]struct{ where, keys string }{
	"suite.rawConfig":   {"at the top level", "version, resolve, connect_to, defaults, checks, lint"},
	"suite.rawDefaults": {"in defaults", "origin, timeout, headers, credentials, browsers"},
	"suite.rawCheck":    {"in a check", "name, url, method, headers, credentials, cookie, body, origins, expect, error_probe, send_actual, audit, timeout, browsers, initiator"},
	"suite.rawOrigin":   {"in an origin", "origin, expect"},
}

var typeNames = strings.NewReplacer(
	"[]suite.rawCheck", "a list of checks",
	"[]suite.rawOrigin", "a list of origins",
	"[]yaml.Node", "a list of values",
	"suite.rawConfig", "the config (a mapping)",
	"suite.rawDefaults", "defaults (a mapping)",
	"suite.rawCheck", "a check (a mapping)",
	"suite.rawOrigin", "an origin (a mapping of origin and expect)",
	"map[string]yaml.Node", "a mapping of header names to values",
)

// yamlKinds names a YAML node's tag in a type error as a user would.
var yamlKinds = map[string]string{
	"str": "the text", "int": "the number", "float": "the number", "bool": "the value",
	"seq": "a list", "map": "a mapping", "null": "nothing", "timestamp": "the date",
}

var (
	lineRe      = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownRe   = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	unmarshalRe = regexp.MustCompile("^cannot unmarshal !!(\\w+) (?:(`.*`) )?into (.*)$")
)

// LoadFile reads and parses a config file.
func LoadFile(path string, getenv func(string) string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &ConfigError{File: path, Msg: "no such file; write a starter one with `corsdiag ci init`"}
		}
		return nil, &ConfigError{File: path, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, &ConfigError{File: path, Msg: err.Error()}
	}
	if len(data) > maxConfigSize {
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("larger than %d MiB; is this really a corsdiag config?", maxConfigSize>>20)}
	}
	return Parse(path, data, getenv)
}

// Parse parses config data strictly: an unknown key, a wrong type, a
// missing required value or an unset ${VAR} is a *ConfigError naming the line.
func Parse(path string, data []byte, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var raw rawConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ConfigError{File: path, Msg: "the file is empty; it needs a list of checks (see `corsdiag ci init`)"}
		}
		return nil, yamlError(path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &ConfigError{File: path, Line: extra.Line, Msg: "a second YAML document; put every check in one document"}
	}
	p := &parser{file: path, getenv: getenv}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // the strict decode above already read it
	cfg := p.config(&raw, checkPositions(&doc))
	if p.err != nil {
		return nil, p.err
	}
	return cfg, nil
}

// yamlError turns the YAML library's error into a ConfigError with the
// first line it names and words a user understands.
func yamlError(path string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	ce := &ConfigError{File: path}
	msg := msgs[0]
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &ce.Line)
		msg = m[2]
	}
	if m := unknownRe.FindStringSubmatch(msg); m != nil {
		k := keysOf[m[2]]
		msg = fmt.Sprintf("unknown key %q %s (known keys: %s)", m[1], k.where, k.keys)
	} else if m := unmarshalRe.FindStringSubmatch(typeNames.Replace(msg)); m != nil {
		found := yamlKinds[m[1]]
		if found == "" {
			found = "a " + m[1]
		}
		if m[2] != "" {
			found += " " + m[2] // the value as YAML shortens it
		}
		msg = fmt.Sprintf("want %s here, not %s", m[3], found)
	} else {
		msg = typeNames.Replace(msg)
	}
	if len(msgs) > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", len(msgs)-1)
	}
	ce.Msg = msg
	return ce
}

// parser converts the raw shape, keeping the first error.
type parser struct {
	file   string
	getenv func(string) string
	err    *ConfigError
}

func (p *parser) fail(line int, format string, args ...any) {
	if p.err == nil {
		p.err = &ConfigError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
}

func present(n *yaml.Node) bool {
	return n.Kind != 0 && !(n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// expand replaces ${VAR} with the environment's value. An unset variable is
// an error: an empty token would turn a secret check into a wrong one.
// $$ is a literal $.
func (p *parser) expand(n *yaml.Node, key string) string {
	s := n.Value
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				p.fail(n.Line, "%s: unclosed ${ in %q", key, s)
				return ""
			}
			name := s[i+2 : i+2+end]
			if !isEnvName(name) {
				p.fail(n.Line, "%s: %q is not a variable name (letters, digits and _)", key, name)
				return ""
			}
			v, ok := p.lookup(name)
			if !ok {
				p.fail(n.Line, "%s: environment variable %s is not set", key, name)
				return ""
			}
			b.WriteString(v)
			i += 2 + end
			continue
		}
		b.WriteByte('$')
	}
	return b.String()
}

// lookup treats an empty variable as unset: CI systems pass a missing
// secret as an empty string.
func (p *parser) lookup(name string) (string, bool) {
	v := p.getenv(name)
	return v, v != ""
}

func isEnvName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// str reads a scalar string value, expanded.
func (p *parser) str(n *yaml.Node, key string) (string, bool) {
	if !present(n) {
		return "", false
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		p.fail(n.Line, "%s must be a single value, not a %s", key, kindName(n))
		return "", false
	}
	return p.expand(n, key), true
}

func (p *parser) boolean(n *yaml.Node, key string) (bool, bool) {
	s, ok := p.str(n, key)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	p.fail(n.Line, "%s must be true or false, not %q", key, s)
	return false, false
}

func (p *parser) duration(n *yaml.Node, key string) (time.Duration, bool) {
	s, ok := p.str(n, key)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		p.fail(n.Line, "%s must be a positive duration such as 10s or 1m30s, not %q", key, s)
		return 0, false
	}
	return d, true
}

func (p *parser) origin(n *yaml.Node, key string) (string, bool) {
	s, ok := p.str(n, key)
	if !ok {
		return "", false
	}
	o, err := cors.ParseOrigin(s)
	if err != nil {
		p.fail(n.Line, "%s: %v", key, err)
		return "", false
	}
	return o, true
}

func (p *parser) expect(n *yaml.Node, key string) (Expect, bool) {
	s, ok := p.str(n, key)
	if !ok {
		return "", false
	}
	switch Expect(s) {
	case ExpectAllow, ExpectDeny:
		return Expect(s), true
	}
	p.fail(n.Line, "%s must be allow or deny, not %q", key, s)
	return "", false
}

func (p *parser) headers(m map[string]yaml.Node, where string, into http.Header) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	// In file order, so a name spelled twice is reported where it repeats.
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]].Line != m[names[j]].Line {
			return m[names[i]].Line < m[names[j]].Line
		}
		return names[i] < names[j]
	})
	seen := map[string]string{}
	for _, name := range names {
		n := m[name]
		if !isToken(name) {
			p.fail(n.Line, "%s: %q is not a valid header name", where, name)
			return
		}
		// YAML keys are case-sensitive, header names are not: one of the
		// two would be dropped without a word.
		ck := http.CanonicalHeaderKey(name)
		if first, dup := seen[ck]; dup {
			p.fail(n.Line, "%s: %q and %q are the same header (header names ignore case); keep one", where, first, name)
			return
		}
		seen[ck] = name
		v, _ := p.str(&n, where+" "+name)
		if !p.sendable(n.Line, where+" "+name, v) {
			return
		}
		// fetch() strips a value's leading and trailing whitespace.
		into.Set(name, strings.Trim(v, " \t\r\n"))
	}
}

// sendable fails the config when a header value (or the cookie) cannot
// go on the wire: fetch() throws for a line break or NUL, and net/http
// refuses other control characters, which would read as a network error.
// The value is not quoted: it may hold a secret.
func (p *parser) sendable(line int, what, v string) bool {
	if i, why := cors.HeaderValueFault(v); i >= 0 {
		p.fail(line, "%s: the value holds %s (byte %d)", what, why, i)
		return false
	}
	return true
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// firstLine is the smallest line among the nodes that are set: the line a
// mapping's first key is on.
func firstLine(nodes ...*yaml.Node) int {
	line := 0
	for _, n := range nodes {
		if n.Line > 0 && (line == 0 || n.Line < line) {
			line = n.Line
		}
	}
	return line
}

func (p *parser) config(raw *rawConfig, positions []checkPos) *Config {
	if v, ok := p.str(&raw.Version, "version"); ok && v != "1" {
		p.fail(raw.Version.Line, "version %q is not supported; this corsdiag reads version 1", v)
	}
	cfg := &Config{Path: p.file}
	cfg.Routes = p.routes(raw.Resolve, raw.ConnectTo)
	d := &cfg.Defaults
	d.Timeout = DefaultTimeout
	d.Header = http.Header{}
	if o, ok := p.origin(&raw.Defaults.Origin, "defaults.origin"); ok {
		d.Origin = o
	}
	if t, ok := p.duration(&raw.Defaults.Timeout, "defaults.timeout"); ok {
		d.Timeout = t
	}
	if c, ok := p.boolean(&raw.Defaults.Credentials, "defaults.credentials"); ok {
		d.Credentials = c
	}
	p.headers(raw.Defaults.Headers, "defaults.headers", d.Header)
	d.Browsers = p.browsers(&raw.Defaults.Browsers, "defaults.browsers")
	if len(raw.Checks) == 0 && len(raw.Lint) == 0 && p.err == nil {
		p.fail(raw.Version.Line, "no checks: add a `checks:` list (see `corsdiag ci init`)")
	}
	for i := range raw.Lint {
		if p.err != nil {
			break
		}
		cfg.Lint = append(cfg.Lint, p.lintTarget(&raw.Lint[i], d))
	}
	names := map[string]int{} // check name → its line
	for i := range raw.Checks {
		if p.err != nil {
			break
		}
		pos := checkPos{line: firstLine(&raw.Checks[i].Name, &raw.Checks[i].URL)}
		if i < len(positions) {
			pos = positions[i]
		}
		c := p.check(&raw.Checks[i], i+1, d, pos)
		// Reports name results by check (JUnit testcases, the SARIF
		// fingerprint code scanning matches alerts by): two checks of one
		// name would be one alert, and a failure of either would hide.
		if first, dup := names[c.Name]; dup && p.err == nil {
			hint := ""
			if !present(&raw.Checks[i].Name) {
				hint = " (a check without name: is named METHOD URL)"
			}
			p.fail(c.Line, "check %q: the check at line %d has this name too%s; reports and code scanning alerts tell checks apart by name, so give each its own name (name: in the check)", c.Name, first, hint)
		}
		names[c.Name] = c.Line
		cfg.Checks = append(cfg.Checks, c)
	}
	return cfg
}

// browsers reads a browsers: value: one name, "all", or a list of names
// (aliases such as webkit accepted); nil when absent.
func (p *parser) browsers(n *yaml.Node, key string) []string {
	if !present(n) {
		return nil
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []string
	for _, it := range items {
		v, ok := p.str(it, key)
		if !ok {
			continue
		}
		if strings.EqualFold(v, "all") {
			out = append(out, cors.ProfileNames()...)
			continue
		}
		prof, ok := cors.LookupProfile(v)
		if !ok {
			p.fail(it.Line, "%s: unknown browser %q (want %s or all)", key, v, strings.Join(cors.ProfileNames(), ", "))
			return nil
		}
		out = append(out, prof.Name)
	}
	if len(out) == 0 && p.err == nil {
		p.fail(n.Line, "%s: name at least one browser (%s or all)", key, strings.Join(cors.ProfileNames(), ", "))
	}
	return dedupe(out)
}

func dedupe(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// TargetsFor repeats each origin once per browser (browsers nil: the
// targets as they are, judged by the default browser). Targets already
// expanded for other browsers are collapsed first, so --browser can
// replace a config's browsers.
func TargetsFor(targets []Target, browsers []string) []Target {
	var base []Target
	for _, t := range targets {
		t.Browser = ""
		if !slices.Contains(base, t) {
			base = append(base, t)
		}
	}
	if len(browsers) == 0 {
		return base
	}
	out := make([]Target, 0, len(base)*len(browsers))
	for _, t := range base {
		for _, b := range browsers {
			t.Browser = b
			out = append(out, t)
		}
	}
	return out
}

// Profile is the browser profile that judges the target.
func (t Target) Profile() *cors.Profile {
	if p, ok := cors.LookupProfile(t.Browser); ok {
		return p
	}
	return cors.Chromium
}

// Label names the target for people: its origin, and the browser when the
// config names browsers ("https://app.example in Firefox").
func (t Target) Label() string {
	if t.Browser == "" {
		return t.Origin
	}
	return t.Origin + " in " + t.Profile().Display
}

// routes reads resolve: and connect_to:, each a list of curl's values.
func (p *parser) routes(resolve, connectTo []yaml.Node) *probe.Routes {
	out := &probe.Routes{}
	for _, list := range []struct {
		key   string
		nodes []yaml.Node
	}{{"resolve", resolve}, {"connect_to", connectTo}} {
		for i := range list.nodes {
			n := &list.nodes[i]
			v, ok := p.str(n, list.key)
			if !ok {
				p.fail(n.Line, "%s: entry %d is empty", list.key, i+1)
				return nil
			}
			var one *probe.Routes
			var err error
			if list.key == "resolve" {
				one, err = probe.ParseRoutes([]string{v}, nil)
			} else {
				one, err = probe.ParseRoutes(nil, []string{v})
			}
			var re *probe.RouteError
			if errors.As(err, &re) {
				p.fail(n.Line, "%s %q: %s", list.key, re.Value, re.Reason)
				return nil
			}
			out = out.Join(one)
		}
	}
	return out
}

func (p *parser) check(rc *rawCheck, n int, d *Defaults, pos checkPos) Check {
	c := Check{
		Line:        pos.line,
		Method:      "GET",
		Credentials: d.Credentials,
		Timeout:     d.Timeout,
		Header:      d.Header.Clone(),
	}
	where := fmt.Sprintf("check %d", n)
	if name, ok := p.str(&rc.Name, where+" name"); ok {
		c.Name = name
		where = fmt.Sprintf("check %q", name)
	}
	u, ok := p.str(&rc.URL, where+" url")
	if !ok && p.err == nil {
		p.fail(c.Line, "%s has no url", where)
	}
	if ok {
		// As the browser sends it (WHATWG URL standard): %20 for a space,
		// punycode for an IDN host, no default port.
		href, err := weburl.Request(u)
		var we *weburl.Error
		if errors.As(err, &we) {
			p.fail(rc.URL.Line, "%s url %q: %s", where, u, we.Reason)
		}
		// The Request constructor throws a TypeError for a URL that
		// includes credentials (Fetch, new Request() step 5): no page can
		// make this request, so a check of it would test nothing. The
		// message does not quote the URL: it holds the password.
		if cors.URLIncludesCredentials(href) && p.err == nil {
			p.fail(rc.URL.Line, "%s url: fetch() refuses a URL with a user name or password (TypeError: Request cannot be constructed from a URL that includes credentials), so no page can make this request; send them in an Authorization header (headers:) instead", where)
		}
		c.URL = href
	}
	if m, ok := p.str(&rc.Method, where+" method"); ok {
		if !isToken(m) {
			p.fail(rc.Method.Line, "%s method %q is not an HTTP method", where, m)
		}
		c.Method = cors.NormalizeMethod(m)
	}
	if c.Name == "" {
		c.Name = c.Method + " " + c.URL
	}
	in := cors.Initiators[0]
	if v, ok := p.str(&rc.Initiator, where+" initiator"); ok {
		known := false
		if in, known = cors.LookupInitiator(v); !known && p.err == nil {
			p.fail(rc.Initiator.Line, "%s initiator %q: want %s", where, v, strings.Join(cors.InitiatorFlags(), ", "))
		}
	}
	c.Initiator = in.Name
	if !in.Scripted {
		// The defaults' headers are what script sets on its calls; the
		// page sets none on a font or an image.
		c.Header = http.Header{}
		// Nor do the defaults' credentials reach a font: its credentials
		// mode is same-origin whatever the page does (its own are an error).
		c.Credentials = c.Credentials && !in.SameOriginOnly
	}
	p.headers(rc.Headers, where+" headers", c.Header)
	if v, ok := p.boolean(&rc.Credentials, where+" credentials"); ok {
		c.Credentials = v
	}
	if v, ok := p.str(&rc.Cookie, where+" cookie"); ok && p.sendable(rc.Cookie.Line, where+" cookie", v) {
		c.Cookie = strings.Trim(v, " \t\r\n")
	}
	c.Body, _ = p.str(&rc.Body, where+" body")
	if why := in.Refuses(c.Method, slices.Sorted(maps.Keys(c.Header)), c.Credentials || c.Cookie != ""); why != "" && p.err == nil {
		p.fail(c.Line, "%s initiator %s: %s", where, in.Flag, why)
	}
	c.ErrorProbe, _ = p.boolean(&rc.ErrorProbe, where+" error_probe")
	c.SendActual, _ = p.boolean(&rc.SendActual, where+" send_actual")
	c.Audit, _ = p.boolean(&rc.Audit, where+" audit")
	if t, ok := p.duration(&rc.Timeout, where+" timeout"); ok {
		c.Timeout = t
	}
	def := ExpectAllow
	if e, ok := p.expect(&rc.Expect, where+" expect"); ok {
		def = e
	}
	for i := range rc.Origins {
		ro := &rc.Origins[i]
		line := firstLine(&ro.Origin, &ro.Expect)
		if i < len(pos.origins) {
			line = pos.origins[i]
		}
		o, ok := p.origin(&ro.Origin, where+" origin")
		if !ok && p.err == nil {
			p.fail(line, "%s: origin entry %d has no origin", where, i+1)
		}
		e := def
		if v, ok := p.expect(&ro.Expect, where+" origin "+o+" expect"); ok {
			e = v
		}
		// Twice with one expectation is a row twice; with both, a check
		// that can never pass.
		for _, t := range c.Targets {
			if ok && t.Origin == o && p.err == nil {
				p.fail(line, "%s: origin %s is listed twice (lines %d and %d); keep one entry", where, o, t.Line, line)
			}
		}
		c.Targets = append(c.Targets, Target{Origin: o, Expect: e, Line: line})
	}
	if len(c.Targets) == 0 {
		if d.Origin == "" && p.err == nil {
			p.fail(c.Line, "%s has no origins and defaults.origin is not set", where)
		}
		c.Targets = []Target{{Origin: d.Origin, Expect: def, Line: c.Line}}
	}
	browsers := p.browsers(&rc.Browsers, where+" browsers")
	if browsers == nil {
		browsers = d.Browsers
	}
	c.Targets = TargetsFor(c.Targets, browsers)
	if !c.SendActual && p.err == nil {
		if probe.OnlyBySending(cors.Chromium, &cors.Request{Method: c.Method, URL: c.URL, Header: c.Header, Credentials: c.Credentials}) {
			p.fail(c.Line, "%s: %s with these headers needs no preflight, so it can only be checked by sending it; set send_actual: true (it sends the %s) or the check tests nothing", where, c.Method, c.Method)
		}
	}
	if c.Audit && len(c.AllowedOrigins()) == 0 && p.err == nil {
		p.fail(rc.Audit.Line, "%s: audit: true needs at least one origin with expect: allow (the origins the API is meant to allow, which the audit mutates)", where)
	}
	if cors.OriginOf(c.URL) != "" {
		for _, t := range c.Targets {
			if t.Origin == cors.OriginOf(c.URL) && p.err == nil {
				p.fail(t.Line, "%s: origin %s is the URL's own origin, so the request is not cross-origin and CORS does not apply", where, t.Origin)
			}
		}
	}
	return c
}

// AllowedOrigins are the check's origins expected to be allowed, once
// each, in file order: what an audit of the check declares.
func (c *Check) AllowedOrigins() []string {
	var out []string
	for _, t := range c.Targets {
		if t.Expect == ExpectAllow && !slices.Contains(out, t.Origin) {
			out = append(out, t.Origin)
		}
	}
	return out
}

// checkPos is where a check and its origin entries start in the file.
type checkPos struct {
	line    int
	origins []int
}

// checkPositions finds the line of every item of `checks:` and of its
// `origins:` in the document tree; the strict decode cannot keep them.
func checkPositions(doc *yaml.Node) []checkPos {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	checks := mappingValue(doc.Content[0], "checks")
	if checks == nil || checks.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]checkPos, len(checks.Content))
	for i, item := range checks.Content {
		out[i].line = item.Line
		if origins := mappingValue(item, "origins"); origins != nil && origins.Kind == yaml.SequenceNode {
			for _, o := range origins.Content {
				out[i].origins = append(out[i].origins, o.Line)
			}
		}
	}
	return out
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// LintTarget is one entry of lint: a template and the page's requests.
type LintTarget struct {
	File        string
	Origins     []string
	Routes      []string
	Header      http.Header
	Credentials bool
	Line        int
}

// lintTarget reads a lint: entry: a file name, or a mapping with file,
// origins, routes, headers and credentials (defaults fill the rest).
func (p *parser) lintTarget(n *yaml.Node, d *Defaults) LintTarget {
	t := LintTarget{Line: n.Line, Header: d.Header.Clone(), Credentials: d.Credentials}
	switch n.Kind {
	case yaml.ScalarNode:
		t.File = p.expand(n, "lint")
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "file":
				t.File = p.expand(v, "lint.file")
			case "origins", "origin":
				vs := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					vs = v.Content
				}
				for _, o := range vs {
					if og, ok := p.origin(o, "lint.origins"); ok {
						t.Origins = append(t.Origins, og)
					}
				}
			case "routes", "route":
				vs := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					vs = v.Content
				}
				for _, r := range vs {
					t.Routes = append(t.Routes, p.expand(r, "lint.routes"))
				}
			case "headers":
				var hs map[string]yaml.Node
				if err := v.Decode(&hs); err != nil {
					p.fail(v.Line, "lint.headers: a mapping of header names to values")
					continue
				}
				p.headers(hs, "lint.headers", t.Header)
			case "credentials":
				if c, ok := p.boolean(v, "lint.credentials"); ok {
					t.Credentials = c
				}
			default:
				p.fail(k.Line, "unknown key %q in a lint entry (known keys: file, origins, routes, headers, credentials)", k.Value)
			}
		}
	default:
		p.fail(n.Line, "lint: each entry is a template file name or a mapping with file:")
	}
	if t.File == "" {
		p.fail(n.Line, "lint: an entry without a file")
	}
	if len(t.Origins) == 0 && d.Origin != "" {
		t.Origins = []string{d.Origin}
	}
	if len(t.Origins) == 0 {
		p.fail(n.Line, "lint %s: no origin (set origins: here or defaults.origin)", t.File)
	}
	return t
}
