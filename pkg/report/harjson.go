package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"github.com/corsdiag/corsdiag/pkg/internal/swar"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// HARSchemaVersion of `corsdiag har -o json`.
const HARSchemaVersion = 1

// harJSONFinding is a finding of a request in `corsdiag har -o json`:
// check's finding fields less the ones a recording cannot fill.
type harJSONFinding struct {
	jsonFindingHead
	jsonFindingTail
}

type harJSONRequest struct {
	Index          int              `json:"index"`
	Method         string           `json:"method"`
	URL            string           `json:"url"`
	Origin         string           `json:"origin"`
	OriginSource   string           `json:"origin_source"`
	CORSMode       bool             `json:"cors_mode"`
	Initiator      string           `json:"initiator"`
	Verdict        string           `json:"verdict"`
	FailReason     string           `json:"fail_reason"`
	Platform       string           `json:"platform"`
	Status         int              `json:"status"`
	NetError       string           `json:"net_error"`
	PreflightIndex *int             `json:"preflight_index"`
	OnlyPreflight  bool             `json:"only_preflight"`
	Findings       []harJSONFinding `json:"findings"`
	CauseSource    string           `json:"cause_source"`
	Reproduce      string           `json:"reproduce"`
}

// newHARJSONFinding is f as a request's JSON shows it; head holds its
// cleaned text.
func newHARJSONFinding(f *cors.Finding, head jsonFindingHead, redactText func(string) string) harJSONFinding {
	return harJSONFinding{jsonFindingHead: head, jsonFindingTail: newJSONFindingTail(f, f.Platform, redactText)}
}

func (r *HARRenderer) addJSON(res *harfile.Result, p *harPrepared) error {
	if r.nJSON > 0 {
		r.json.Write([]byte(",\n    "))
	}
	r.nJSON++
	if p != nil {
		_, err := r.json.Write(p.json)
		return err
	}
	// Not prepared (a replay changed the result): encode it here.
	p = preparedPool.Get().(*harPrepared)
	p.json = r.appendHARRequest(p.json[:0], res, nil)
	_, err := r.json.Write(p.json)
	preparedPool.Put(p)
	return err
}

// marshalHARRequest is the reference for appendHARRequest (tests).
func (r *HARRenderer) marshalHARRequest(res *harfile.Result) ([]byte, error) {
	jr := harJSONRequest{
		Index: res.Index, Method: r.clean(res.Method), URL: r.cleanURL(res.URL), Origin: r.clean(res.Origin),
		OriginSource: res.OriginSource, CORSMode: res.CORSMode, Initiator: harInitiator(res), Verdict: string(res.Verdict), FailReason: res.FailReason, Platform: platformName(res), Status: res.Status,
		NetError: r.clean(res.NetError), OnlyPreflight: res.OnlyPreflight, CauseSource: res.CauseSource,
		Findings: make([]harJSONFinding, 0, len(res.Findings)),
	}
	if res.PreflightIndex >= 0 {
		pi := res.PreflightIndex
		jr.PreflightIndex = &pi
	}
	if res.Reproduce != nil {
		jr.Reproduce = r.reproduce(res)
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		jr.Findings = append(jr.Findings, newHARJSONFinding(f, newJSONFindingHead(f, r.clean), r.redactText))
	}
	b, err := json.Marshal(jr)
	return termsafe.EscapeJSON(b), err
}

func (r *HARRenderer) finishJSON(sum harfile.Summary, log *harfile.Log, readErr error) error {
	type jsonSummary struct {
		harfile.Summary
		Shown int `json:"shown"`
		// AllowedDespiteHeaders counts the shown requests the browser
		// allowed whose recorded answer fails the CORS check, as the text
		// summary does.
		AllowedDespiteHeaders int    `json:"allowed_despite_headers"`
		Partial               bool   `json:"partial"`
		Error                 string `json:"error"`
		Creator               string `json:"creator"`
		// Browsers and Differences: har --browser all.
		// Differences is a pointer so that none is [], not left out.
		Browsers    []HARBrowser     `json:"browsers,omitempty"`
		Differences *[]HARDifference `json:"browsers_differ,omitempty"`
	}
	js := jsonSummary{Summary: sum, Shown: r.Shown, AllowedDespiteHeaders: r.Despite, Creator: termsafe.Clean(strings.TrimSpace(log.Creator.Name + " " + log.Creator.Version))}
	if r.opts.Browsers.compared() {
		js.Browsers = r.opts.Browsers.List
		diffs := harDifferences(r.opts.Browsers)
		if diffs == nil {
			diffs = []HARDifference{}
		}
		for i := range diffs {
			diffs[i].URL = r.cleanURL(diffs[i].URL)
		}
		js.Differences = &diffs
	}
	if readErr != nil {
		// As the text says it: "har: " is the package's prefix.
		js.Partial, js.Error = true, termsafe.Clean(strings.TrimPrefix(readErr.Error(), "har: "))
	}
	head, _ := json.MarshalIndent(js, "  ", "  ")
	head = termsafe.EscapeJSON(head)
	failures := r.failOrd
	if failures == nil {
		failures = []*harFailure{}
	}
	fails, _ := json.MarshalIndent(failures, "  ", "  ")
	fails = termsafe.EscapeJSON(fails)
	b := fmt.Appendf(nil, "{\n  \"schema_version\": %d,\n  \"summary\": %s,\n  \"problems\": ", HARSchemaVersion, head)
	b = appendHARProblems(b, r.order)
	b = append(b, ",\n  \"failed\": "...)
	b = append(b, fails...)
	b = append(b, ",\n  \"requests\": ["...)
	if r.nJSON > 0 {
		b = append(b, "\n    "...)
	}
	if _, err := r.out.Write(b); err != nil {
		return err
	}
	if err := r.json.CopyTo(r.out, r.opts.Direct); err != nil {
		return err
	}
	tail := "]\n}\n"
	if r.nJSON > 0 {
		tail = "\n  ]\n}\n"
	}
	_, err := io.WriteString(r.out, tail)
	return err
}

// appendHARProblems appends the problems as json.MarshalIndent(problems,
// "  ", "  ") and termsafe.EscapeJSON write them (an empty list for nil):
// when every failed request is a problem of its own, reflection made the
// end of the report, on one core, cost more than the rest of its work.
func appendHARProblems(b []byte, problems []*harProblem) []byte {
	if len(problems) == 0 {
		return append(b, "[]"...)
	}
	n := 0
	for _, g := range problems {
		n += 500 + len(g.Message) + len(g.Fix) + len(g.BrowserMessage) + len(g.Reproduce) + len(g.Target)
		for _, f := range g.Follows {
			n += 100 + len(f.Message)
		}
	}
	b = slices.Grow(b, n)
	const in1, in2, in3, in4 = "\n    ", "\n      ", "\n        ", "\n          "
	str := func(b []byte, indent, key, v string) []byte {
		b = appendIndentedKey(b, indent, key)
		return appendJSONString(b, v)
	}
	b = append(b, '[')
	for i, g := range problems {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, in1+"{"...)
		b = str(b, in2, "code", g.Code)
		b = str(append(b, ','), in2, "severity", g.Severity)
		b = strconv.AppendInt(appendIndentedKey(append(b, ','), in2, "count"), int64(g.Count), 10)
		b = str(append(b, ','), in2, "cause", g.Cause)
		b = str(append(b, ','), in2, "platform", g.Platform)
		b = appendIndentedKey(append(b, ','), in2, "statuses")
		switch {
		case g.Statuses == nil:
			b = append(b, "null"...)
		case len(g.Statuses) == 0:
			b = append(b, "{}"...)
		default:
			var room [8]string
			keys := room[:0]
			for k := range g.Statuses {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			b = append(b, '{')
			for j, k := range keys {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(appendIndentedKey(b, in3, k), int64(g.Statuses[k]), 10)
			}
			b = append(b, in2+"}"...)
		}
		b = str(append(b, ','), in2, "origin", g.Origin)
		b = str(append(b, ','), in2, "target", g.Target)
		b = str(append(b, ','), in2, "message", g.Message)
		b = str(append(b, ','), in2, "browser_message", g.BrowserMessage)
		b = str(append(b, ','), in2, "cors_error", g.CorsError)
		b = str(append(b, ','), in2, "failed_parameter", g.FailedParameter)
		b = str(append(b, ','), in2, "fix", g.Fix)
		b = str(append(b, ','), in2, "reproduce", g.Reproduce)
		b = str(append(b, ','), in2, "docs", g.Docs)
		b = appendIndentedKey(append(b, ','), in2, "follows")
		switch {
		case g.Follows == nil:
			b = append(b, "null"...)
		case len(g.Follows) == 0:
			b = append(b, "[]"...)
		default:
			b = append(b, '[')
			for j, f := range g.Follows {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, in3+"{"...)
				b = str(b, in4, "code", f.Code)
				b = str(append(b, ','), in4, "step", f.Step)
				b = str(append(b, ','), in4, "message", f.Message)
				b = append(b, in3+"}"...)
			}
			b = append(b, in2+"]"...)
		}
		b = strconv.AppendInt(appendIndentedKey(append(b, ','), in2, "example_index"), int64(g.Example), 10)
		b = append(b, in1+"}"...)
	}
	return append(b, "\n  ]"...)
}

// appendIndentedKey appends a line break and indent, then "key": .
func appendIndentedKey(b []byte, indent, key string) []byte {
	b = append(b, indent...)
	b = appendJSONString(b, key)
	return append(b, ": "...)
}

// The requests of `corsdiag har -o json` are encoded by hand: reflection
// in encoding/json cost more than judging the request. The output is
// byte for byte what json.Marshal(harJSONRequest) writes, passed through
// termsafe.EscapeJSON (a test and a fuzz test compare them).

// appendHARRequest appends res as json.Marshal(harJSONRequest) would. g,
// when set, is res's problem group: it holds the reported finding's text
// and the reproduce command, already cleaned.
func (r *HARRenderer) appendHARRequest(b []byte, res *harfile.Result, g *harProblem) []byte {
	t := r.texts.Get().(*jsonTexts)
	defer r.texts.Put(t)
	t.url = res.URL
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(res.Index), 10)
	b = append(b, `,"method":`...)
	b = t.appendText(b, res.Method, r.redactText)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, r.cleanURL(res.URL))
	b = append(b, `,"origin":`...)
	b = t.appendText(b, res.Origin, r.redactText)
	b = append(b, `,"origin_source":`...)
	b = appendJSONString(b, res.OriginSource)
	b = append(b, `,"cors_mode":`...)
	b = strconv.AppendBool(b, res.CORSMode)
	b = append(b, `,"initiator":`...)
	b = appendJSONString(b, harInitiator(res))
	b = append(b, `,"verdict":`...)
	b = appendJSONString(b, string(res.Verdict))
	b = append(b, `,"fail_reason":`...)
	b = appendJSONString(b, res.FailReason)
	b = append(b, `,"platform":`...)
	b = appendJSONString(b, platformName(res))
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(res.Status), 10)
	b = append(b, `,"net_error":`...)
	b = t.appendText(b, res.NetError, r.redactText)
	b = append(b, `,"preflight_index":`...)
	if res.PreflightIndex >= 0 {
		b = strconv.AppendInt(b, int64(res.PreflightIndex), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"only_preflight":`...)
	b = strconv.AppendBool(b, res.OnlyPreflight)
	rep := res.Reported()
	b = append(b, `,"findings":[`...)
	for i := range res.Findings {
		f := &res.Findings[i]
		if i > 0 {
			b = append(b, ',')
		}
		var head *jsonFindingHead
		if g != nil && !g.light && f == rep {
			head = &g.reported
		}
		b = r.appendHARFinding(b, t, f, head)
	}
	b = append(b, `],"cause_source":`...)
	b = appendJSONString(b, res.CauseSource)
	b = append(b, `,"reproduce":`...)
	switch {
	case res.Reproduce != nil && g != nil:
		b = appendJSONString(b, g.Reproduce)
	case res.Reproduce != nil:
		b = appendJSONString(b, r.reproduce(res))
	default:
		b = append(b, `""`...)
	}
	return append(b, '}')
}

// harInitiator is the load the engine judged res as, as check --initiator
// names it; "" for a no-cors request (no CORS-mode load made it) or one
// left unjudged (AnalyzeOptions.BriefAllowed).
func harInitiator(res *harfile.Result) string {
	if !res.CORSMode || res.Exchange == nil {
		return ""
	}
	return cors.InitiatorOf(&res.Exchange.Request).Flag
}

// platformName is the name of the platform that answered res, "" when
// none was recognised.
func platformName(res *harfile.Result) string {
	if res.Platform == nil {
		return ""
	}
	return termsafe.Clean(res.Platform.Name)
}

// appendHARFinding appends f as json.Marshal(newHARJSONFinding(f, head, r.redactText))
// would; a nil head is f's own text cleaned (newJSONFindingHead). t holds
// the JSON of the texts seen before.
func (r *HARRenderer) appendHARFinding(b []byte, t *jsonTexts, f *cors.Finding, head *jsonFindingHead) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, string(f.Code))
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, string(f.Severity))
	b = append(b, `,"step":`...)
	b = appendJSONString(b, f.Step)
	if head != nil {
		b = append(b, `,"message":`...)
		b = t.appendText(b, head.Message, nil)
		b = append(b, `,"browser_message":`...)
		b = t.appendText(b, head.BrowserMessage, nil)
		b = append(b, `,"cors_error":`...)
		b = appendJSONString(b, head.CorsError)
		b = append(b, `,"failed_parameter":`...)
		b = t.appendText(b, head.FailedParameter, nil)
	} else {
		b = append(b, `,"message":`...)
		b = t.appendMessage(b, f.Message, r.redactText)
		b = append(b, `,"browser_message":`...)
		b = t.appendText(b, f.BrowserMessage, r.redactText)
		b = append(b, `,"cors_error":`...)
		b = appendJSONString(b, f.CorsError)
		b = append(b, `,"failed_parameter":`...)
		b = t.appendText(b, f.FailedParameter, r.redactText)
	}
	b = append(b, `,"fix":`...)
	// Redacted, not cleaned: a fix's snippet lines stay lines.
	b = t.appendText(b, r.redactText(f.Fix), nil)
	b = append(b, `,"reported":`...)
	b = strconv.AppendBool(b, f.Reported)
	b = append(b, `,"cause":`...)
	b = strconv.AppendBool(b, f.Cause)
	b = append(b, `,"follows_from":`...)
	b = appendJSONString(b, string(f.FollowsFrom))
	b = append(b, `,"platform":`...)
	b = appendJSONString(b, f.Platform)
	b = append(b, `,"docs":`...)
	b = t.appendDocs(b, f.Code)
	return append(b, '}')
}

// jsonTexts remembers the JSON of the texts requests repeat (a finding's
// message for the same method and headers, its fix, its page, the page's
// origin, the method): cleaning
// and escaping them cost more than the rest of a request's encoding. A
// worker holds one at a time (HARRenderer.texts); each map forgets
// everything once full, so memory stays bounded whatever the file.
type jsonTexts struct {
	cleaned map[string]string // text -> JSON of the renderer's clean(text), "" when seen once
	plain   map[string]string // text -> JSON of text, "" when seen once
	docs    map[cors.Code]string
	// url is the URL of the request being encoded; split says texts are
	// redacted with redact.Text, so a message quoting url may be split
	// there (appendMessage).
	url   string
	split bool
	// parts holds the JSON of the texts found around url, "" when they
	// cannot be joined as they are (not redact.Inert, or not printable
	// ASCII).
	parts map[string]string
}

const (
	maxJSONTexts   = 256  // entries per map
	maxJSONTextLen = 2048 // longer texts are not remembered
)

func newJSONTexts() *jsonTexts {
	return &jsonTexts{cleaned: map[string]string{}, plain: map[string]string{}, docs: map[cors.Code]string{}, parts: map[string]string{}}
}

// appendText appends the JSON string of termsafe.Clean(redactText(s))
// (the renderer's clean), or of s when redactText is nil. redactText must
// be the same function for every call on t.
func (t *jsonTexts) appendText(b []byte, s string, redactText func(string) string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	m := t.plain
	if redactText != nil {
		m = t.cleaned
	}
	j, seen := m[s]
	if j != "" {
		return append(b, j...)
	}
	start := len(b)
	if redactText != nil {
		b = appendCleanJSON(b, redactText(s))
	} else {
		b = appendJSONString(b, s)
	}
	if len(s) > maxJSONTextLen {
		return b
	}
	if len(m) >= maxJSONTexts {
		clear(m)
	}
	// The JSON is kept from the second time on: most texts that quote a
	// URL are seen once.
	if seen {
		m[s] = string(b[start:])
	} else {
		m[s] = ""
	}
	return b
}

// appendMessage is appendText for a finding's message, which often quotes
// the request's URL: then its words around the URL repeat from request to
// request, and the message is their JSON, remembered, joined to the URL's.
// Only when that is the JSON of the message redacted and cleaned whole:
// redact.TextAround decides for the redaction; the parts and the URL are
// printable ASCII, which termsafe.Clean keeps and JSON escapes byte by
// byte.
func (t *jsonTexts) appendMessage(b []byte, s string, redactText func(string) string) []byte {
	if !t.split || t.url == "" || redactText == nil {
		return t.appendText(b, s, redactText)
	}
	i := strings.Index(s, t.url)
	if i < 0 {
		return t.appendText(b, s, redactText)
	}
	pre, post := s[:i], s[i+len(t.url):]
	jpre, jpost := t.part(pre), t.part(post)
	if jpre == "" || jpost == "" {
		return t.appendText(b, s, redactText)
	}
	mid, ok := redact.TextAround(pre, t.url, post)
	if !ok || !printableASCII(mid) {
		return t.appendText(b, s, redactText)
	}
	b = append(b, jpre[:len(jpre)-1]...) // without its closing quote
	b = appendJSONBody(b, mid)
	return append(b, jpost[1:]...) // without its opening quote
}

// part is the JSON string of a text around a quoted URL, "" when it cannot
// be joined (see parts).
func (t *jsonTexts) part(s string) string {
	if j, ok := t.parts[s]; ok {
		return j
	}
	j := ""
	if redact.Inert(s) && printableASCII(s) {
		j = string(appendJSONString(nil, s))
	}
	if len(s) <= maxJSONTextLen {
		if len(t.parts) >= maxJSONTexts {
			clear(t.parts)
		}
		t.parts[s] = j
	}
	return j
}

// appendDocs appends the JSON string of code's page.
func (t *jsonTexts) appendDocs(b []byte, code cors.Code) []byte {
	if j, ok := t.docs[code]; ok {
		return append(b, j...)
	}
	start := len(b)
	b = appendJSONString(b, code.DocsPath())
	if len(t.docs) >= maxJSONTexts {
		clear(t.docs)
	}
	t.docs[code] = string(b[start:])
	return b
}

const lowerHex = "0123456789abcdef"

// jsonSafe marks the ASCII bytes encoding/json writes as they are (with
// HTML escaping on, its default).
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// jsonPlain8 reports whether every byte of w is one jsonSafe marks.
func jsonPlain8(w uint64) bool {
	// '"' and '&' differ in bit 0x04 only, '<' and '>' in 0x02 only.
	return swar.NonASCII(w)|swar.Below(w, 0x20)|swar.Equal(w, '\\')|
		swar.Equal(w|0x0404040404040404, '&')|swar.Equal(w|0x0202020202020202, '>') == 0
}

// appendJSONString is encoding/json's string encoding (HTML characters,
// controls, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd) with C1
// controls and invisible characters escaped as termsafe.EscapeJSON does.
func appendJSONString(b []byte, s string) []byte {
	return append(appendJSONBody(append(b, '"'), s), '"')
}

// appendJSONBody is appendJSONString without the quotes.
func appendJSONBody(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && jsonPlain8(swar.Load(s, i)) {
			i += 8
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = appendASCIIEscape(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if termsafe.NeedsJSONEscape(c) {
			b = append(b, s[start:i]...)
			b = termsafe.AppendJSONEscape(b, c)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// appendASCIIEscape appends encoding/json's escape of the ASCII byte c,
// one jsonSafe does not mark.
func appendASCIIEscape(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
}

// appendCleanJSON is appendJSONString(b, termsafe.Clean(s)) in one pass
// over s while s is printable ASCII, which termsafe.Clean keeps as it is
// (most text): every request's unique texts (its URL in a finding's
// message) took a pass for each.
func appendCleanJSON(b []byte, s string) []byte {
	open := len(b)
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			if w := swar.Load(s, i); jsonPlain8(w) && swar.Equal(w, 0x7f) == 0 {
				i += 8
				continue
			}
		}
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			// termsafe.Clean may change s from here: the two passes.
			return appendJSONString(b[:open], termsafe.Clean(s))
		}
		if !jsonSafe[c] {
			b = appendASCIIEscape(append(b, s[start:i]...), c)
			start = i + 1
		}
		i++
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// spillBuffer keeps up to limit bytes in memory and the rest in a
// temporary file, so a JSON report of any size is written whole or not at
// all, without memory growing with the HAR file.
type spillBuffer struct {
	limit int
	mem   bytes.Buffer
	file  *os.File
	// fw batches writes to the file: one write syscall per request costs
	// more than encoding it.
	fw  *bufio.Writer
	err error
}

func (s *spillBuffer) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.file == nil && s.mem.Len()+len(p) > s.limit {
		f, err := os.CreateTemp("", "corsdiag-har-*.json")
		if err != nil {
			s.err = err
			return 0, err
		}
		os.Remove(f.Name()) // unlinked: gone when closed, whatever happens
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			s.err = err
			return 0, err
		}
		s.mem = bytes.Buffer{}
		s.file = f
		s.fw = bufio.NewWriterSize(f, 256<<10)
	}
	if s.file != nil {
		n, err := s.fw.Write(p)
		if err != nil {
			s.err = err
		}
		return n, err
	}
	return s.mem.Write(p)
}

// CopyTo writes what was kept to w. direct, when set, is the file w
// writes through: w is flushed and the kernel copies the spill file there.
func (s *spillBuffer) CopyTo(w io.Writer, direct *os.File) error {
	if s.err != nil {
		return s.err
	}
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		return err
	}
	if err := s.fw.Flush(); err != nil {
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if direct != nil {
		if f, ok := w.(interface{ Flush() error }); ok {
			if err := f.Flush(); err != nil {
				return err
			}
		}
		if handled, err := sendFile(direct, s.file); handled {
			return err
		}
	}
	// A 1 MiB buffer, the wrappers hiding the file's WriteTo and w's
	// ReadFrom that would use 32 KiB: the copy runs at the end of the
	// report on one core, and took a thousand reads and writes.
	_, err := io.CopyBuffer(struct{ io.Writer }{w}, struct{ io.Reader }{s.file}, make([]byte, 1<<20))
	return err
}

func (s *spillBuffer) Close() {
	if s != nil && s.file != nil {
		s.file.Close()
	}
}
