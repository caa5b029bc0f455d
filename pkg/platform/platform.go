// Package platform recognises who answered (API Gateway, S3, CloudFront,
// nginx…) from headers, bodies and host names, and turns the engine's
// generic findings into the platform's real cause and fix.
//
// Each platform family lives in one file (apigateway.go, s3.go,
// cloudfront.go, azure.go, google.go, cdn.go, servers.go, frameworks.go)
// holding its fingerprints, its causes and its fixes; this file only
// collects the evidence and ranks it.
package platform

import (
	"cmp"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/swar"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// Detection names the platform that answered.
type Detection struct {
	// ID is the platform's stable identifier ("aws-apigateway-rest").
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Confidence string   `json:"confidence"` // high, medium, low
	Evidence   []string `json:"evidence"`
	// Layers lists every platform seen, outermost first (CloudFront in
	// front of API Gateway in front of Lambda).
	Layers []string `json:"layers,omitempty"`
}

// Input is what the platform layer looks at.
type Input struct {
	Exchange  *cors.Exchange
	Diagnosis *cors.Diagnosis // nil: Analyze evaluates Exchange itself
	// ErrorPaths are the error-path probe's answers (a GET to a path that
	// cannot exist, a request without credentials).
	ErrorPaths []cors.Hop
	// FixFormat is --fix-format: one of Formats(), or "all"; empty picks
	// the platform's default form.
	FixFormat string
	// Target holds names the front door knows (lint reads them from a
	// template); they replace the URL's guesses in fixes.
	Target Target
	// OpenAPIInHCL: the OpenAPI document fixes go in is written in HCL,
	// a Terraform body's jsonencode({...}) (lint, when --fix-format is not
	// given). An openapi fix is then shown in HCL, as a terraform form.
	OpenAPIInHCL bool
}

// Report is the platform layer's answer.
type Report struct {
	Platform *Detection
	// Findings are platform-specific findings to add to the diagnosis.
	Findings []cors.Finding
	ex       *cors.Exchange
	// errorPathsExplained: Findings account for every error-path answer
	// without Access-Control-Allow-Origin, so the generic
	// error-responses-lack-cors would repeat them.
	errorPathsExplained bool
}

// Confidence levels.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// tier orders layers from the outside in.
type tier int

const (
	tierCDN tier = iota
	tierLoadBalancer
	tierGateway
	tierServer
	tierApp
)

// platformInfo is the fixed description of one platform.
type platformInfo struct {
	ID   string
	Name string
	Tier tier
	// DefaultFix is the fix form shown when --fix-format is not given.
	DefaultFix Format
}

var platforms = map[string]platformInfo{}

func registerPlatforms(ps ...platformInfo) {
	for _, p := range ps {
		if _, dup := platforms[p.ID]; dup {
			panic("platform: duplicate platform " + p.ID)
		}
		platforms[p.ID] = p
	}
}

// signal is one piece of evidence for a platform. Weight 3 is a mark only
// that platform leaves, 2 a strong hint, 1 a weak one.
type signal struct {
	platform string
	weight   int
	evidence string
}

// response is one answer the browser (or the error-path probe) got.
type response struct {
	step    string // "preflight", "actual", "redirect 1", "error-path 1"
	request *cors.Message
	resp    *cors.Message // nil on a network error
	netErr  string
	// names are resp's header names, read once: the fingerprints look for
	// dozens of names and prefixes in every answer, which holds a few.
	names headerNames
}

// headerNames are a header map's keys, read once.
type headerNames struct {
	keys []string
	// seen has nameBit(k) set for each key k, every bit when a key is
	// not ASCII: a name whose bit is clear is absent.
	seen uint64
}

// nameBit hashes an ASCII name's length and first and last letters (case
// folded): an ASCII key equal to it under case folding has the same ones.
// The length alone let Content-Length stand for x-amz-apigw-id.
func nameBit(s string) uint64 {
	n := uint(len(s))
	if n > 0 {
		n = 7*n + 3*uint(s[n-1]|0x20) + uint(s[0]|0x20)
	}
	return 1 << (n % 64)
}

// index reads h's keys into n.keys (appended to room); canonical says
// they are tokens (cors.Message.CanonicalKeys), so ASCII.
func (n *headerNames) index(h http.Header, canonical bool, room []string) []string {
	start := len(room)
	for k := range h {
		room = append(room, k)
		if canonical || isASCII(k) {
			n.seen |= nameBit(k)
		} else {
			n.seen = ^uint64(0)
		}
	}
	n.keys = room[start:len(room):len(room)]
	return room
}

// absent reports that no key can match name, from nameBit alone: an ASCII
// name matches only an ASCII key (folding ASCII letters keeps them ASCII;
// a non-ASCII key sets every bit of seen).
func (n *headerNames) absent(name string) bool {
	return n.seen&nameBit(name) == 0 && isASCII(name)
}

// header is header(r.resp, name).
func (r *response) header(name string) string {
	if r.names.absent(name) {
		return ""
	}
	return header(r.resp, name)
}

// hasHeader is hasHeader(r.resp, name).
func (r *response) hasHeader(name string) bool {
	return !r.names.absent(name) && hasHeader(r.resp, name)
}

// headerPrefix is hasHeaderPrefix(r.resp, prefix), over r's keys.
func (r *response) headerPrefix(prefix string) (string, bool) {
	return keyWithPrefix(r.names.keys, prefix)
}

// requestHeader is requestHeader(o.req, name).
func (o *observation) requestHeader(name string) string {
	if o.reqNames.absent(name) {
		return ""
	}
	return requestHeader(o.req, name)
}

// isASCII reads s a word at a time (the last word overlapping the one
// before): every header lookup asks it of the name.
func isASCII(s string) bool {
	if len(s) < 8 {
		var or byte
		for i := 0; i < len(s); i++ {
			or |= s[i]
		}
		return or < 0x80
	}
	or := swar.Load(s, len(s)-8)
	for i := 0; i+8 < len(s); i += 8 {
		or |= swar.Load(s, i)
	}
	return swar.NonASCII(or) == 0
}

// observation is everything fingerprints look at.
type observation struct {
	req  *cors.Request
	url  requestURL
	host string // lower case, no port
	// aws: host ends in .amazonaws.com, as every AWS host pattern does
	// but the Lambda URL's; other hosts skip them.
	aws       bool
	responses []response
	// Room for the usual answers (a preflight, the request, a redirect or
	// an error path) and an empty request: no allocation for them.
	room  [2]response
	noReq cors.Request
	// reqNames are the request's header names; keyRoom holds them and
	// the answers'.
	reqNames headerNames
	keyRoom  [16]string
}

// stepWords names a response's step in a sentence, after "the": the
// answer at "redirect 1" is the one to the request after that redirect.
func stepWords(step string) string {
	switch {
	case step == "actual":
		return "request"
	case strings.HasPrefix(step, "redirect "):
		return "request after " + step
	}
	return step
}

func (o *observation) preflight() *response {
	for i := range o.responses {
		if o.responses[i].step == "preflight" {
			return &o.responses[i]
		}
	}
	return nil
}

// final is the last response of the actual request.
func (o *observation) final() *response {
	var last *response
	for i := range o.responses {
		s := o.responses[i].step
		if s == "actual" || strings.HasPrefix(s, "redirect ") {
			last = &o.responses[i]
		}
	}
	return last
}

func (o *observation) errorPaths() []*response {
	var out []*response
	for i := range o.responses {
		if strings.HasPrefix(o.responses[i].step, "error-path") {
			out = append(out, &o.responses[i])
		}
	}
	return out
}

// fingerprint looks at one response (and the request's host) and returns
// the signals it finds. Host-only fingerprints get r.resp == nil once.
type fingerprint func(o *observation, r *response) []signal

var fingerprints []fingerprint

// cause looks at the whole analysis and returns platform findings.
type cause func(a *analysis) []cors.Finding

var causes []cause

// init gathers in's answers into o; u is its request's URL read.
func (o *observation) init(in Input, u requestURL) {
	o.req = &o.noReq
	if in.Exchange == nil {
		return
	}
	ex := in.Exchange
	o.req = &ex.Request
	o.url = u
	if u.ok {
		o.host = u.host
		o.aws = strings.HasSuffix(o.host, ".amazonaws.com")
	}
	n := len(ex.Actual) + len(in.ErrorPaths)
	if ex.Preflight != nil {
		n++
	}
	o.responses = o.room[:0]
	if n > len(o.room) {
		o.responses = make([]response, 0, n)
	}
	add := func(step string, h *cors.Hop) {
		o.responses = append(o.responses, response{step: step, request: &h.Request, resp: h.Response, netErr: h.NetError})
	}
	if ex.Preflight != nil {
		add("preflight", ex.Preflight)
	}
	for i := range ex.Actual {
		step := "actual"
		if i > 0 {
			step = "redirect " + itoa(i)
		}
		add(step, &ex.Actual[i])
	}
	for i := range in.ErrorPaths {
		add("error-path "+itoa(i+1), &in.ErrorPaths[i])
	}
	keys := o.reqNames.index(o.req.Header, false, o.keyRoom[:0])
	for i := range o.responses {
		if r := &o.responses[i]; r.resp != nil {
			keys = r.names.index(r.resp.Header, r.resp.CanonicalKeys, keys)
		}
	}
}

// requestURL is what the platform layer reads from the request's URL:
// the observation and the fix context share one reading.
type requestURL struct {
	host string // lower case, no port
	path string
	ok   bool // false when there is no URL or it does not parse
}

// readURL reads ex's request URL, without url.Parse for the plain URLs
// HAR files are made of.
func readURL(ex *cors.Exchange) requestURL {
	if ex == nil {
		return requestURL{}
	}
	if host, path, ok := cors.HostPath(ex.Request.URL); ok {
		return requestURL{host: host, path: path, ok: true}
	}
	u, err := url.Parse(ex.Request.URL)
	if err != nil {
		return requestURL{}
	}
	return requestURL{host: strings.ToLower(u.Hostname()), path: u.Path, ok: true}
}

// analysis is the state causes work on.
type analysis struct {
	in       Input
	obs      *observation // &observed
	observed observation
	diag     *cors.Diagnosis
	detected map[string]*Detection
	scores   map[string]int
	primary  *Detection
	// fix is built on first use (fixContext): most requests of a HAR get
	// no platform finding, and building it was a tenth of Analyze.
	fix      FixContext
	fixBuilt bool
	// What learnExisting learned, for the fix context.
	existing       bool
	allowedOrigins []string
	// explained are the error-path answers a platform finding accounts for.
	explained []*response
}

// explain notes that a platform finding accounts for error-path answer r.
func (a *analysis) explain(r *response) {
	if !slices.Contains(a.explained, r) {
		a.explained = append(a.explained, r)
	}
}

// errorPathsExplained reports whether platform findings account for every
// error-path answer error-responses-lack-cors lists (probe.ErrorPathFinding:
// a 4xx or 5xx without Access-Control-Allow-Origin), and there is one.
func (a *analysis) errorPathsExplained() bool {
	n := 0
	for _, r := range a.obs.errorPaths() {
		if r.resp == nil || r.resp.Status < 400 || hasACAO(r.resp) {
			continue
		}
		if !slices.Contains(a.explained, r) {
			return false
		}
		n++
	}
	return n > 0
}

// fixContext is the context fixes are filled with.
func (a *analysis) fixContext() *FixContext {
	if !a.fixBuilt {
		a.fixBuilt = true
		a.fix = fixContextOf(a.in.Exchange, a.diag, a.obs)
		a.fix.apply(a.in.Target)
		a.fix.Existing, a.fix.AllowedOrigins = a.existing, a.allowedOrigins
	}
	return &a.fix
}

// has reports whether platform id was recognised (any confidence).
func (a *analysis) has(id string) bool { _, ok := a.detected[id]; return ok }

// hasAny reports whether any of ids was recognised.
func (a *analysis) hasAny(ids ...string) bool {
	for _, id := range ids {
		if a.has(id) {
			return true
		}
	}
	return false
}

// at least medium confidence.
func (a *analysis) sure(id string) bool { return a.scores[id] >= 2 }

// newAnalysis judges in (unless its Diagnosis is given), recognises who
// answered and prepares the fix context: what Analyze and Explain share.
func newAnalysis(in Input) *analysis {
	a := new(analysis)
	a.init(in)
	return a
}

// init is newAnalysis into a zero a.
func (a *analysis) init(in Input) {
	u := readURL(in.Exchange)
	a.in, a.diag = in, in.Diagnosis
	a.obs = &a.observed
	a.obs.init(in, u)
	if a.diag == nil && in.Exchange != nil {
		a.diag = cors.Evaluate(in.Exchange)
	}
	if a.diag == nil {
		a.diag = &cors.Diagnosis{}
	}
	a.detect()
}

// analyses recycles Analyze's state, a kilobyte with the answers and their
// header names in place: `har` analyzes every request of a file. Nothing
// Analyze returns points into it.
var analyses = sync.Pool{New: func() any { return new(analysis) }}

// Analyze recognises the platform and explains the findings for it.
func Analyze(in Input) *Report {
	a := analyses.Get().(*analysis)
	defer func() {
		*a = analysis{}
		analyses.Put(a)
	}()
	a.init(in)
	a.learnExisting()
	rep := &Report{Platform: a.primary, ex: in.Exchange}
	for _, c := range causes {
		for _, f := range c(a) {
			if !hasFinding(rep.Findings, f.Code, f.Step) {
				rep.Findings = append(rep.Findings, f)
			}
		}
	}
	slices.SortStableFunc(rep.Findings, func(x, y cors.Finding) int {
		return cmp.Compare(x.Severity.Rank(), y.Severity.Rank())
	})
	rep.errorPathsExplained = a.errorPathsExplained()
	return rep
}

// hasFinding reports whether fs has a finding of code at step: a cause
// found twice is reported once. A report holds a few findings at most.
func hasFinding(fs []cors.Finding, code cors.Code, step string) bool {
	for i := range fs {
		if fs[i].Code == code && fs[i].Step == step {
			return true
		}
	}
	return false
}

// detect runs every fingerprint and ranks the platforms.
func (a *analysis) detect() {
	type agg struct {
		score    int
		evidence []string
		seen     map[string]int
	}
	var aggs map[string]*agg // made at the first signal: most answers give none
	addSignals := func(step string, sigs []signal) {
		for _, s := range sigs {
			g := aggs[s.platform]
			if g == nil {
				if aggs == nil {
					aggs = map[string]*agg{}
				}
				g = &agg{seen: map[string]int{}}
				aggs[s.platform] = g
			}
			if i, ok := g.seen[s.evidence]; ok {
				if step != "" && !strings.Contains(g.evidence[i], step) {
					g.evidence[i] = strings.TrimSuffix(g.evidence[i], ")") + ", " + step + ")"
				}
				continue
			}
			ev := s.evidence
			if step != "" {
				ev += " (" + step + ")"
			}
			g.seen[s.evidence] = len(g.evidence)
			g.evidence = append(g.evidence, ev)
			g.score += s.weight
		}
	}
	for _, fp := range fingerprints {
		addSignals("", fp(a.obs, nil))
		for i := range a.obs.responses {
			r := &a.obs.responses[i]
			if r.resp == nil {
				continue
			}
			addSignals(r.step, fp(a.obs, r))
		}
	}
	if len(aggs) == 0 {
		return
	}
	a.detected = map[string]*Detection{}
	a.scores = map[string]int{}
	var ids []string
	for id, g := range aggs {
		if _, ok := platforms[id]; !ok {
			panic("platform: signal for unregistered platform " + id)
		}
		a.scores[id] = g.score
		a.detected[id] = &Detection{ID: id, Name: platforms[id].Name, Confidence: confidence(g.score), Evidence: g.evidence}
		ids = append(ids, id)
	}
	suppressShadowed(a)
	ids = ids[:0]
	for id := range a.detected {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return
	}
	// Layers: outermost first; the primary platform is the surest one, and
	// among equals the innermost gateway (where CORS is usually configured).
	sort.Slice(ids, func(i, j int) bool {
		pi, pj := platforms[ids[i]], platforms[ids[j]]
		if pi.Tier != pj.Tier {
			return pi.Tier < pj.Tier
		}
		return ids[i] < ids[j]
	})
	var layers []string
	for _, id := range ids {
		layers = append(layers, platforms[id].Name)
	}
	best := ""
	for _, id := range ids {
		if best == "" || rankScore(a.scores[id]) > rankScore(a.scores[best]) ||
			rankScore(a.scores[id]) == rankScore(a.scores[best]) && platforms[id].Tier == tierGateway && platforms[best].Tier != tierGateway {
			best = id
		}
	}
	d := *a.detected[best]
	if len(layers) > 1 {
		d.Layers = layers
		for _, id := range ids {
			if id == best {
				continue
			}
			o := a.detected[id]
			d.Evidence = append(d.Evidence, o.Name+" ("+o.Confidence+"): "+strings.Join(o.Evidence, "; "))
		}
	}
	a.primary = &d
}

// rankScore caps scores so that piling up weak hints never beats a mark
// only one platform leaves.
func rankScore(s int) int {
	if s > 3 {
		return 3
	}
	return s
}

func confidence(score int) string {
	switch {
	case score >= 3:
		return High
	case score == 2:
		return Medium
	}
	return Low
}

// shadows lists platforms whose marks another, more specific platform
// explains once it is sure: the REST API's x-amzn-RequestId is no sign of a
// separate Lambda function URL, Google API Gateway's "server: envoy" no
// sign of an Envoy of the user's own.
var shadows = map[string][]string{}

// exclusive groups are alternatives, not layers: one API is a REST API or
// an HTTP API, never both. The surest stays (ties: the first listed).
var exclusive [][]string

func suppressShadowed(a *analysis) {
	if len(a.detected) == 0 {
		return
	}
	for winner, losers := range shadows {
		if a.scores[winner] < 3 {
			continue
		}
		for _, l := range losers {
			delete(a.detected, l)
			delete(a.scores, l)
		}
	}
	for _, group := range exclusive {
		best := ""
		for _, id := range group {
			if _, ok := a.detected[id]; ok && (best == "" || a.scores[id] > a.scores[best]) {
				best = id
			}
		}
		for _, id := range group {
			if id != best {
				delete(a.detected, id)
				delete(a.scores, id)
			}
		}
	}
}

// finding builds a platform finding. Severity is error when the finding
// explains what the browser blocks, warning otherwise.
func (a *analysis) finding(code cors.Code, platformID, step string, blocking bool, message, summary string) cors.Finding {
	f := cors.NewFinding(code, step, message)
	if blocking {
		f.Severity = cors.SeverityError
	} else {
		f.Severity = cors.SeverityWarning
	}
	f.Platform = platforms[platformID].Name
	f.Fix = a.fixText(code, platformID, summary)
	return f
}

// blockedWithoutACAO reports whether r is an answer without
// Access-Control-Allow-Origin at a step the browser blocks: "this platform
// sent no CORS headers", as most platforms' causes start.
func (a *analysis) blockedWithoutACAO(r *response) bool {
	return r != nil && r.resp != nil && !hasACAO(r.resp) && a.blocks(r.step)
}

// firstBlockedWithoutACAO is the preflight, else the final answer, that
// blockedWithoutACAO holds for; nil when neither.
func (a *analysis) firstBlockedWithoutACAO() *response {
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if a.blockedWithoutACAO(r) {
			return r
		}
	}
	return nil
}

// blocks reports whether the engine's diagnosis has an error at step.
func (a *analysis) blocks(step string) bool {
	for _, f := range a.diag.Findings {
		if f.Severity == cors.SeverityError && f.Step == step {
			return true
		}
	}
	return false
}

// hasCode reports whether the diagnosis has one of codes.
func (a *analysis) hasCode(codes ...cors.Code) bool {
	for _, c := range codes {
		if a.diag.Has(c) {
			return true
		}
	}
	return false
}

// Helpers over messages.

func header(m *cors.Message, name string) string {
	if m == nil {
		return ""
	}
	if m.CanonicalKeys {
		// A key found as named is a canonical token, so it is name's
		// canonical form: the lookup below would find it too.
		if vs, ok := m.Header[name]; ok {
			return first(vs)
		}
	}
	var buf [maxKeyLen]byte
	key, token := tokenKey(&buf, name)
	var vs []string
	if token {
		vs = m.Header[string(key)] // no allocation: the key is only looked up
	} else {
		vs = m.Header[http.CanonicalHeaderKey(name)]
	}
	if len(vs) > 0 {
		return vs[0]
	}
	if token && m.CanonicalKeys {
		// Every key is a canonical token: no other key can match name.
		return ""
	}
	for k, vs := range m.Header {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// severalAllowOrigins reports whether m holds more than one
// Access-Control-Allow-Origin value: two lines, or one with a comma list
// (as some HARs and proxies join them). Two layers each sending it is the
// usual cause.
func severalAllowOrigins(m *cors.Message) bool {
	return headerCount(m, cors.HeaderAllowOrigin) > 1 || strings.Contains(header(m, cors.HeaderAllowOrigin), ",")
}

func headerCount(m *cors.Message, name string) int {
	if m == nil {
		return 0
	}
	if m.CanonicalKeys {
		if vs, ok := m.Header[name]; ok { // as in header
			return len(vs)
		}
	}
	var buf [maxKeyLen]byte
	if key, token := tokenKey(&buf, name); token && m.CanonicalKeys {
		return len(m.Header[string(key)])
	}
	n := 0
	for k, vs := range m.Header {
		if strings.EqualFold(k, name) {
			n += len(vs)
		}
	}
	return n
}

// maxKeyLen bounds the header names tokenKey canonicalizes in place.
const maxKeyLen = 64

// tokenKey writes http.CanonicalHeaderKey(name) into buf when name is a
// token (RFC 9110) of at most maxKeyLen bytes, so that a lookup allocates
// nothing; token is false for any other name. The fingerprints look up
// dozens of names per answer, most written in lower case.
func tokenKey(buf *[maxKeyLen]byte, name string) (key []byte, token bool) {
	if len(name) > maxKeyLen || !cors.IsToken(name) {
		return nil, false
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[i] = c
		upper = c == '-'
	}
	return buf[:len(name)], true
}

func hasHeader(m *cors.Message, name string) bool { return headerCount(m, name) > 0 }

// hasHeaderPrefix reports whether any header name starts with prefix
// (case-insensitive) and returns the first such name.
func hasHeaderPrefix(m *cors.Message, prefix string) (string, bool) {
	if m == nil {
		return "", false
	}
	return keyWithPrefix(slices.Collect(maps.Keys(m.Header)), prefix)
}

// keyWithPrefix is the least of keys that starts with prefix
// (case-insensitive).
func keyWithPrefix(keys []string, prefix string) (string, bool) {
	least, found := "", false
	for _, k := range keys {
		if hasPrefixFold(k, prefix) && (!found || k < least) {
			least, found = k, true
		}
	}
	return least, found
}

// hasPrefixFold reports whether s starts with prefix, case-insensitively.
// Two ASCII first bytes that differ beyond case settle it without
// EqualFold: most keys are refused there.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	if len(prefix) > 0 && s[0] < 0x80 && prefix[0] < 0x80 && s[0]|0x20 != prefix[0]|0x20 {
		return false
	}
	return strings.EqualFold(s[:len(prefix)], prefix)
}

func body(m *cors.Message) string {
	if m == nil {
		return ""
	}
	return string(m.Body)
}

func hasACAO(m *cors.Message) bool { return hasHeader(m, cors.HeaderAllowOrigin) }

// requestHeader reads a header script set on the request.
func requestHeader(r *cors.Request, name string) string {
	for k, vs := range r.Header {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// show quotes a server-sent value for evidence: control characters made
// visible, long values cut.
func show(v string) string {
	v = termsafe.Clean(v)
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	return "\"" + v + "\""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func statusOf(r *response) int {
	if r == nil || r.resp == nil {
		return 0
	}
	return r.resp.Status
}

func is2xx(s int) bool { return s >= 200 && s < 300 }
