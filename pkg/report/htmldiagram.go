package report

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/probe"
)

// The exchange drawn as a sequence diagram: the page on the left, the
// server on the right, one arrow per request and per response, and a mark
// where the browser stopped, naming the header (or status) that made it
// stop. Coordinates are computed here; the template only draws them.

const (
	svgWidth    = 820
	svgPageX    = 110
	svgServerX  = 710
	svgLine     = 15 // text line height
	svgTop      = 62
	svgMaxChars = 88 // label characters that fit between the lanes
)

type svgDiagram struct {
	Width, Height int
	PageX         int
	ServerX       int
	LaneBottom    int
	PageLabel     string
	ServerLabel   string
	Arrows        []svgArrow
	Stop          *svgStop
	Title         string
}

// svgArrow is one message: a request (to the right) or a response (to
// the left), its label lines above it.
type svgArrow struct {
	Y        int
	X1, X2   int
	Head     string // points of the arrow head polygon
	Class    string // req, resp, fail, dim
	Lines    []svgText
	Response bool
}

type svgText struct {
	X, Y  int
	Text  string
	Class string
}

// svgStop marks where the browser stopped.
type svgStop struct {
	X, Y  int
	Lines []svgText
	BoxY  int
	BoxH  int
}

// stopRedirect is the stop mark of a code raised on a redirect; stopWhat
// words it after the answer when its Location is missing or empty.
const stopRedirect = "redirect (Location)"

// stopHeaders names, per reported code, what in the answer made the
// browser stop: the header it read, or the status.
var stopHeaders = map[cors.Code]string{
	cors.CodePreflightStatus:              "status",
	cors.CodePreflightRedirect:            stopRedirect,
	cors.CodeInvalidAllowMethods:          "Access-Control-Allow-Methods",
	cors.CodeMethodNotAllowed:             "Access-Control-Allow-Methods",
	cors.CodeInvalidAllowHeaders:          "Access-Control-Allow-Headers",
	cors.CodeHeaderNotAllowed:             "Access-Control-Allow-Headers",
	cors.CodePreflightMissingAllowOrigin:  "Access-Control-Allow-Origin",
	cors.CodePreflightMultipleAllowOrigin: "Access-Control-Allow-Origin",
	cors.CodePreflightInvalidAllowOrigin:  "Access-Control-Allow-Origin",
	cors.CodePreflightAllowOriginMismatch: "Access-Control-Allow-Origin",
	cors.CodePreflightWildcardCredentials: "Access-Control-Allow-Origin",
	cors.CodePreflightInvalidCredentials:  "Access-Control-Allow-Credentials",
	cors.CodeMissingAllowOrigin:           "Access-Control-Allow-Origin",
	cors.CodeMultipleAllowOrigin:          "Access-Control-Allow-Origin",
	cors.CodeInvalidAllowOrigin:           "Access-Control-Allow-Origin",
	cors.CodeAllowOriginMismatch:          "Access-Control-Allow-Origin",
	cors.CodeWildcardCredentials:          "Access-Control-Allow-Origin",
	cors.CodeInvalidCredentials:           "Access-Control-Allow-Credentials",
	cors.CodeRedirectCredentials:          "Location",
	cors.CodeRedirectBadLocation:          "Location",
	cors.CodeTooManyRedirects:             "Location",
	cors.CodeRedirectModeError:            stopRedirect,
	cors.CodePreflightNetwork:             "no response",
	cors.CodeActualNetwork:                "no response",
	cors.CodeCorsDisabledScheme:           "URL scheme",
	cors.CodeForbiddenMethod:              "method",
	cors.CodeURLCredentials:               "user:password@ in the URL",
	cors.CodeMixedContent:                 "mixed content (http URL)",
	cors.CodeLocalNetworkInsecure:         "Local Network Access",
	cors.CodeLocalNetworkPermission:       "Local Network Access permission",
	// Safari and Firefox drop the cookies, and the request fails without.
	probe.CodeCrossSiteCookies: "cookies (not sent cross-site)",
	// The recording does not hold what made the browser stop.
	harfile.CodeCauseNotInFile:       "(not in the recording: run the check command below)",
	harfile.CodePreflightNotRecorded: "(preflight not in the recording)",
}

// corsResponseHeaders are the answer's headers worth drawing, in order.
var corsResponseHeaders = []string{
	"Access-Control-Allow-Origin",
	"Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers",
	"Location",
	"Vary",
}

// corsRequestHeaders are the request's headers worth drawing.
var corsRequestHeaders = []string{
	"Origin",
	"Access-Control-Request-Method",
	"Access-Control-Request-Headers",
}

// stopWhat is what made the browser stop for f at the answer resp (nil
// when none), for the mark's first line. A redirect status stops Firefox's
// redirect: 'error' without a Location, and it follows an empty one to
// the same URL: the mark says so, as the finding does.
func stopWhat(f *cors.Finding, resp *cors.Message) string {
	h, ok := stopHeaders[f.Code]
	if !ok {
		return string(f.Code)
	}
	if h == stopRedirect && resp != nil && cors.IsRedirectStatus(resp.Status) {
		switch locs := resp.Header.Values("Location"); {
		case len(locs) == 0:
			return strconv.Itoa(resp.Status) + " without Location"
		case locs[0] == "":
			return strconv.Itoa(resp.Status) + " with an empty Location"
		}
	}
	return h
}

// buildDiagram draws ex; browsers are extra lines for the stop mark (each
// browser's verdict when several were judged).
func buildDiagram(ex *cors.Exchange, it *HTMLItem, rep *cors.Finding, s *sanitizer, browsers []string) *svgDiagram {
	d := &svgDiagram{Width: svgWidth, PageX: svgPageX, ServerX: svgServerX}
	d.PageLabel = shorten(safeText(s.Text(ex.Request.Origin)), 34)
	d.ServerLabel = shorten(safeText(hostOf(s.URL(ex.Request.URL))), 34)
	d.Title = "Sequence of the requests for " + safeText(cors.NormalizeMethod(ex.Request.Method)+" "+s.URL(ex.Request.URL))
	hops := allHops(ex, nil)
	stopAt := stopIndex(hops, rep)
	y := svgTop
	stopped := false
	for i, h := range hops {
		dim := stopped || (it.BrowserSkipsActual && h.step != "preflight" && !strings.Contains(h.title, "preflight"))
		// The request.
		reqLines := []string{cors.NormalizeMethod(h.hop.Request.Method) + " " + shortURL(s.URL(h.hop.Request.URL), s.URL(h.hop.Request.URL))}
		if host := hostOf(s.URL(h.hop.Request.URL)); host != "" && host != hostOf(s.URL(ex.Request.URL)) {
			reqLines[0] += "  (" + host + ")"
		}
		reqLines = append(reqLines, headerLines(h.hop.Request.Header, corsRequestHeaders, s)...)
		cls := "req"
		if dim {
			cls = "dim"
		}
		y = d.arrow(y, reqLines, cls, false)
		// The answer.
		var respLines []string
		switch {
		case h.hop.Response != nil:
			respLines = append(respLines, strings.TrimSpace(strconv.Itoa(h.hop.Response.Status)+" "+h.hop.Response.StatusText))
			hl := headerLines(h.hop.Response.Header, corsResponseHeaders, s)
			if h.hop.Response.Header.Get("Access-Control-Allow-Origin") == "" {
				hl = append([]string{"(no Access-Control-Allow-Origin)"}, hl...)
			}
			respLines = append(respLines, hl...)
		case h.hop.NetError != "":
			respLines = append(respLines, "no response: "+s.Text(h.hop.NetError))
		default:
			respLines = append(respLines, "no response recorded")
		}
		cls = "resp"
		if dim {
			cls = "dim"
		}
		if i == stopAt {
			cls = "fail"
		}
		y = d.arrow(y, respLines, cls, true)
		if i == stopAt {
			y = d.stop(y, rep, errorName(it.Browser, rep), h.hop.Response, s, browsers)
			stopped = true
		}
	}
	if stopAt < 0 && rep != nil {
		// Nothing sent, or the step has no hop here: the browser stopped
		// before the network.
		y = d.stop(y, rep, errorName(it.Browser, rep), nil, s, browsers)
	}
	if len(hops) == 0 && rep == nil {
		d.Arrows = append(d.Arrows, svgArrow{Lines: []svgText{{X: svgWidth / 2, Y: y, Text: "nothing was sent", Class: "note"}}})
		y += svgLine * 2
	}
	d.LaneBottom = y
	d.Height = y + 12
	return d
}

// stopIndex is the hop where the browser stopped for rep, or -1.
func stopIndex(hops []labeledHop, rep *cors.Finding) int {
	if rep == nil {
		return -1
	}
	found := -1
	for i, h := range hops {
		if h.step != rep.Step {
			continue
		}
		isPreflight := h.step == "preflight" || strings.HasSuffix(h.title, ": preflight")
		wantPreflight := strings.HasPrefix(string(rep.Code), "preflight") || stopHeaders[rep.Code] == "Access-Control-Allow-Methods" || stopHeaders[rep.Code] == "Access-Control-Allow-Headers"
		if isPreflight == wantPreflight || found < 0 {
			found = i
		}
	}
	return found
}

// arrow adds a message at y with its label lines above it and returns
// the next free y.
func (d *svgDiagram) arrow(y int, lines []string, class string, response bool) int {
	a := svgArrow{Class: class, Response: response}
	ty := y + svgLine
	x := svgPageX + 14
	if response {
		x = svgServerX - 14
	}
	for i, l := range lines {
		tc := "hdr"
		if i == 0 {
			tc = "lead"
		}
		t := svgText{X: x, Y: ty, Text: shorten(safeText(l), svgMaxChars), Class: tc}
		a.Lines = append(a.Lines, t)
		ty += svgLine
	}
	a.Y = ty - 4
	if response {
		a.X1, a.X2 = svgServerX, svgPageX+8
		a.Head = pts(svgPageX, a.Y, svgPageX+10, a.Y-5, svgPageX+10, a.Y+5)
	} else {
		a.X1, a.X2 = svgPageX, svgServerX-8
		a.Head = pts(svgServerX, a.Y, svgServerX-10, a.Y-5, svgServerX-10, a.Y+5)
	}
	d.Arrows = append(d.Arrows, a)
	return a.Y + 10
}

// stop draws the browser's stop mark on the page's lane, naming what
// made it stop at the answer resp (nil when none) and the judging
// browser's name for the error (none when "").
func (d *svgDiagram) stop(y int, rep *cors.Finding, name string, resp *cors.Message, s *sanitizer, browsers []string) int {
	st := &svgStop{X: svgPageX, Y: y + 4}
	first := "Blocked: " + stopWhat(rep, resp)
	if name != "" {
		first += " (" + name + ")"
	}
	lines := []string{first}
	if rep.FailedParameter != "" {
		lines = append(lines, "value: "+safeText(s.Text(rep.FailedParameter)))
	}
	lines = append(lines, "the browser stops here; script gets a network error")
	lines = append(lines, browsers...)
	st.BoxY = y + 14
	ty := st.BoxY + svgLine
	for i, l := range lines {
		cls := "stophdr"
		if i == 0 {
			cls = "stoplead"
		}
		st.Lines = append(st.Lines, svgText{X: svgPageX + 20, Y: ty, Text: shorten(safeText(l), svgMaxChars), Class: cls})
		ty += svgLine
	}
	st.BoxH = ty - st.BoxY - 6
	d.Stop = st
	return ty + 6
}

// headerLines are the named headers of h as "Name: value" lines, values
// redacted and shortened.
func headerLines(h http.Header, names []string, s *sanitizer) []string {
	var out []string
	for _, n := range names {
		for _, v := range h.Values(n) {
			out = append(out, n+": "+safeText(s.HeaderValue(n, v)))
		}
	}
	return out
}

// shorten cuts s to n runes with an ellipsis; the full value is in the
// headers table below the diagram.
func shorten(s string, n int) string {
	count := 0
	for i := range s {
		if count == n-1 {
			if len(s)-i > 3 || utf8.RuneCountInString(s[i:]) > 1 {
				return s[:i] + "…"
			}
			return s
		}
		count++
	}
	return s
}

func pts(v ...int) string {
	var b strings.Builder
	for i, n := range v {
		if i > 0 {
			if i%2 == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteByte(',')
			}
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}
