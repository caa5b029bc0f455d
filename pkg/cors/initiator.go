package cors

import "strings"

// Initiator is one API or element that makes a CORS-mode request: what
// Request.Initiator names, what it puts on the wire and whether script
// reads the answer. The console words each browser uses for it are in the
// profiles' Messages tables.
type Initiator struct {
	// Name is Request.Initiator's value and the profiles' key.
	Name string
	// Flag is check --initiator's value.
	Flag string
	// Dest is the request's destination (Sec-Fetch-Dest).
	Dest string
	// Scripted: script reads the response (status, headers, body); for
	// the others the page only learns whether the load worked.
	Scripted bool
	// SameOriginOnly: the load never sends credentials cross-origin (a web
	// font: always credentials mode same-origin).
	SameOriginOnly bool
	// What names the load in words (the note on a pasted line).
	What string
	// Short is the API or element in a few words, for check --initiator's
	// help, which lists every kind from this table.
	Short string
	// Accept is the Accept header the standard sets for the load (the
	// profiles' AcceptOf say what each browser sends otherwise).
	Accept string
	// ResourceType is Chrome's HAR _resourceType for the load.
	ResourceType string
	// Credentials is what the page writes to send credentials on the load,
	// for corsdiag's own words (the console's are the browser's); "" for
	// a load that never sends them.
	Credentials string
	// NoCredentials is the page's fix that stops sending them.
	NoCredentials string
	// AlwaysCORS: the load is always a CORS-mode request; an element's
	// is one only with a crossorigin attribute.
	AlwaysCORS bool
}

// IfNoCookies is the page's side of a credentials fix: only a load that
// needs no cookies may stop sending credentials.
func (in Initiator) IfNoCookies() string {
	return "if the load needs no cookies, " + in.NoCredentials
}

// elementNoCredentials is an element's fix: anonymous still makes a CORS
// request, without cookies.
const elementNoCredentials = `write crossorigin="anonymous" on the element instead of crossorigin="use-credentials"`

// Initiators are the CORS-mode requests corsdiag knows, fetch() first.
var Initiators = []Initiator{
	{Name: "fetch", Flag: "fetch", Dest: "empty", Scripted: true, AlwaysCORS: true, What: "fetch() request", Short: "fetch()", ResourceType: "fetch",
		Credentials: "credentials: 'include'", NoCredentials: "drop credentials: 'include' on the page"},
	{Name: "XMLHttpRequest", Flag: "xhr", Dest: "empty", Scripted: true, AlwaysCORS: true, What: "XMLHttpRequest", Short: "XMLHttpRequest", ResourceType: "xhr",
		Credentials: "withCredentials = true", NoCredentials: "drop withCredentials = true on the page"},
	{Name: "font", Flag: "font", Dest: "font", SameOriginOnly: true, AlwaysCORS: true, What: "web font (@font-face, FontFace)", Short: "a web font", ResourceType: "font"},
	{Name: "script", Flag: "script", Dest: "script", AlwaysCORS: true, What: `module script (<script type=module>)`, Short: "<script type=module>", ResourceType: "script",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
	// A classic script looks like a module script in a HAR (the same
	// resource type and destination): no ResourceType, never read from one.
	{Name: "classic-script", Flag: "classic-script", Dest: "script", What: `<script crossorigin> classic script`, Short: "<script crossorigin>",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
	{Name: "image", Flag: "image", Dest: "image", What: "<img crossorigin> image", Short: "<img crossorigin>", ResourceType: "image",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
	{Name: "stylesheet", Flag: "stylesheet", Dest: "style", What: `<link rel=stylesheet crossorigin> stylesheet`, Short: "<link rel=stylesheet crossorigin>", ResourceType: "stylesheet",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
	{Name: "eventsource", Flag: "eventsource", Dest: "empty", AlwaysCORS: true, What: "EventSource stream (or another load Chrome calls “resource”)", Accept: "text/event-stream", Short: "EventSource", ResourceType: "eventsource",
		Credentials: "{withCredentials: true}", NoCredentials: "drop {withCredentials: true} from new EventSource() on the page"},
	// Chrome's HAR calls both media elements' requests "media": their
	// destination tells them apart.
	{Name: "video", Flag: "video", Dest: "video", What: "<video crossorigin> media", Short: "<video crossorigin>", ResourceType: "media",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
	{Name: "audio", Flag: "audio", Dest: "audio", What: "<audio crossorigin> media", Short: "<audio crossorigin>", ResourceType: "media",
		Credentials: `crossorigin="use-credentials"`, NoCredentials: elementNoCredentials},
}

// InitiatorOfRecord is the initiator a recorded request names: Chrome's
// resource type (with its Sec-Fetch-Dest when two loads share the type,
// else the first of them), else its Sec-Fetch-Dest (a destination only one
// load has), else its Accept (EventSource's); ok is false when none tells.
func InitiatorOfRecord(resourceType, dest, accept string) (Initiator, bool) {
	var byType, byDest, byAccept []Initiator
	for _, in := range Initiators {
		if in.ResourceType == "" {
			continue
		}
		if resourceType != "" && in.ResourceType == resourceType {
			byType = append(byType, in)
		}
		if in.Dest == dest {
			byDest = append(byDest, in)
		}
		if in.Accept != "" && in.Accept == accept {
			byAccept = append(byAccept, in)
		}
	}
	switch {
	case len(byType) > 0:
		for _, in := range byType {
			if in.Dest == dest {
				return in, true
			}
		}
		return byType[0], true
	case resourceType != "":
		return Initiator{}, false
	case len(byDest) == 1:
		return byDest[0], true
	case len(byAccept) == 1:
		return byAccept[0], true
	}
	return Initiator{}, false
}

// alwaysCORSType holds Chrome's resource types: true when every load
// of the type is CORS-mode, false when an element's (crossorigin) shares
// it. A classic script shares a module script's type by its destination.
var alwaysCORSType = func() map[string]bool {
	m := map[string]bool{}
	for _, in := range Initiators {
		if in.ResourceType == "" {
			continue
		}
		always := true
		for _, other := range Initiators {
			if other.ResourceType == in.ResourceType || other.ResourceType == "" && other.Dest == in.Dest {
				always = always && other.AlwaysCORS
			}
		}
		m[in.ResourceType] = always
	}
	return m
}()

// CORSModeOfRecord says whether a recorded request was CORS-mode when
// its Sec-Fetch-Mode is not recorded (older exports, other tools): a load
// that always is, by Chrome's resource type; else an element's load or an
// unnamed one by its Origin header, which a no-cors GET never carries. A
// type no load here has (a navigation, whose POST has an Origin) is not.
func CORSModeOfRecord(resourceType string, origin bool) bool {
	if resourceType == "" {
		return origin
	}
	always, known := alwaysCORSType[resourceType]
	return always || known && origin
}

// LookupInitiator finds an initiator by its --initiator flag value or its
// Name.
func LookupInitiator(s string) (Initiator, bool) {
	for _, in := range Initiators {
		if in.Flag == s || in.Name == s {
			return in, true
		}
	}
	return Initiator{}, false
}

// InitiatorFlags are the --initiator values, in order.
func InitiatorFlags() []string {
	out := make([]string, len(Initiators))
	for i, in := range Initiators {
		out[i] = in.Flag
	}
	return out
}

// InitiatorOf is r's initiator; fetch() when r names none or one corsdiag
// does not know.
func InitiatorOf(r *Request) Initiator {
	if in, ok := LookupInitiator(r.Initiator); ok && r.Initiator != "" {
		return in
	}
	return Initiators[0]
}

// javaScriptMIME are the JavaScript MIME type essences (MIME Sniffing
// §JavaScript MIME type): the only ones a module script may have.
var javaScriptMIME = map[string]bool{
	"application/ecmascript": true, "application/javascript": true, "application/x-ecmascript": true,
	"application/x-javascript": true, "text/ecmascript": true, "text/javascript": true,
	"text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true,
	"text/jscript": true, "text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// notScriptMIME says whether r loads a script and resp is not JavaScript,
// and the MIME type essence resp names. A module script's answer without
// a Content-Type is not JavaScript either (Firefox ESR 153.8:
// load-script-302-no-location-untyped-no-acao). For a classic script only
// a 2xx answer that names another type counts: Firefox warns about no
// other (load-classic-script-404-html-no-acao).
func notScriptMIME(r *Request, resp *Message) (notScript bool, essence string) {
	if r.Initiator != "script" && (r.Initiator != "classic-script" || resp.Status/100 != 2) {
		return false, ""
	}
	essence, _, _ = strings.Cut(first(resp, "Content-Type"), ";")
	essence = asciiLower(strings.TrimSpace(essence))
	if javaScriptMIME[essence] || essence == "" && r.Initiator != "script" {
		return false, ""
	}
	return true, essence
}

// sameRequest reports whether initiators a and b put the same request on
// the wire (a module and a classic script: one destination, no page
// headers), so one console line for both may be read as either.
func sameRequest(a, b string) bool {
	ia, okA := LookupInitiator(a)
	ib, okB := LookupInitiator(b)
	return okA && okB && !ia.Scripted && !ib.Scripted && ia.Dest == ib.Dest && ia.Accept == ib.Accept
}

// Refuses says what a page cannot do with a load that is not fetch() or
// XMLHttpRequest, "" when it can: such a load is a GET, the page sets no
// header on it, and a web font never carries credentials. headers are the
// names of the headers asked for, sorted.
func (in Initiator) Refuses(method string, headers []string, credentials bool) string {
	if in.Scripted {
		return ""
	}
	load := in.Flag + " load"
	if strings.ContainsRune("aeiou", rune(load[0])) {
		load = "an " + load
	} else {
		load = "a " + load
	}
	switch {
	case method != "GET":
		return load + " is a GET (not " + method + ")"
	case len(headers) > 0:
		return "the page sets no request headers on " + load + " (not " + strings.Join(headers, ", ") + ")"
	case credentials && in.SameOriginOnly:
		return "a web font is never loaded with credentials (its credentials mode is same-origin)"
	}
	return ""
}

// Fit is what check accepts of a request this load made (Refuses), for a
// command that reproduces a recorded one: the load itself, or fetch() when
// the method is one the load never sends (then it was not that load), and
// whether its headers and its credentials go along. A web font's Cookie
// does not: its CORS check runs in credentials mode same-origin.
func (in Initiator) Fit(method string, headers []string, credentials bool) (load Initiator, withHeaders, withCredentials bool) {
	if in.Refuses(method, nil, false) != "" {
		in = Initiators[0]
	}
	return in, in.Refuses(method, headers, false) == "", in.Refuses(method, nil, credentials) == ""
}
