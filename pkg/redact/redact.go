// Package redact hides secrets (cookies, Authorization, API keys, tokens)
// in headers, query strings and text before corsdiag prints or writes them.
package redact

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Marker replaces a secret value.
const Marker = "[REDACTED]"

// secretHeaders are always secret, whatever their value.
var secretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"cookie2": true, "set-cookie2": true, "x-api-key": true, "api-key": true, "apikey": true,
	"x-amz-security-token": true, "x-csrf-token": true, "x-xsrf-token": true,
	"x-auth-token": true, "x-access-token": true, "x-id-token": true, "x-refresh-token": true,
	"ocp-apim-subscription-key": true, "x-goog-api-key": true, "x-functions-key": true,
	"private-token": true, "x-vault-token": true,
}

// secretWords mark a header or parameter name as secret when they appear in it.
var secretWords = []string{"token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "auth", "session", "signature", "credential", "key"}

// IsSecretName reports whether a header or query-parameter name holds a secret.
// CORS headers are never secret: they are what corsdiag diagnoses.
func IsSecretName(name string) bool {
	n := strings.ToLower(name)
	if secretHeaders[n] {
		return true
	}
	if strings.HasPrefix(n, "access-control-") || n == "origin" || n == "vary" || n == "sec-fetch-mode" {
		return false
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Header returns a copy of h with secret values replaced by Marker. Cookie
// names are kept ("session=[REDACTED]") because they help a diagnosis.
func Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		nv := make([]string, len(vs))
		for i, v := range vs {
			nv[i] = Value(k, v)
		}
		out[k] = nv
	}
	return out
}

// Value redacts one header value given its name.
func Value(name, v string) string {
	n := strings.ToLower(name)
	switch {
	case n == "cookie" || n == "cookie2":
		return cookieNames(v, ";")
	case n == "set-cookie" || n == "set-cookie2":
		name, _, _ := strings.Cut(v, "=")
		return strings.TrimSpace(name) + "=" + Marker
	case n == "authorization" || n == "proxy-authorization":
		if scheme, _, ok := strings.Cut(v, " "); ok {
			return scheme + " " + Marker
		}
		return Marker
	case IsSecretName(n):
		return Marker
	}
	return Text(v)
}

func cookieNames(v, sep string) string {
	parts := strings.Split(v, sep)
	for i, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		parts[i] = strings.TrimSpace(name) + "=" + Marker
	}
	return strings.Join(parts, sep+" ")
}

// URL redacts secret query parameters and userinfo passwords in a URL.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Text(raw)
	}
	changed := false
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Marker)
			changed = true
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err == nil {
			for k, vs := range q {
				for i, v := range vs {
					if IsSecretName(k) || looksLikeToken(v) {
						vs[i] = Marker
						changed = true
					}
				}
			}
			if changed {
				u.RawQuery = encodeQueryKeepOrder(u.RawQuery, q)
			}
		}
	}
	if !changed {
		return raw
	}
	return u.String()
}

// encodeQueryKeepOrder rewrites values in their original order (url.Values.Encode sorts).
func encodeQueryKeepOrder(raw string, q url.Values) string {
	seen := map[string]int{}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		vs := q[key]
		n := seen[key]
		seen[key] = n + 1
		if n < len(vs) && vs[n] == Marker {
			parts[i] = k + "=" + Marker
		}
	}
	return strings.Join(parts, "&")
}

var (
	jwtRE    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`)
	bearerRE = regexp.MustCompile(`(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}`)
	// AWS access key ids and long hex or base64 runs after a secret-looking key.
	awsKeyRE   = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)
	keyValueRE = regexp.MustCompile(`(?i)("?(?:[a-z0-9_-]*(?:token|secret|password|passwd|api[_-]?key|apikey|session)[a-z0-9_-]*)"?\s*[:=]\s*"?)([^"&,;\s}]{4,})`)
)

// Text redacts secrets that show by their shape in free text or bodies:
// JWTs, bearer/basic credentials, AWS access key ids, and key=value or
// "key": "value" pairs whose key names a secret.
func Text(s string) string {
	if s == "" || !mayHoldSecret(s) {
		return s
	}
	s = jwtRE.ReplaceAllString(s, Marker)
	s = bearerRE.ReplaceAllString(s, "$1 "+Marker)
	s = awsKeyRE.ReplaceAllString(s, Marker)
	s = keyValueRE.ReplaceAllStringFunc(s, func(m string) string {
		// CORS headers name credentials but hold none: they are what corsdiag diagnoses.
		if strings.HasPrefix(strings.ToLower(strings.TrimLeft(m, `"`)), "access-control-") {
			return m
		}
		return keyValueRE.ReplaceAllString(m, "${1}"+Marker)
	})
	return s
}

// secretHints are substrings every match of Text's patterns contains
// (lower case), by first letter: the regular expressions run only when one
// is present, which keeps redacting thousands of findings (corsdiag har)
// fast.
var secretHints = [256][]string{
	'e': {"eyj"}, 'a': {"akia", "asia", "api_key", "api-key", "apikey"}, 'b': {"bearer", "basic"},
	't': {"token"}, 's': {"secret", "session"}, 'p': {"passw"},
}

func mayHoldSecret(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		for _, h := range secretHints[c] {
			if len(s)-i >= len(h) && strings.EqualFold(s[i:i+len(h)], h) {
				return true
			}
		}
	}
	return false
}

func looksLikeToken(v string) bool {
	return jwtRE.MatchString(v) || awsKeyRE.MatchString(v)
}
