package awsmodel

// S3 buckets: S3 answers preflights from the bucket's CORS rules, the first
// rule matching the origin, method and every requested header wins; no
// match is a 403 (ManageCorsUsing.html, cors-troubleshooting.html).

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// Bucket is an S3 bucket.
type Bucket struct {
	ID string
	// BucketName when the template fixes it.
	BucketName string
	At         Pos
	// Rules is nil when the bucket has no CorsConfiguration.
	Rules []S3Rule
	// CorsAt is the CorsConfiguration (or the bucket when there is none).
	CorsAt Pos
}

// S3Rule is one CORS rule.
type S3Rule struct {
	AllowedOrigins []string
	AllowedMethods []string
	AllowedHeaders []string
	ExposedHeaders []string
	MaxAge         int
	At             Pos
}

func (b *Bucket) Name() string { return b.ID }
func (b *Bucket) Kind() string { return "S3 bucket" }
func (b *Bucket) Pos() Pos     { return b.At }

// knownName is the bucket's name when the template fixes it, else "".
func (b *Bucket) knownName() string {
	if b.BucketName != "" && !strings.ContainsAny(b.BucketName, "${}") {
		return b.BucketName
	}
	return ""
}
func (b *Bucket) name() string {
	if n := b.knownName(); n != "" {
		return n
	}
	return hostName(b.ID)
}
func (b *Bucket) baseURL() string { return "https://" + b.name() + ".s3.amazonaws.com" }

// target names the bucket for fixes only when the template does: AWS names
// the others, and a guessed name pasted into a fix moves the rules to
// another bucket.
func (b *Bucket) target(Route) platform.Target {
	t := platform.Target{Bucket: platform.BucketPlaceholder}
	if n := b.knownName(); n != "" {
		t.Bucket = n
	}
	for _, r := range b.Rules {
		t.AllowOrigins = append(t.AllowOrigins, r.AllowedOrigins...)
	}
	return t
}

// Routes: an object, with every method the rules allow. A bucket without a
// CORS configuration is not meant for pages of other origins (logs,
// artifacts, a site behind CloudFront): it has none.
func (b *Bucket) Routes() []Route {
	if b.Rules == nil {
		return nil
	}
	var ms []string
	for _, r := range b.Rules {
		for _, m := range r.AllowedMethods {
			m = strings.ToUpper(m)
			if !contains(ms, m) {
				ms = append(ms, m)
			}
		}
	}
	if len(ms) == 0 {
		ms = []string{"GET"}
	}
	out := make([]Route, 0, len(ms))
	for _, m := range ms {
		out = append(out, Route{Method: m, Path: "/object", Pos: b.CorsAt.Or(b.At)})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// wildMatch matches S3's patterns: at most one '*', case-insensitive for
// headers (fold) and exact for origins.
func wildMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	pre, suf, wild := strings.Cut(pattern, "*")
	if !wild {
		return pattern == s
	}
	return len(s) >= len(pre)+len(suf) && strings.HasPrefix(s, pre) && strings.HasSuffix(s, suf)
}

// rule returns the first rule matching origin, method and headers.
func (b *Bucket) rule(origin, method string, headers []string) *S3Rule {
	for i := range b.Rules {
		r := &b.Rules[i]
		okOrigin := false
		for _, o := range r.AllowedOrigins {
			if o == DeployTimeOrigin || wildMatch(o, origin, false) {
				okOrigin = true
				break
			}
		}
		okMethod := false
		for _, m := range r.AllowedMethods {
			if strings.EqualFold(m, method) {
				okMethod = true
			}
		}
		if !okOrigin || !okMethod {
			continue
		}
		okHeaders := true
		for _, h := range headers {
			found := false
			for _, p := range r.AllowedHeaders {
				if wildMatch(p, h, true) {
					found = true
					break
				}
			}
			if !found {
				okHeaders = false
				break
			}
		}
		if okHeaders {
			return r
		}
	}
	return nil
}

func (b *Bucket) answer(c *call) answer {
	if c.preflight {
		if b.Rules == nil {
			return answer{msg: platform.S3CORSDenied(false), pos: b.At}
		}
		r := b.rule(c.req.Origin, c.plan.Method, c.plan.UnsafeHeaders)
		if r == nil {
			return answer{msg: platform.S3CORSDenied(true), pos: b.CorsAt.Or(b.At)}
		}
		h := b.corsHeaders(r, c)
		h.Set(cors.HeaderAllowMethods, strings.Join(upper(r.AllowedMethods), ", "))
		if len(c.plan.UnsafeHeaders) > 0 {
			h.Set(cors.HeaderAllowHeaders, strings.Join(c.plan.UnsafeHeaders, ", "))
		}
		if r.MaxAge > 0 {
			h.Set(cors.HeaderMaxAge, strconv.Itoa(r.MaxAge))
		}
		return answer{msg: platform.S3Answer(200, h), pos: r.At}
	}
	r := b.rule(c.req.Origin, c.plan.Method, nil)
	if r == nil {
		return answer{msg: platform.S3Answer(200, http.Header{"Content-Type": {"application/octet-stream"}}), pos: b.CorsAt.Or(b.At)}
	}
	return answer{msg: platform.S3Answer(200, b.corsHeaders(r, c)), pos: r.At}
}

func (b *Bucket) corsHeaders(r *S3Rule, c *call) http.Header {
	h := http.Header{}
	wildcard := contains(r.AllowedOrigins, "*")
	if wildcard {
		h.Set(cors.HeaderAllowOrigin, "*")
	} else {
		h.Set(cors.HeaderAllowOrigin, c.req.Origin)
		h.Set(cors.HeaderAllowCredentials, "true")
	}
	if len(r.ExposedHeaders) > 0 {
		h.Set(cors.HeaderExposeHeaders, strings.Join(r.ExposedHeaders, ", "))
	}
	// Sent when the CORS evaluation succeeds (the Vary row of S3's
	// RESTCommonResponseHeaders.html).
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
	return h
}

func upper(ms []string) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = strings.ToUpper(m)
	}
	return out
}

func (b *Bucket) errorAnswers(*call) []answer { return nil }
