package redact

import "strings"

// A header, parameter or JSON member name holds a secret when a word of
// it does. Names are cut into words at every byte that is no ASCII letter
// or digit and at camelCase ("apiKey", "APIKey": api, key), and each word
// is read against the tables below: a secret stem (token, key, auth…)
// marks the name, unless the word merely holds the stem's letters
// (author, monkey, tokenizer), the word before makes it harmless (a public
// key), or a later word says the name describes a secret rather than
// holds one (token_type, session_timeout, secret_name). testdata/names.txt
// holds examples of each.

// secretHeaders are always secret, whatever their value.
var secretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"cookie2": true, "set-cookie2": true, "x-api-key": true, "api-key": true, "apikey": true,
	"x-amz-security-token": true, "x-csrf-token": true, "x-xsrf-token": true,
	"x-auth-token": true, "x-access-token": true, "x-id-token": true, "x-refresh-token": true,
	"ocp-apim-subscription-key": true, "x-goog-api-key": true, "x-functions-key": true,
	"private-token": true, "x-vault-token": true,
}

// secretNames are secret as whole names only: sig is Azure SAS's
// signature, code Azure Functions' key and OAuth's authorization code,
// ticket a CAS ticket, SAMLResponse a signed assertion.
var secretNames = map[string]bool{
	"sig": true, "code": true, "sid": true, "pwd": true, "pass": true, "otp": true, "ticket": true,
	"samlresponse": true,
}

// stemMatch is where a secret stem must stand in a word of a name.
type stemMatch uint8

const (
	inWord    stemMatch = iota // anywhere: accesstoken, phpsessid, dbpassword
	wordStart                  // at its start: authorization, authtoken
	wordEnd                    // at its end: apikey, secretkey, basicauth
	wholeWord                  // the word itself: pwd, pin
	lastWord                   // the name's last word: user_pass, connect.sid, url_sig
	afterOnly                  // only after a word secretAfter lists
)

// keyStems are the secret stems Text looks for in a key in any text,
// before it reads any name (keyRE, and secretHints, which lets a text
// without one skip the look): the common ones, anywhere in a word.
var keyStems = []string{"token", "secret", "password", "passwd", "session", "signature", "jwt"}

// secretStems mark a name as secret, each where its match says: keyStems
// and these.
var secretStems = append(stemRules(keyStems, inWord), []stemRule{
	{"passphrase", inWord}, {"passcode", inWord}, {"sessid", inWord},
	{"credential", inWord}, {"assertion", inWord},
	{"hmac", inWord}, {"bearer", inWord}, {"verifier", inWord}, {"cookie", inWord},
	{"csrf", inWord}, {"xsrf", inWord},
	// auth starts a word (authorization) or ends one (basicauth, xauth);
	// inside one it is another word's letters (author, oauth: harmlessWords).
	{"auth", wordStart}, {"auth", wordEnd},
	{"key", wordEnd}, {"keys", wordEnd},
	{"private", wholeWord}, {"pwd", wholeWord}, {"otp", wholeWord}, {"totp", wholeWord},
	{"pin", wholeWord}, {"cvv", wholeWord}, {"cvc", wholeWord},
	{"pass", lastWord}, {"sig", lastWord}, {"sid", lastWord},
}...)

type stemRule struct {
	stem  string
	match stemMatch
}

func stemRules(stems []string, m stemMatch) []stemRule {
	rules := make([]stemRule, len(stems))
	for i, s := range stems {
		rules[i] = stemRule{s, m}
	}
	return rules
}

// secretAfter are words that are secret after one of the words listed:
// a code is a status or a country until it verifies something.
var secretAfter = map[string][]string{
	"code": {"verification", "recovery", "backup", "reset", "mfa", "sms", "device", "security",
		"confirmation", "activation"},
	"codes": {"verification", "recovery", "backup", "mfa"},
}

// harmlessWords hold a stem's letters and no secret.
var harmlessWords = map[string]bool{
	"author": true, "authors": true, "authored": true, "authoring": true, "authorship": true,
	"authority": true, "authorities": true, "authoritative": true,
	// WWW-Authenticate and Proxy-Authenticate are challenges: a realm, a
	// scheme, an error.
	"authenticate": true, "authenticated": true, "authenticator": true,
	// OAuth, the protocol (oauth_provider): its credentials have their own
	// words (oauth_token, oauth_signature).
	"oauth": true, "monkey": true,
	"donkey": true, "hockey": true, "turkey": true, "jockey": true,
	"whiskey": true, "hotkey": true, "hotkeys": true, "turnkey": true,
	"tokenize": true, "tokenizer": true, "tokenizers": true, "tokenized": true,
	"tokenization": true,
}

// harmlessBefore are words that, right before a secret word, name
// something that is not secret: a public key, a database's sort key, API
// Gateway's route key (a method and a path). Not
// "primary": Azure's keys come in pairs, primaryKey and secondaryKey (API
// Management, Service Bus, Event Hubs).
var harmlessBefore = map[string][]string{
	"key": {"public", "publishable", "foreign", "sort", "partition", "range", "cache",
		"idempotency", "route"},
	// A language model's usage: counts of tokens.
	"tokens": {"max", "total", "prompt", "completion", "input", "output", "cached", "reasoning"},
}

// numberWords name secrets that are often numbers: a PIN, a one-time
// code, a card's security code, a password. Body hides a number under a
// secret name that holds one; other numbers are counts and statuses
// ("code": 404).
var numberWords = map[string]bool{
	"pin": true, "otp": true, "totp": true, "cvv": true, "cvc": true, "passcode": true,
	"password": true, "passwd": true, "pwd": true, "pass": true,
}

// isSecretNumber reports whether a number under name is a secret: name is
// secret, and a word of it is one of numberWords or a code secretAfter
// knows (verification_code).
func isSecretNumber(name string) bool {
	if !IsSecretName(name) {
		return false
	}
	var room [16]string
	words := nameWords(strings.TrimSpace(name), room[:0])
	for i, w := range words {
		if numberWords[w] || i > 0 && hasWord(secretAfter[w], words[i-1]) {
			return true
		}
	}
	return false
}

// describing words, after a secret word, make a name describe the secret:
// its kind, where to get it, when it ends (token_type, token_endpoint,
// session_timeout, secret_name), whether it is supported or where a test
// for it redirects (ASP.NET's AspxAutoDetectCookieSupport=1, a site's
// cookie_redirect=1: flags in real HAR files). Not "hint": OIDC's
// id_token_hint is the token, nor "id": a session_id is the session.
var describing = map[string]bool{
	"type": true, "types": true, "endpoint": true, "url": true, "uri": true, "expires": true,
	"expiry": true, "expiration": true, "ttl": true, "timeout": true, "lifetime": true,
	"length": true, "required": true, "name": true, "policy": true, "format": true,
	"method": true, "methods": true, "mode": true, "domain": true, "path": true,
	"enabled": true, "scheme": true, "count": true, "limit": true,
	"support": true, "supported": true, "redirect": true,
}

// corsPrefix starts the CORS headers' names, never secret.
const corsPrefix = "access-control-"

// IsSecretName reports whether a header or query-parameter name holds a
// secret. CORS headers are never secret: they are what corsdiag diagnoses.
func IsSecretName(name string) bool {
	name = strings.TrimSpace(name)
	n := strings.ToLower(name)
	if secretWholeBits&nameBit(n) != 0 && secretWhole[n] {
		return true
	}
	if strings.HasPrefix(n, corsPrefix) || n == "origin" || n == "vary" || n == "sec-fetch-mode" {
		return false
	}
	if !holdsStem(n) {
		return false // most names: no stem's letters at all
	}
	var room [16]string
	words := nameWords(name, room[:0])
	for i, w := range words {
		if harmlessWords[w] || !secretWord(words, i) {
			continue
		}
		if i > 0 && hasWord(harmlessBefore[w], words[i-1]) {
			continue
		}
		described := false
		for _, later := range words[i+1:] {
			described = described || describing[later]
		}
		if !described {
			return true
		}
	}
	return false
}

// secretWord reports whether words[i] is secret where it stands.
func secretWord(words []string, i int) bool {
	w := words[i]
	for k := 0; k < len(w); k++ {
		for _, r := range stemsByFirst[w[k]] {
			if !strings.HasPrefix(w[k:], r.stem) {
				continue
			}
			whole := k == 0 && len(r.stem) == len(w)
			switch r.match {
			case inWord:
				return true
			case wordStart:
				if k == 0 {
					return true
				}
			case wordEnd:
				if k+len(r.stem) == len(w) {
					return true
				}
			case wholeWord:
				if whole {
					return true
				}
			case lastWord:
				if whole && i == len(words)-1 {
					return true
				}
			}
		}
	}
	return i > 0 && hasWord(secretAfter[w], words[i-1])
}

func hasWord(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// nameWords appends the words of name to words, in lower case: cut at
// every byte that is no ASCII letter or digit, before an upper-case letter
// after a lower-case one or a digit (apiKey), and before the last of a
// run of upper-case letters that a lower-case one follows (APIKey). Digits
// that end a word are left out: they number it (key1, key2, apiKey2,
// oauth2), they make no other word.
func nameWords(name string, words []string) []string {
	lower := strings.ToLower(name)
	if len(lower) != len(name) {
		lower = asciiLower(name) // a non-ASCII byte's case changed its length
	}
	start := -1
	for i := 0; i <= len(name); i++ {
		var c byte
		if i < len(name) {
			c = name[i]
		}
		alnum := isLower(c) || isUpper(c) || c >= '0' && c <= '9'
		cut := !alnum
		if alnum && start >= 0 && isUpper(c) {
			p := name[i-1]
			cut = isLower(p) || p >= '0' && p <= '9' ||
				isUpper(p) && i+1 < len(name) && isLower(name[i+1])
		}
		if cut && start >= 0 {
			w := lower[start:i]
			if t := strings.TrimRight(w, "0123456789"); t != "" {
				w = t
			}
			words = append(words, w)
			start = -1
		}
		if alnum && start < 0 {
			start = i
		}
	}
	return words
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if isUpper(c) {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// holdsStem reports whether name, in any case, holds the letters of a
// stem or of a word secretAfter knows: the words of the rest need no look.
func holdsStem(name string) bool {
	for i := 0; i < len(name); i++ {
		for _, r := range stemsByFirst[name[i]|0x20] {
			if len(name)-i >= len(r.stem) && hasFoldedPrefix(name[i:], r.stem) {
				return true
			}
		}
	}
	return false
}

// mayBeSecretName is a quick no for most names that IsSecretName refuses,
// in any case and without lowering them: neither a whole secret name's
// bit (nameBit) nor a stem's letters. Text asks it of every key=value key.
func mayBeSecretName(name string) bool {
	return secretWholeBits&nameBit(name) != 0 || holdsStem(name)
}

// stemsByFirst is secretStems and secretAfter's words (as stems that
// match nothing alone) by first byte.
var stemsByFirst = func() (t [256][]stemRule) {
	for _, r := range secretStems {
		t[r.stem[0]] = append(t[r.stem[0]], r)
	}
	for w := range secretAfter {
		t[w[0]] = append(t[w[0]], stemRule{w, afterOnly})
	}
	return t
}()

// secretWhole is secretHeaders and secretNames in one map: one lookup per
// name (a URL's every parameter name is asked).
var secretWhole = func() map[string]bool {
	m := map[string]bool{}
	for _, names := range []map[string]bool{secretHeaders, secretNames} {
		for n, secret := range names {
			m[n] = m[n] || secret
		}
	}
	return m
}()

// secretWholeBits has nameBit set for each name of secretWhole: most
// names are refused without hashing them.
var secretWholeBits = func() (bits uint64) {
	for n := range secretWhole {
		bits |= nameBit(n)
	}
	return bits
}()

// nameBit hashes a name's length and first and last bytes (each |0x20,
// as hintPairs) to one of 64 bits: names equal in any case have the same
// bit.
func nameBit(n string) uint64 {
	h := len(n)
	if h > 0 {
		h = 7*h + 3*int(n[h-1]|0x20) + int(n[0]|0x20)
	}
	return 1 << (h % 64)
}
