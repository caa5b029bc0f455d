package cors

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Console holds the particulars a browser names when it logs a finding.
// The engine records them once; each profile's [Messages] table turns them
// into that browser's own console lines ([Profile.Lines]).
type Console struct {
	// Initiator is the API script used: "fetch" or "XMLHttpRequest".
	Initiator string
	// URL is where the check failed (the current hop after a redirect);
	// Request is the URL script asked for; From is Request when a
	// redirect led to URL, else "".
	URL, Request, From string
	// Origin is the page's origin.
	Origin string
	// Param is the failed parameter: the header name, the method, the
	// Access-Control-Allow-Origin or -Credentials value, the bad token,
	// the scheme, the address space.
	Param string
	// Value is the whole header value a parse failure was about.
	Value string
	// Status is the response's status, 0 when there was none.
	Status int
	// OriginLines is how many Access-Control-Allow-Origin lines the
	// response had (Firefox tells one comma-joined line from several).
	OriginLines int
	// Preflight says the failure was on a preflight response.
	Preflight bool
	// Redirect says the failure was on a redirect response's CORS check or
	// on the scheme it pointed to (Firefox then also fails the request
	// itself, and says so).
	Redirect bool
	// NotFollowed says the request's redirect mode follows no redirect
	// (fetch()'s manual and error): Firefox then logs no second line for
	// a redirect's failure (verified on Firefox ESR 153.8).
	NotFollowed bool
	// As is the code whose words the browser uses, when the finding is
	// about what led to that failure (cookies a browser did not send).
	As Code
	// Location is where the failing redirect pointed: the resolved URL, or
	// the raw Location when it does not parse.
	Location string
	// SentOrigin is the Origin the request carried ("null" after a
	// cross-origin redirect); WebKit names it, Chromium the page's.
	SentOrigin string
	// Address is the server's address as the browser connected to it
	// (ip:port) and SecureContext whether the page is a secure context:
	// Firefox names both in its Local Network Access line.
	Address       string
	SecureContext bool
	// NotScript says a module script's response is not JavaScript
	// (Firefox checks that before CORS), and MIME is its MIME type then
	// ("" when it has no Content-Type).
	NotScript bool
	MIME      string
}

// Messages is one browser's console vocabulary: how it frames a CORS
// failure, the text of each cause by finding code, and what else it logs.
//
// Templates name the particulars in braces: {url}, {request}, {from},
// {origin}, {param}, {value}, {status}, {initiator}, {cause}, {redirected},
// and the profile's per-initiator Vars.
type Messages struct {
	// Frame wraps a cause into the console line; "" logs the cause alone.
	Frame string
	// Redirected is what {redirected} becomes when a redirect led to the
	// failing URL ("" otherwise).
	Redirected string
	// Initiators names each initiator as the browser writes it.
	Initiators map[string]string
	// Vars are extra placeholders by initiator ("fetch", "XMLHttpRequest");
	// Vars[""] are those of every initiator without an entry of its own.
	Vars map[string]map[string]string
	// NoStatus is what {status} becomes when no response was received.
	NoStatus string
	// PreflightPrefix is put before an actual-response cause reused for
	// the same failure on a preflight (the six CORS-check codes).
	PreflightPrefix string
	// PreflightKeyPrefix is put before its Key (Chromium's "Preflight").
	PreflightKeyPrefix string
	// RedirectPrefix is put before the cause of an actual request's
	// CORS-check failure (the six codes) on a redirect response
	// (Console.Redirect), unless a "code|redirect" entry says otherwise:
	// WebKit words every such check so, whichever rule failed.
	RedirectPrefix string
	// Causes by finding code; "code|variant" entries win when the variant
	// applies: the initiator ("fetch", "XMLHttpRequest"), "direct-" and
	// the initiator when no redirect led to the URL, "one-line" when the
	// response had at most one Access-Control-Allow-Origin line.
	Causes map[string]Cause
	// AfterPreflight are causes (keys of Causes) logged after the line of
	// a failed preflight; After are logged after every error line.
	AfterPreflight []string
	After          []string
	// AfterRedirect are causes logged after the line of a failure on a
	// redirect (Console.Redirect).
	AfterRedirect []string
	// BeforeMIME are causes logged before the cause's line when the
	// answer's MIME type is not the load's (Console.MIME), by
	// "key|initiator": Firefox's warning about a classic script's type.
	BeforeMIME []string
	// FetchRejection is the text of the TypeError fetch() rejects with.
	FetchRejection string
	// Thrown is the TypeError fetch() throws, by finding code, when it
	// refuses a request before sending anything (the Request
	// constructor's own words); {request} is the URL script passed.
	Thrown map[Code]string
	// Unpredicted are lines the browser logs that corsdiag reads (pasted
	// console text) but does not predict, by the code they tell of:
	// Firefox's "Local Network Access detected: …, prompt action: …",
	// which comes from another process at no fixed place and names the
	// user's answer.
	Unpredicted map[string]Cause
	// URLWithoutUserinfo: the lines name the request's URL without its
	// user:password@ (WebKit's XMLHttpRequest; Chromium and Firefox print
	// the URL as script gave it).
	URLWithoutUserinfo bool
	// HeaderNames is how the browser writes a request header's name
	// ({header}), by lower-case name; a name not listed is written as
	// {param} is.
	HeaderNames map[string]string
}

// Cause is one console line.
type Cause struct {
	Text string
	// Key is the browser's own name for the message: Firefox's
	// security.properties key, Chromium's CorsError.
	Key string
	// Frame overrides the profile's Frame for this cause; Bare logs Text
	// alone.
	Frame string
	Bare  bool
	// Warning: the browser logs it although the request goes through.
	Warning bool
	// Alone: nothing follows it (no AfterPreflight, AfterRedirect or
	// After line): it is not a CORS failure.
	Alone bool
	// Only is the initiator the line is logged for ("" : any): Firefox's
	// font loader line tells a web font.
	Only string
	// Omit: the browser logs no line here (an After cause's variant for
	// an initiator whose failure WebKit does not report again, or a
	// cause's variant it fails silently).
	Omit bool
	// Then are causes (keys of Causes) logged right after this one, with
	// the same particulars; Before are logged right before it (Firefox's
	// informational Local Network Access line before the failure).
	Then   []string
	Before []string
}

// cause finds the table entry for c, trying its variants first. ok is false
// when the browser logs no CORS line for it.
func (m *Messages) cause(code string, c *Console) (Cause, bool) {
	if m == nil {
		return Cause{}, false
	}
	if c.Redirect && !c.Preflight && m.redirectPrefixed(code) {
		plain := *c
		plain.Redirect = false
		cs, ok := m.cause(code, &plain)
		if !ok {
			return Cause{}, false
		}
		cs.Text = m.RedirectPrefix + cs.Text
		return cs, true
	}
	var variants []string
	if c.NotScript {
		// "not-script": a module script's answer is not JavaScript.
		variants = append(variants, "not-"+c.Initiator)
	}
	if c.Preflight {
		variants = append(variants, "preflight")
	}
	if c.Redirect {
		variants = append(variants, "redirect")
	}
	if c.Param != "" {
		variants = append(variants, "param="+c.Param)
	}
	if c.From == "" {
		variants = append(variants, "direct-"+c.Initiator)
	}
	variants = append(variants, c.Initiator)
	if c.OriginLines <= 1 {
		variants = append(variants, "one-line")
	}
	if !strings.Contains(c.Param, ",") {
		variants = append(variants, "no-comma")
	}
	for _, v := range variants {
		if v == "" {
			continue
		}
		if cs, ok := m.Causes[code+"|"+v]; ok {
			return cs, true
		}
	}
	if cs, ok := m.Causes[code]; ok {
		return cs, true
	}
	// A preflight CORS-check failure reads as the actual response's, with
	// the profile's preflight prefix.
	for _, pair := range accessCodes {
		if string(pair[1]) != code {
			continue
		}
		if cs, ok := m.cause(string(pair[0]), c); ok {
			cs.Text = m.PreflightPrefix + cs.Text
			if cs.Key != "" {
				cs.Key = m.PreflightKeyPrefix + cs.Key
			}
			return cs, true
		}
	}
	return Cause{}, false
}

// line renders one cause with the particulars of c.
func (m *Messages) line(cs Cause, c *Console) string {
	vals := map[string]string{
		"url": consoleURL(c.URL), "request": consoleURL(c.Request), "from": consoleURL(c.From),
		"origin": c.Origin, "param": c.Param, "value": c.Value, "status": m.NoStatus,
		"location": c.Location, "sent_origin": c.SentOrigin, "header": c.Param,
		"address": c.Address, "secure_context": "False", "mime": c.MIME,
	}
	if c.SecureContext {
		// Gecko prints the boolean so.
		vals["secure_context"] = "True"
	}
	if c.SentOrigin == "" {
		vals["sent_origin"] = c.Origin
	}
	if m.URLWithoutUserinfo {
		for _, k := range []string{"url", "request", "from"} {
			_, vals[k], _ = cutUserinfo(vals[k])
		}
	}
	// The engine keeps a Location's user:password masked (***:***@);
	// {location_bare} leaves it out.
	vals["location_bare"] = strings.Replace(c.Location, "://***:***@", "://", 1)
	if n, ok := m.HeaderNames[strings.ToLower(c.Param)]; ok {
		vals["header"] = n
	}
	if c.Status != 0 {
		vals["status"] = strconv.Itoa(c.Status)
	}
	if c.Request == "" {
		vals["request"] = vals["url"]
	}
	vals["redirected"] = ""
	if c.From != "" {
		vals["redirected"] = fill(m.Redirected, vals)
	}
	return m.render(cs, c.Initiator, vals)
}

// render fills the cause into its frame with vals and the initiator's
// name and variables.
func (m *Messages) render(cs Cause, initiator string, vals map[string]string) string {
	frame := m.Frame
	if cs.Frame != "" {
		frame = cs.Frame
	}
	if cs.Bare || frame == "" {
		frame = "{cause}"
	}
	vals["initiator"] = initiator
	if n, ok := m.Initiators[initiator]; ok {
		vals["initiator"] = n
	}
	vars, ok := m.Vars[initiator]
	if !ok {
		vars = m.Vars[""]
	}
	for k, v := range vars {
		vals[k] = v
	}
	vals["cause"] = fill(cs.Text, vals)
	return fill(frame, vals)
}

// Template is one console line a browser logs, with its particulars left
// as placeholders: {url}, {request}, {from}, {origin}, {param}, {value},
// {status}, and {redirected} for Redirected or nothing. Parsers of pasted
// console text are built from these, so the strings live in one place.
type Template struct {
	Browser string
	// Code is the finding the line reports; "" for a line that only
	// follows a cause (Firefox's "CORS request did not succeed" after a
	// preflight, WebKit's "… cannot load … due to access control checks.").
	Code Code
	// Key is the browser's own name for the message.
	Key  string
	Text string
	// Redirected is the template {redirected} stands for when a redirect
	// led to the URL.
	Redirected string
	// NoStatus is what {status} reads when there was no response.
	NoStatus string
	// Initiator is the API the line is for ("fetch", "XMLHttpRequest"), ""
	// when the line is the same for both.
	Initiator string
	Warning   bool
	// AfterPreflight: the line follows the cause of a failed preflight only.
	AfterPreflight bool
	// Leads: the line comes before the code's own cause line (a cause's
	// Before), so the line after it is that cause, not a line following a
	// failed preflight.
	Leads bool
	// Unpredicted: the browser logs the line but no profile predicts it
	// (Messages.Unpredicted).
	Unpredicted bool
	// Legacy is the opening words of an older release's frame ("Failed to
	// load …") for a line only such a release logs (Profile.Legacy), ""
	// for today's wording.
	Legacy string
	// Note says what a reader of the line should know that its code does
	// not say (LegacyRedirectCause.Note); "" for none.
	Note string
}

// templateInitiators are the APIs and loads console lines are rendered
// for: every Initiators name.
var templateInitiators = func() []string {
	out := make([]string, len(Initiators))
	for i, in := range Initiators {
		out[i] = in.Name
	}
	return out
}()

// Templates lists every console line the profile's browser can log, one per
// cause, variant and initiator (lines that read the same are listed once).
func (p *Profile) Templates() []Template {
	m := p.Messages
	if m == nil {
		return nil
	}
	keys := make([]string, 0, len(m.Causes))
	for k := range m.Causes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	follows := map[string]bool{}
	for _, k := range m.After {
		follows[k] = false
	}
	// A line logged after a failed preflight only tells of a preflight;
	// one also logged after a redirect's failure does not.
	for _, k := range m.AfterPreflight {
		follows[k] = true
	}
	for _, k := range m.AfterRedirect {
		follows[k] = false
	}
	for _, k := range m.BeforeMIME {
		follows[k] = false
	}
	// A line logged before a code's cause tells of that code.
	beforeOf := map[string]string{}
	for _, k := range keys {
		code, _, _ := strings.Cut(k, "|")
		for _, b := range m.Causes[k].Before {
			beforeOf[b] = code
		}
	}
	// The line after a warning (Chromium's about an upgraded video) is
	// read as the warning's load.
	loadOf := map[string]string{}
	for _, k := range keys {
		if cs := m.Causes[k]; cs.Warning {
			_, variant, _ := strings.Cut(k, "|")
			for _, n := range cs.Then {
				loadOf[n] = variant
			}
		}
	}
	var list templateList
	add := list.add
	for _, code := range slices.Sorted(maps.Keys(m.Unpredicted)) {
		cs := m.Unpredicted[code]
		for _, init := range templateInitiators {
			if cs.Only != "" && cs.Only != init {
				continue
			}
			add(Template{Browser: p.Name, Code: Code(code), Key: cs.Key, Redirected: m.Redirected, NoStatus: m.NoStatus,
				Text: m.render(cs, init, placeholders()), Initiator: init, Unpredicted: true})
		}
	}
	for _, key := range keys {
		cs := m.Causes[key]
		code, variant, _ := strings.Cut(key, "|")
		match := variant
		if v, ok := loadOf[key]; ok {
			match = v
		}
		for _, init := range templateInitiators {
			if v := strings.TrimPrefix(match, "direct-"); v != "" && v != "one-line" && v != init && !strings.HasPrefix(v, "param=") {
				continue
			}
			if cs.Omit {
				continue
			}
			t := Template{Browser: p.Name, Key: cs.Key, Redirected: m.Redirected, NoStatus: m.NoStatus, Warning: cs.Warning}
			if pre, ok := follows[key]; ok {
				t.AfterPreflight = pre
			} else if pre, ok := follows[code]; ok && variant != "" {
				// A variant of a line that follows a cause ("cannot-load|image").
				t.AfterPreflight = pre
			} else if c, ok := beforeOf[key]; ok {
				t.Code, t.Leads = Code(c), true
			} else {
				t.Code = Code(code)
			}
			t.Text = m.render(cs, init, placeholders())
			t.Initiator = init
			add(t)
			// On a redirect response the same failure may read with the
			// profile's redirect prefix (Messages.cause), naming where the
			// redirect led.
			if t.Code != "" && m.redirectPrefixed(code) {
				rt := t
				rcs := cs
				rcs.Text = m.RedirectPrefix + cs.Text
				rt.Text = m.render(rcs, init, placeholders())
				add(rt)
			}
			// A preflight CORS-check failure reads as the actual
			// response's with the preflight prefix, unless the table
			// says otherwise.
			if pc, ok := preflightCodeOf[Code(code)]; ok {
				if _, own := m.Causes[string(pc)]; !own {
					pt := t
					pt.Code = pc
					pcs := cs
					pcs.Text = m.PreflightPrefix + cs.Text
					if pcs.Key != "" {
						pt.Key = m.PreflightKeyPrefix + cs.Key
					}
					pt.Text = m.render(pcs, init, placeholders())
					add(pt)
				}
			}
		}
	}
	return list.out
}

func placeholders() map[string]string {
	v := map[string]string{}
	for _, k := range []string{"url", "request", "from", "origin", "param", "value", "status", "redirected", "address", "secure_context"} {
		v[k] = "{" + k + "}"
	}
	return v
}

// fill replaces each {name} in tmpl by vals[name]; an unknown name stays.
func fill(tmpl string, vals map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[i+1 : i+j]
		b.WriteString(tmpl[:i])
		if v, ok := vals[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// Lines is every console line the profile's browser logs for f, in order:
// the cause, then what follows it (Firefox's "CORS request did not succeed"
// after a failed preflight, WebKit's "Fetch API cannot load … due to access
// control checks."). Nil when the browser logs no CORS line for it.
func (p *Profile) Lines(f *Finding) []string {
	if f.Console == nil {
		return nil
	}
	m := p.Messages
	code := f.Code
	if f.Console.As != "" {
		code = f.Console.As
	}
	cs, ok := m.cause(string(code), f.Console)
	if !ok || cs.Omit {
		return nil
	}
	var out []string
	if f.Console.NotScript {
		for _, key := range m.BeforeMIME {
			if prev, ok := m.Causes[key+"|"+f.Console.Initiator]; ok {
				out = append(out, m.line(prev, f.Console))
			}
		}
	}
	for _, key := range cs.Before {
		if prev, ok := m.Causes[key]; ok {
			out = append(out, m.line(prev, f.Console))
		}
	}
	out = append(out, m.line(cs, f.Console))
	if cs.Warning || cs.Alone {
		return out
	}
	out = append(out, m.then(cs, f.Console)...)
	var after []string
	if f.Console.Preflight {
		after = append(after, m.AfterPreflight...)
	}
	if f.Console.Redirect && !f.Console.NotFollowed {
		after = append(after, m.AfterRedirect...)
	}
	after = append(after, m.After...)
	for _, key := range after {
		if key == string(code) {
			continue
		}
		// The line after a failure may depend on the code, else on the
		// initiator (WebKit's "Cannot load image …").
		next, ok := m.Causes[key+"|"+string(code)]
		if !ok {
			next, ok = m.Causes[key+"|"+f.Console.Initiator]
		}
		if !ok {
			next, ok = m.Causes[key]
		}
		if ok && !next.Omit {
			c := *f.Console
			c.Status = 0
			out = append(out, m.line(next, &c))
		}
	}
	return out
}

// Thrown is the TypeError the profile's fetch() throws for f, before
// anything is sent; "" when it throws none for f's code. It quotes the URL
// as script passed it, user name and password included, as the browsers
// do: a report redacts it as it redacts the URL.
func (p *Profile) Thrown(f *Finding) string {
	t, ok := p.Messages.Thrown[f.Code]
	if !ok || f.Console == nil {
		return ""
	}
	return fill(t, map[string]string{"request": f.Console.Request, "url": f.Console.URL, "param": f.Console.Param})
}

// Key is the browser's own name for the message it logs for f (Firefox's
// security.properties key, Chromium's CorsError), "" when none.
func (p *Profile) Key(f *Finding) string {
	if f.Console == nil {
		return ""
	}
	code := f.Code
	if f.Console.As != "" {
		code = f.Console.As
	}
	cs, _ := p.Messages.cause(string(code), f.Console)
	return cs.Key
}

// ConsoleLines is what the profile's browser logs for d, in order: the
// warnings it prints on the way, then every line of the error it reports.
func (p *Profile) ConsoleLines(d *Diagnosis) []string {
	var out []string
	for i := range d.Findings {
		f := &d.Findings[i]
		if f.Severity != SeverityWarning || f.Console == nil {
			continue
		}
		if cs, ok := p.Messages.cause(string(f.Code), f.Console); ok && cs.Warning {
			out = append(out, p.Messages.line(cs, f.Console))
			out = append(out, p.Messages.then(cs, f.Console)...)
		}
	}
	if rep := d.Reported(); rep != nil {
		out = append(out, p.Lines(rep)...)
	}
	return out
}

// redirectPrefixed reports whether code, a CORS-check failure of an actual
// request, reads after RedirectPrefix on a redirect response: the profile
// has a prefix and no "code|redirect" entry of its own.
func (m *Messages) redirectPrefixed(code string) bool {
	_, own := m.Causes[code+"|redirect"]
	return m.RedirectPrefix != "" && !own && preflightCodeOf[Code(code)] != ""
}

// then renders the lines cs.Then names, logged right after cs.
func (m *Messages) then(cs Cause, c *Console) []string {
	var out []string
	for _, key := range cs.Then {
		if next, ok := m.Causes[key]; ok {
			out = append(out, m.line(next, c))
		}
	}
	return out
}

// BrowserVerdict is one browser's account of an exchange.
type BrowserVerdict struct {
	Browser string  `json:"name"`
	Verdict Verdict `json:"verdict"`
	// Reported is the code of the error the browser reports, "" when
	// allowed.
	Reported Code `json:"reported_code,omitempty"`
	// Console is every line the browser logs, in order.
	Console []string `json:"browser_messages"`
	// Diagnosis is the full judgement with this profile.
	Diagnosis *Diagnosis `json:"-"`
}

// Judge evaluates ex as the profile's browser does and says what it logs.
func (p *Profile) Judge(ex *Exchange) BrowserVerdict {
	return p.Verdict(p.Evaluate(ex))
}

// Verdict is the BrowserVerdict of a diagnosis the profile made.
func (p *Profile) Verdict(d *Diagnosis) BrowserVerdict {
	v := BrowserVerdict{Browser: p.Name, Verdict: d.Verdict, Console: p.ConsoleLines(d), Diagnosis: d}
	if rep := d.Reported(); rep != nil {
		v.Reported = rep.Code
	}
	if v.Console == nil {
		v.Console = []string{}
	}
	return v
}

// templateList collects templates once each: the same code and words for
// fetch() and XMLHttpRequest are one template for either. A warning that
// reads the same for several loads (Firefox's and WebKit's upgrade of a
// mixed image, video or audio) keeps the first of them in Initiators, the
// image: read as no load, it would be a fetch(), which the browser blocks.
type templateList struct {
	out  []Template
	seen map[string]int
}

func (l *templateList) add(t Template) {
	id := string(t.Code) + "\x00" + t.Text
	i, dup := l.seen[id]
	switch {
	case !dup:
		if l.seen == nil {
			l.seen = map[string]int{}
		}
		l.seen[id] = len(l.out)
		l.out = append(l.out, t)
	case l.out[i].Initiator == t.Initiator || sameRequest(l.out[i].Initiator, t.Initiator):
	case !t.Warning || loadIndex(t.Initiator) < 0 || loadIndex(l.out[i].Initiator) < 0:
		l.out[i].Initiator = ""
	case loadIndex(t.Initiator) < loadIndex(l.out[i].Initiator):
		l.out[i].Initiator = t.Initiator
	}
}

// loadIndex is the place in Initiators of the load (not fetch() or
// XMLHttpRequest) named name, -1 when name is no such load.
func loadIndex(name string) int {
	return slices.IndexFunc(Initiators, func(in Initiator) bool { return in.Name == name && !in.Scripted })
}
