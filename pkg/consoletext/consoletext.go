// Package consoletext reads what a user pastes from a browser's console
// after a CORS failure (one line, or the several lines a browser logs for
// one request, as copied) and says which browser wrote it, which finding
// it reports, and the URL, page origin and status it names.
//
// The matcher is built from the browser profiles' message tables
// (cors.Profile.Templates): the English console strings live there only.
// Firefox's translations (l10n/firefox) are read by writing a line again
// in English (l10n.go).
package consoletext

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// Reading is what a pasted text says.
type Reading struct {
	// Browser is the profile name of the browser that wrote it.
	Browser string
	// Code is the most specific finding the text supports; "" when it
	// cannot tell (the bare fetch() TypeError).
	Code cors.Code
	// Candidates are every code the text is consistent with, Code first.
	Candidates []cors.Code
	// URL, Origin and Status are what the text names ("", 0 when it does
	// not); Param is the failed parameter it names (a header, a method,
	// an Access-Control-Allow-Origin value).
	URL, Origin string
	// RedirectedFrom is the URL a redirect led away from, when the text
	// names one: the URL script asked for in Chrome's "(redirected from
	// '…')", the redirect's own in an older Chrome's "Redirect from '…'".
	RedirectedFrom string
	// Location is where the redirect that failed pointed, when the text
	// names it (WebKit's "Cross-origin redirection to …").
	Location string
	Status   int
	Param    string
	// Initiator is what made the request ("fetch", "XMLHttpRequest",
	// "font", "script", "image", "stylesheet", "eventsource", "video",
	// "audio"; a cors.Initiators name) when the text says.
	Initiator string
	// Preflight says the text shows the failure was on a preflight.
	Preflight bool
	// Note says what the text cannot tell, for people.
	Note string
	// Locale is the Firefox locale the text was written in (de, ja…),
	// "" for English.
	Locale string
	// Legacy is the opening words of an older release's wording the text
	// is in ("Failed to load …", "XMLHttpRequest cannot load …"), "" for
	// today's.
	Legacy string
	// NullOrigin says where the text's null origin came from: NullPage or
	// NullEither; "" when the text names no null origin.
	NullOrigin string
}

// Where a null origin comes from. Chromium names the page's origin, even
// after a redirect that made the Origin sent null (conformance
// redirect-cross-origin-taint), so its null is the page's; an older
// Chrome's "Redirect from" line is the redirect's own response, whose
// Origin that redirect did not touch. WebKit names the Origin sent, which
// a sandboxed or file: page and a redirect it does not show alike make
// null (sandbox-acao-page-origin and redirect-cross-origin-taint log the
// same line). Firefox's lines name no origin.
const (
	NullPage   = "page"   // a sandboxed iframe, a file: or data: page
	NullEither = "either" // the page, or a redirect the text does not show
)

// nullNotes are what a null origin's reading tells people.
var nullNotes = map[string]string{
	// A null page whose request a redirect also took to another origin.
	NullPage + "|redirect": "Origin null: the line names the page's origin, so the page runs in a sandboxed iframe or " +
		"was opened as a file: or data: page: serve it over http(s). Its request was also redirected to another origin, " +
		"after which the browser sends Origin: null from any page: call the final URL directly " +
		"(see origin-tainted-by-redirect). Do not allow null on the server",
	NullEither: "Origin null: either the page runs in a sandboxed iframe or was opened as a file: or data: page (serve it over http(s)), " +
		"or the request was redirected to another origin, after which the browser sends Origin: null (call the final URL directly); " +
		"the text cannot tell which. Do not allow null on the server",
}

// ErrNotConsoleText means the text is no console line corsdiag knows.
var ErrNotConsoleText = errors.New("not a CORS console message of Chrome, Firefox or Safari")

// UnknownReasonError is text that opens as a browser's CORS console line
// (the URL, the page's origin) and then says what no template of that
// browser says: a line cut off in the copy, or a wording newer than the
// profiles. It is an ErrNotConsoleText.
type UnknownReasonError struct {
	// Browser is the profile name of the browser whose opening it is.
	Browser string
	// URL and Origin are what the opening names ("" when it does not).
	URL, Origin string
	// After is the opening's last words ("has been blocked by CORS
	// policy:"); Rest what follows them on the line, at most 60 bytes.
	After, Rest string
}

func (e *UnknownReasonError) Error() string {
	display := e.Browser
	if p, ok := cors.LookupProfile(e.Browser); ok {
		display = p.Display
	}
	return fmt.Sprintf("the text opens as a line of %s's console, but what follows %q, %q, is no wording corsdiag knows (the line is cut off, or it is a message corsdiag does not read)", display, e.After, e.Rest)
}

func (e *UnknownReasonError) Unwrap() error { return ErrNotConsoleText }

// pattern is one template compiled.
type pattern struct {
	t     cors.Template
	re    *regexp.Regexp
	names []string // capture group i+1 → placeholder name
	// lit is the longest literal text every match holds: a line without
	// it is not run through re (a long paste meets hundreds of patterns).
	lit string
}

var (
	once      sync.Once
	patterns  []pattern
	openings  []pattern         // what a browser's CORS lines open with (buildOpenings)
	rejection map[string]string // normalized fetch() rejection text → browser
	internal  map[string][]internalName
)

type internalName struct {
	browser string
	code    cors.Code
}

func build() {
	buildL10n()
	rejection = map[string]string{}
	internal = map[string][]internalName{}
	for _, p := range cors.AllProfiles {
		rejection[normalize(p.Messages.FetchRejection)] = p.Name
		// The TypeError fetch() throws before sending (a URL with
		// user:password@): script's words, not a console line, but what
		// an uncaught rejection shows there.
		for _, code := range slices.Sorted(maps.Keys(p.Messages.Thrown)) {
			patterns = append(patterns, compile(cors.Template{Browser: p.Name, Code: code, Text: p.Messages.Thrown[code], Initiator: "fetch"}))
		}
		for _, t := range p.Templates() {
			patterns = append(patterns, compile(t))
			if t.Key != "" && t.Code != "" {
				addInternal(t.Key, p.Name, t.Code)
			}
		}
		// What older releases logged (Chrome's "Failed to load …"):
		// read by the same rules, never printed.
		for _, t := range p.LegacyTemplates() {
			patterns = append(patterns, compile(t))
		}
	}
	openings = buildOpenings()
	// The catalogue's names: Chromium's CorsError, Firefox's reason key.
	for _, in := range cors.Codes() {
		if in.CorsError != "" {
			addInternal(in.CorsError, "chromium", in.Code)
		}
		if in.Firefox != "" {
			addInternal(in.Firefox, "firefox", in.Code)
		}
	}
}

// addInternal indexes an internal name, with and without its version digit
// (Firefox's CORSMissingAllowOrigin2 is MDN's CORSMissingAllowOrigin).
func addInternal(name, browser string, code cors.Code) {
	for _, k := range []string{strings.ToLower(name), strings.ToLower(strings.TrimRight(name, "0123456789"))} {
		dup := false
		for _, n := range internal[k] {
			dup = dup || n.code == code
		}
		if !dup {
			internal[k] = append(internal[k], internalName{browser, code})
		}
	}
}

// compile turns a template into a regexp: literal text quoted, each
// placeholder a lazy group, {redirected} an optional group.
func compile(t cors.Template) pattern {
	p := pattern{t: t}
	var b strings.Builder
	optional := false
	literal := func(text string) {
		text = normalize(text)
		if !optional && len(text) > len(p.lit) {
			p.lit = text
		}
		b.WriteString(regexp.QuoteMeta(text))
	}
	var walk func(tmpl string)
	walk = func(tmpl string) {
		for {
			i := strings.IndexByte(tmpl, '{')
			j := strings.IndexByte(tmpl[max(i, 0):], '}')
			if i < 0 || j < 0 {
				literal(tmpl)
				return
			}
			literal(tmpl[:i])
			name := tmpl[i+1 : i+j]
			switch name {
			case "redirected":
				b.WriteString("(?:")
				optional = true
				walk(t.Redirected)
				optional = false
				b.WriteString(")?")
			case "status":
				p.names = append(p.names, name)
				b.WriteString(`(\d+|` + regexp.QuoteMeta(t.NoStatus) + `)`)
			case "origin", "sent_origin":
				p.names = append(p.names, name)
				b.WriteString(`(null|[a-zA-Z][a-zA-Z0-9+.-]*://\S+?)`)
			case "url", "request", "from", "location", "location_bare":
				p.names = append(p.names, name)
				b.WriteString(`(\S+?)`)
			default:
				p.names = append(p.names, name)
				b.WriteString(`(.*?)`)
			}
			tmpl = tmpl[i+j+1:]
		}
	}
	walk(t.Text)
	expr := b.String()
	// A line ends where the template ends, or in what consoles append
	// ("[Learn More]", a source location): anchor lazy groups at the end.
	if strings.HasSuffix(t.Text, "}") {
		expr += `(?:\s|$)`
	}
	p.re = regexp.MustCompile(expr)
	return p
}

// buildOpenings compiles the words a browser's CORS lines open with
// before they give the reason: for the templates that start alike (the
// same text through their first placeholder), the longest prefix they
// share, cut at a word. A prefix that names nothing (no placeholder) or
// that one template alone has is no opening.
func buildOpenings() []pattern {
	var out []pattern
	for _, p := range cors.AllProfiles {
		groups := map[string][]cors.Template{}
		var heads []string
		for _, t := range p.Templates() {
			i, j := strings.IndexByte(t.Text, '{'), strings.IndexByte(t.Text, '}')
			if i <= 0 || j < i {
				continue
			}
			head := t.Text[:j+1]
			if groups[head] == nil {
				heads = append(heads, head)
			}
			groups[head] = append(groups[head], t)
		}
		for _, head := range heads {
			ts := groups[head]
			if len(ts) < 2 {
				continue
			}
			shared := ts[0].Text
			for _, t := range ts[1:] {
				n := 0
				for n < len(shared) && n < len(t.Text) && shared[n] == t.Text[n] {
					n++
				}
				shared = shared[:n]
			}
			// Never end inside a placeholder, and end after a word.
			if i := strings.LastIndexByte(shared, '{'); i > strings.LastIndexByte(shared, '}') {
				shared = shared[:i]
			}
			shared = shared[:strings.LastIndexByte(shared, ' ')+1]
			if !strings.Contains(shared, "}") {
				continue
			}
			out = append(out, compile(cors.Template{Browser: p.Name, Text: shared, Redirected: ts[0].Redirected}))
		}
	}
	return out
}

// unknownReason is the UnknownReasonError of the first line of text that
// opens as a browser's CORS line, or nil.
func unknownReason(text string) *UnknownReasonError {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		for i := range openings {
			o := &openings[i]
			if !strings.Contains(line, o.lit) {
				continue
			}
			loc := o.re.FindStringSubmatchIndex(line)
			if loc == nil {
				continue
			}
			e := &UnknownReasonError{Browser: o.t.Browser}
			for k, name := range o.names {
				if loc[2*k+2] < 0 {
					continue
				}
				switch v := line[loc[2*k+2]:loc[2*k+3]]; name {
				case "url":
					e.URL = v
				case "origin":
					e.Origin = v
				}
			}
			// The words after the last placeholder: "has been blocked by
			// CORS policy:", "(Reason:".
			last := loc[0]
			for k := 2; k < len(loc); k++ {
				last = max(last, loc[k])
			}
			e.After = strings.TrimLeft(strings.TrimSpace(line[last:loc[1]]), "'\"./ ")
			e.Rest = strings.TrimSpace(line[loc[1]:])
			if len(e.Rest) > 60 {
				cut := 60
				for cut > 0 && !utf8.RuneStart(e.Rest[cut]) {
					cut--
				}
				e.Rest = e.Rest[:cut] + "…"
			}
			return e
		}
	}
	return nil
}

// normalize makes typographic quotes and runs of spaces plain, in the
// templates and in the text alike: a paste through a chat tool or a
// terminal often changes them.
func normalize(s string) string {
	return strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`, "\u00a0", " ", "\t", " ").Replace(s)
}

// Read interprets pasted console text.
func Read(text string) (*Reading, error) {
	once.Do(build)
	text = normalize(strings.TrimSpace(text))
	if text == "" {
		return nil, ErrNotConsoleText
	}
	if r := readInternalName(text); r != nil {
		return r, nil
	}
	r, english, err := readText(text)
	kind := ""
	if err != nil {
		// A load the profiles have no lines for (a manifest, a text track), or
		// an older wording, reads as fetch()'s line with the same details.
		var asFetch string
		if asFetch, kind = otherKind(text); kind != "" {
			r, english, err = readText(asFetch)
		}
	}
	if err != nil {
		if e := unknownReason(english); e != nil {
			return nil, e
		}
		return nil, err
	}
	credentials := true // the element may have crossorigin="use-credentials"
	if in, ok := cors.LookupInitiator(r.Initiator); ok && !in.Scripted {
		kind, credentials = in.What, !in.SameOriginOnly
	}
	if kind != "" {
		note := "The line is about a " + kind + " the page loads (the element's own request, in CORS mode), not fetch(): corsdiag check sends the same GET."
		switch {
		case credentials && IsCredentialsCode(r.Code):
			// The line says credentials mode 'include': the command
			// reproduces with --credentials already.
			note += " Its credentials mode 'include' is the element's crossorigin=\"use-credentials\": the check sends --credentials."
		case credentials:
			note += " Add --credentials if the element has crossorigin=\"use-credentials\"."
		}
		if r.Note != "" && !strings.HasSuffix(r.Note, ".") {
			// The notes before this one are clauses without a full stop.
			r.Note += "."
		}
		r.Note = strings.TrimSpace(r.Note + " " + note)
	}
	return r, nil
}

// readText reads text, or the one line a chat tool, an issue tracker or a
// terminal wrapped; english is what was read, in English.
func readText(text string) (r *Reading, english string, err error) {
	english, locale := toEnglish(text)
	r, err = read(english)
	if err != nil && strings.Contains(text, "\n") {
		english, locale = toEnglish(strings.Join(strings.Fields(text), " "))
		r, err = read(english)
	}
	if err == nil {
		r.Locale = locale
	}
	return r, english, err
}

// kindAt matches Chromium's "Access to {kind} at '" for the kinds Blink
// names besides fetch and XMLHttpRequest (Resource::ResourceTypeToString).
var kindAt = regexp.MustCompile(`Access to (script|image|font|CSS stylesheet|manifest|audio|video|text track|document|link element resource|other resource|resource) at '`)

// otherKind reads "Access to font at …" as "Access to fetch at …", whose
// details are the same, and says which kind it was.
func otherKind(text string) (string, string) {
	m := kindAt.FindStringSubmatch(text)
	if m == nil {
		return text, ""
	}
	return kindAt.ReplaceAllLiteralString(text, "Access to fetch at '"), m[1]
}

// read interprets normalized text, line by line.
func read(text string) (*Reading, error) {
	var causes, follows []match
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// A line that reads as a cause is one, unless it can follow the
		// cause a line before it named (Firefox's "CORS request did not
		// succeed" after a failed preflight reads as a network error too).
		var c, f []match
		for _, m := range matchLine(line) {
			if m.p.t.Code == "" {
				f = append(f, m)
			} else {
				c = append(c, m)
			}
		}
		if len(c) > 0 && (len(f) == 0 || len(causes) == 0) {
			causes = append(causes, c...)
			continue
		}
		// After a line that leads a code's cause (Firefox's Local Network
		// Access line), the line that reads as that code is its cause.
		if own := ledBy(causes, c); len(own) > 0 {
			causes = append(causes, own...)
			continue
		}
		// The line tells of a preflight only if every reading of it does
		// (Firefox logs the same words after a failed redirect).
		pre, some := true, false
		for _, m := range f {
			pre = pre && m.p.t.AfterPreflight
			some = some || m.p.t.AfterPreflight
		}
		if some && !pre && len(causes) > 0 && len(f) > 0 && f[0].vals["url"] == causes[0].vals["url"] && !redirectStatus(causes[0]) {
			// After a redirect's failure Firefox names the URL script
			// asked for; after a preflight's, the same URL. A 3xx that
			// failed the check at the URL script asked for reads the same
			// as a redirected preflight (Firefox ESR 153: redirect-hop-no-acao
			// and preflight-301): either.
			pre = true
		}
		for _, m := range f {
			m.preflight = pre
			// After a redirect's failure the line names the URL script
			// asked for (Firefox's AfterRedirect): where it started.
			if !pre && len(causes) > 0 {
				u, cu := m.vals["url"], causes[0].vals["url"]
				m.start = u != "" && cu != "" && u != cu
			}
			follows = append(follows, m)
		}
	}
	if len(causes) == 0 && len(follows) == 0 {
		if b, ok := fetchRejection(text); ok {
			return &Reading{Browser: b, Candidates: []cors.Code{}, Note: "fetch() rejects with this same TypeError for every CORS failure and for network errors alike; the console line logged beside it names the cause. Paste that line, or run the check below."}, nil
		}
		return nil, ErrNotConsoleText
	}
	r := decide(causes, follows)
	if r.Browser == cors.Chromium.Name && r.Status == 0 && r.URL != "" {
		r.Status = failedLoadStatus(text, r.URL)
	}
	return r, nil
}

// failedLoad is the line DevTools logs after Chromium's CORS line: "GET
// {url} net::ERR_FAILED 200 (OK)", with the status only when a response
// came (none after a failed preflight).
var failedLoad = regexp.MustCompile(`(?m)\b[A-Z]+ (\S+) net::ERR_FAILED (\d{3})\b`)

// failedLoadStatus is the status the failed-load line names for url, or 0.
func failedLoadStatus(text, url string) int {
	for _, m := range failedLoad.FindAllStringSubmatch(text, -1) {
		if m[1] == url {
			s, _ := strconv.Atoi(m[2])
			return s
		}
	}
	return 0
}

// redirectStatus says the line names a 3xx status.
func redirectStatus(m match) bool {
	s, err := strconv.Atoi(m.vals["status"])
	return err == nil && cors.IsRedirectStatus(s)
}

// ledBy is the matches in c of the code the last cause line leads to, if
// that line leads one.
func ledBy(causes, c []match) []match {
	if len(causes) == 0 || !causes[len(causes)-1].p.t.Leads {
		return nil
	}
	code := causes[len(causes)-1].p.t.Code
	var out []match
	for _, m := range c {
		if m.p.t.Code == code {
			out = append(out, m)
		}
	}
	return out
}

// match is one template found in a line, with its particulars.
type match struct {
	p    *pattern
	vals map[string]string
	// preflight: the line follows only a failed preflight.
	preflight bool
	// start: the line names the URL a redirect led away from.
	start bool
	// n is how much of the line the pattern matched.
	n int
}

func matchLine(line string) []match {
	var out []match
	for i := range patterns {
		p := &patterns[i]
		if !strings.Contains(line, p.lit) {
			continue
		}
		loc := p.re.FindStringSubmatchIndex(line)
		if loc == nil {
			continue
		}
		m := match{p: p, vals: map[string]string{}, n: loc[1] - loc[0]}
		for k, name := range p.names {
			if a, b := loc[2*k+2], loc[2*k+3]; a >= 0 && b > a {
				m.vals[name] = line[a:b]
			}
		}
		out = append(out, m)
	}
	// An older release's line that today's extends (Firefox's without its
	// status code) also matches today's, as far or farther: today's
	// reading wins. One that wraps today's cause (WebKit's older "… cannot
	// load URL. cause") matches more of the line, and stays.
	today := map[string]int{}
	for _, m := range out {
		if m.p.t.Legacy == "" {
			today[m.p.t.Browser] = max(today[m.p.t.Browser], m.n)
		}
	}
	return slices.DeleteFunc(out, func(m match) bool { return m.p.t.Legacy != "" && today[m.p.t.Browser] >= m.n })
}

// readInternalName reads a bare internal error name: Chromium's CorsError
// (PreflightMissingAllowOriginHeader), Firefox's reason key
// (CORSMissingAllowOrigin, with or without its digit).
func readInternalName(text string) *Reading {
	if strings.ContainsAny(text, " \n") {
		return nil
	}
	names := internal[strings.ToLower(text)]
	if len(names) == 0 {
		return nil
	}
	r := &Reading{Browser: names[0].browser}
	for _, n := range names {
		r.Candidates = appendCode(r.Candidates, n.code)
	}
	rank(r)
	return r
}

// decide picks the browser (the one whose lines matched most), the codes
// all its cause lines agree on, and the particulars.
func decide(causes, follows []match) *Reading {
	score := map[string]int{}
	for _, m := range append(append([]match{}, causes...), follows...) {
		score[m.p.t.Browser]++
	}
	browser := ""
	for _, p := range cors.AllProfiles {
		if score[p.Name] > score[browser] {
			browser = p.Name
		}
	}
	r := &Reading{Browser: browser}
	sentOrigin := false
	for _, m := range append(append([]match{}, causes...), follows...) {
		if m.p.t.Browser != browser {
			continue
		}
		if m.p.t.Initiator != "" && r.Initiator == "" {
			r.Initiator = m.p.t.Initiator
		}
		if m.preflight && len(causes) > 0 {
			r.Preflight = true
		}
		take := func(dst *string, name string) {
			if *dst == "" {
				*dst = m.vals[name]
			}
		}
		if m.start {
			take(&r.RedirectedFrom, "url")
		}
		take(&r.URL, "url")
		take(&r.URL, "request")
		take(&r.RedirectedFrom, "from")
		take(&r.Location, "location")
		take(&r.Location, "location_bare")
		take(&r.Origin, "origin")
		if r.Origin == "" && m.vals["sent_origin"] != "" {
			r.Origin, sentOrigin = m.vals["sent_origin"], true
		}
		take(&r.Param, "param")
		if s, err := strconv.Atoi(m.vals["status"]); err == nil && r.Status == 0 {
			r.Status = s
		}
	}
	for _, m := range causes {
		if m.p.t.Browser == browser {
			r.Candidates = appendCode(r.Candidates, m.p.t.Code)
			if r.Legacy == "" {
				r.Legacy = m.p.t.Legacy
			}
		}
	}
	if len(r.Candidates) == 0 {
		// Only a line that follows a cause (WebKit's "cannot load"): any
		// error that browser logs.
		for _, p := range patterns {
			if p.t.Browser == browser && p.t.Code != "" && !p.t.Warning {
				r.Candidates = appendCode(r.Candidates, p.t.Code)
			}
		}
		r.Note = "this line follows the line that names the cause; paste that one too for a precise answer"
	}
	refine(r)
	rank(r)
	for _, m := range causes {
		if m.p.t.Browser == browser && m.p.t.Code == r.Code && r.Note == "" {
			r.Note = m.p.t.Note
		}
	}
	p, _ := cors.LookupProfile(browser)
	switch {
	case r.Status != 401 && r.Status != 403 || r.Note != "":
	case r.Preflight || isPreflightCode(r.Code):
		// No browser sends cookies or Authorization on a preflight: its
		// 401 is never the third-party cookies one blocks.
		r.Note = fmt.Sprintf("a preflight carries no cookies or Authorization in any browser: a %d on it comes from what the server runs before it answers OPTIONS (an authentication or API-key check, a firewall, a route without OPTIONS), not from the page's cookies (see middleware-order-auth-before-cors)", r.Status)
	case p != nil && p.ThirdPartyCookies != "sent":
		verb := map[string]string{"blocked": "blocks", "partitioned": "partitions"}[p.ThirdPartyCookies]
		r.Note = fmt.Sprintf("a %d in %s often means the request went out without its cookies: %s %s third-party cookies (see cross-site-cookies-blocked)", r.Status, p.Display, p.Display, verb)
	}
	readNull(r, sentOrigin)
	return r
}

// readNull says where a null origin came from: the page, when the text
// names the page's origin (a redirect it shows did not make the null), or
// either the page or a redirect the text does not show.
func readNull(r *Reading, sentOrigin bool) {
	if r.Origin != "null" || len(r.Candidates) == 0 {
		return
	}
	var note string
	switch {
	case sentOrigin:
		r.NullOrigin = NullEither
		r.Candidates = appendCode(r.Candidates, cors.CodeOriginTainted)
		note = nullNotes[NullEither]
	case r.RedirectedFrom != "" && r.Legacy == "" && cors.OriginOf(r.RedirectedFrom) != cors.OriginOf(r.URL):
		// The engine's null-page reading (check --origin null) is the
		// text's; the redirect will taint a real origin too.
		r.NullOrigin = NullPage
		note = nullNotes[NullPage+"|redirect"]
	default:
		r.NullOrigin = NullPage
		return
	}
	if r.Note != "" && !strings.HasSuffix(r.Note, ".") {
		r.Note += "."
	}
	r.Note = strings.TrimSpace(note + ". " + r.Note)
}

func appendCode(list []cors.Code, c cors.Code) []cors.Code {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

// refine drops candidates the particulars rule out: a preflight shown by
// the lines that follow it, a redirect's 3xx status, the shape of an
// Access-Control-Allow-Origin value.
func refine(r *Reading) {
	keep := func(ok func(cors.Code) bool) {
		var out []cors.Code
		for _, c := range r.Candidates {
			if ok(c) {
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			r.Candidates = out
		}
	}
	if r.Preflight {
		keep(isPreflightCode)
	}
	if r.Location != "" {
		// A redirect the browser checked and refused: a preflight's
		// redirect is never followed, so never checked.
		keep(func(c cors.Code) bool { return !isPreflightCode(c) })
	}
	if in, ok := cors.LookupInitiator(r.Initiator); ok && !in.Scripted {
		// Only script sets what a preflight is for (a method, a header),
		// and a web font never carries credentials.
		keep(func(c cors.Code) bool { return !isPreflightCode(c) && !(in.SameOriginOnly && IsCredentialsCode(c)) })
	}
	if p, ok := cors.LookupProfile(r.Browser); ok && r.Status != 0 && r.Status/100 != 2 {
		if p.StatusBeforeOrigin {
			// A preflight fails on its status first: a CORS check line
			// naming another status is the actual request's.
			keep(func(c cors.Code) bool {
				return !isPreflightCode(c) || c == cors.CodePreflightStatus || c == cors.CodePreflightRedirect
			})
		}
		if p.Messages != nil && p.Messages.RedirectPrefix != "" && cors.IsRedirectStatus(r.Status) && r.Location == "" && !r.Preflight &&
			!isPreflightCode(r.Candidates[0]) && r.Note == "" {
			// The browser words a redirect's failure after its prefix,
			// which the line lacks: this 3xx was the answer.
			opening, _, _ := strings.Cut(p.Messages.RedirectPrefix, "{")
			r.Note = fmt.Sprintf("%s words a redirect's failure after \"%s…\", which this line lacks: the %d had no Location (or an empty one), "+
				"so the browser took it as the answer (often a redirect rule that lost its target: %s)", p.Display, opening, r.Status, cors.CodeRedirectNoLocation)
		}
	}
	if r.Status != 0 && has(r.Candidates, cors.CodePreflightRedirect) {
		// A redirect status is a redirect only with a Location, which the
		// line does not show; without one the preflight failed on its
		// status. Any other status is never a redirect.
		redirect := cors.IsRedirectStatus(r.Status)
		keep(func(c cors.Code) bool {
			return (c == cors.CodePreflightRedirect) == redirect || redirect && c == cors.CodePreflightStatus
		})
		if redirect && has(r.Candidates, cors.CodePreflightStatus) {
			// Most such answers carry one: the redirect first.
			r.Candidates = append([]cors.Code{cors.CodePreflightRedirect}, slices.DeleteFunc(r.Candidates, func(c cors.Code) bool { return c == cors.CodePreflightRedirect })...)
			if r.Note == "" {
				r.Note = fmt.Sprintf("a %d is a redirect only with a Location, which the line does not show; without one (a redirect rule that lost its target) the preflight failed on its status: %s", r.Status, cors.CodePreflightStatus)
			}
		}
	}
	if v := r.Param; v != "" && (has(r.Candidates, cors.CodeAllowOriginMismatch) || has(r.Candidates, cors.CodePreflightAllowOriginMismatch)) {
		// The engine's rule: https://app.example.com:443 or a trailing
		// slash is a valid URL that mismatches, not an invalid value.
		want := "mismatch"
		switch cors.AllowOriginFailure(v) {
		case cors.CodeMultipleAllowOrigin:
			want = "multiple"
		case cors.CodeInvalidAllowOrigin:
			if v != "*" {
				want = "invalid"
			}
		}
		keep(func(c cors.Code) bool { return !isOriginValueCode(c) || strings.Contains(string(c), want) })
		if o, ok := platform.DefaultPortValue(v); ok && want == "mismatch" {
			r.Note = strings.TrimSpace(r.Note + fmt.Sprintf(" The value '%s' is %s with its default port, which the origin a browser sends never has: corsdiag explain %s.",
				v, o, platform.CodeAllowOriginDefaultPort))
		}
	}
}

func has(list []cors.Code, c cors.Code) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

func isOriginValueCode(c cors.Code) bool {
	switch c {
	case cors.CodeAllowOriginMismatch, cors.CodeInvalidAllowOrigin, cors.CodeMultipleAllowOrigin,
		cors.CodePreflightAllowOriginMismatch, cors.CodePreflightInvalidAllowOrigin, cors.CodePreflightMultipleAllowOrigin:
		return true
	}
	return false
}

// IsCredentialsCode: the code needs a request with credentials (the line
// says credentials mode 'include').
func IsCredentialsCode(c cors.Code) bool {
	switch c {
	case cors.CodeWildcardCredentials, cors.CodeInvalidCredentials,
		cors.CodePreflightWildcardCredentials, cors.CodePreflightInvalidCredentials:
		return true
	}
	return false
}

// isPreflightCode: the finding is about the preflight's answer.
func isPreflightCode(c cors.Code) bool {
	switch c {
	case cors.CodePreflightNetwork, cors.CodePreflightRedirect, cors.CodePreflightStatus,
		cors.CodeInvalidAllowMethods, cors.CodeInvalidAllowHeaders, cors.CodeMethodNotAllowed, cors.CodeHeaderNotAllowed:
		return true
	}
	return strings.HasPrefix(string(c), "preflight-")
}

// likelihood orders candidates a coarse text cannot tell apart: the
// commonest cause first (a missing header before a wrong one, the actual
// response before the preflight).
var likelihood = map[cors.Code]int{
	cors.CodeMissingAllowOrigin:          0,
	cors.CodeAllowOriginMismatch:         1,
	cors.CodeMultipleAllowOrigin:         2,
	cors.CodeInvalidAllowOrigin:          3,
	cors.CodePreflightMissingAllowOrigin: 10,
	cors.CodePreflightStatus:             11,
	// WebKit words both alike: refine puts the redirect first.
	cors.CodePreflightRedirect: 11,
	// A failure below CORS (DNS, refused, TLS): commoner than the
	// redirect failures Firefox words the same way.
	cors.CodeActualNetwork:    4,
	cors.CodePreflightNetwork: 16,
}

// rank puts the most likely candidate first and makes it the Code.
func rank(r *Reading) {
	// Local Network Access guards only local and loopback servers: it is
	// the likely cause where the URL names one, and unlikely elsewhere.
	lna := 12
	if sp := cors.URLAddressSpace(r.URL); sp == cors.SpaceLoopback || sp == cors.SpaceLocal {
		lna = 3
	}
	score := func(c cors.Code) int {
		if s, ok := likelihood[c]; ok {
			return s
		}
		if c == cors.CodeLocalNetworkPermission || c == cors.CodeLocalNetworkInsecure {
			return lna
		}
		if isPreflightCode(c) {
			return 15
		}
		return 5
	}
	sort.SliceStable(r.Candidates, func(i, j int) bool { return score(r.Candidates[i]) < score(r.Candidates[j]) })
	if len(r.Candidates) > 0 {
		r.Code = r.Candidates[0]
	}
}

// fetchRejection recognizes the TypeError fetch() rejects with.
func fetchRejection(text string) (string, bool) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "Uncaught (in promise)"))
	t = strings.TrimSpace(t)
	for txt, b := range rejection {
		bare := strings.TrimPrefix(txt, "TypeError: ")
		if strings.HasPrefix(t, txt) || t == bare {
			return b, true
		}
	}
	return "", false
}
