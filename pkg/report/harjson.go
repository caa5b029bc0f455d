package harfile

import (
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// The requests of `corsdiag har -o json` are encoded by hand: reflection
// in encoding/json cost more than judging the request. The output is
// byte for byte what json.Marshal(jsonRequest) writes (a test and a fuzz
// test compare them).

// Prepare does the per-result rendering work ahead of Add: the JSON
// encoding and, for a blocked request, its problem group. It is safe to
// call concurrently (AnalyzeOptions.Prepare runs it on every core); Add
// is not.
func (r *Renderer) Prepare(res *Result) {
	if res.Verdict == cors.Blocked {
		res.problem, res.problemKey = r.newProblem(res)
	}
	if r.opts.JSON {
		buf := encodePool.Get().(*[]byte)
		*buf = r.appendJSONRequest((*buf)[:0], res)
		res.encoded = buf
	}
}

// encodePool recycles the encoded requests: Add hands the buffer back once
// it is written.
var encodePool = sync.Pool{New: func() any { return new([]byte) }}

// appendJSONRequest appends res as json.Marshal(jsonRequest) would.
func (r *Renderer) appendJSONRequest(b []byte, res *Result) []byte {
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(res.Index), 10)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, r.clean(res.Method))
	b = append(b, `,"url":`...)
	b = appendJSONString(b, r.cleanURL(res.URL))
	b = append(b, `,"origin":`...)
	b = appendJSONString(b, r.clean(res.Origin))
	b = append(b, `,"origin_source":`...)
	b = appendJSONString(b, res.OriginSource)
	b = append(b, `,"cors_mode":`...)
	b = strconv.AppendBool(b, res.CORSMode)
	b = append(b, `,"verdict":`...)
	b = appendJSONString(b, string(res.Verdict))
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(res.Status), 10)
	b = append(b, `,"net_error":`...)
	b = appendJSONString(b, r.clean(res.NetError))
	b = append(b, `,"preflight_index":`...)
	if res.PreflightIndex >= 0 {
		b = strconv.AppendInt(b, int64(res.PreflightIndex), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"only_preflight":`...)
	b = strconv.AppendBool(b, res.OnlyPreflight)
	// The problem group Prepare built holds the reported finding's text
	// and the reproduce command, already cleaned.
	g, rep := res.problem, res.Reported()
	b = append(b, `,"findings":[`...)
	for i := range res.Findings {
		f := &res.Findings[i]
		message, browserMessage, failedParameter := "", "", ""
		if g != nil && f == rep {
			message, browserMessage, failedParameter = g.Message, g.BrowserMessage, g.FailedParameter
		} else {
			message, browserMessage, failedParameter = r.clean(f.Message), r.clean(f.BrowserMessage), r.clean(f.FailedParameter)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, string(f.Code))
		b = append(b, `,"severity":`...)
		b = appendJSONString(b, string(f.Severity))
		b = append(b, `,"step":`...)
		b = appendJSONString(b, f.Step)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, message)
		b = append(b, `,"browser_message":`...)
		b = appendJSONString(b, browserMessage)
		b = append(b, `,"cors_error":`...)
		b = appendJSONString(b, f.CorsError)
		b = append(b, `,"failed_parameter":`...)
		b = appendJSONString(b, failedParameter)
		b = append(b, `,"fix":`...)
		b = appendJSONString(b, f.Fix)
		b = append(b, `,"reported":`...)
		b = strconv.AppendBool(b, f.Reported)
		b = append(b, `,"docs":`...)
		b = appendJSONString(b, "docs/findings/"+string(f.Code)+".md")
		b = append(b, '}')
	}
	b = append(b, `],"cause_source":`...)
	b = appendJSONString(b, res.CauseSource)
	b = append(b, `,"reproduce":`...)
	switch {
	case res.Reproduce != nil && g != nil:
		b = appendJSONString(b, g.Reproduce)
	case res.Reproduce != nil:
		b = appendJSONString(b, termsafe.Clean(CheckCommand(res.Reproduce, r.opts.NoRedact)))
	default:
		b = append(b, `""`...)
	}
	return append(b, '}')
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

// appendJSONString is encoding/json's string encoding: HTML characters,
// controls, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
			}
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
		if c == '\u2028' || c == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', lowerHex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
