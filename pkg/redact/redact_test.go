package redact

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/weburl"
)

func TestValue(t *testing.T) {
	tests := []struct {
		name, header, value, want string
	}{
		{"bearer keeps scheme", "Authorization", "Bearer eyJhbGciOi.eyJzdWIiOjF9.sig", "Bearer " + Marker},
		{"basic keeps scheme", "authorization", "Basic dXNlcjpwYXNz", "Basic " + Marker},
		{"bare authorization", "Authorization", "tok", Marker},
		{"cookie keeps names", "Cookie", "sid=abc; theme=dark", "sid=" + Marker + "; theme=" + Marker},
		{"set-cookie keeps name", "Set-Cookie", "sid=abc; Path=/; HttpOnly", "sid=" + Marker + "; Path=/; HttpOnly"},
		// Its attributes hold no secret and matter to a credentialed
		// request (SameSite=None; Secure): kept as sent, when each reads
		// as its attribute does; another attribute's value is hidden, and
		// so is one that does not read as its attribute (a comma-joined or
		// hostile list: what follows may be the next cookie).
		{"set-cookie attributes", "Set-Cookie", "sid=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600; Domain=.example.com; Path=/api; Secure; HttpOnly; SameSite=None; Partitioned; Priority=High",
			"sid=" + Marker + "; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=3600; Domain=.example.com; Path=/api; Secure; HttpOnly; SameSite=None; Partitioned; Priority=High"},
		{"set-cookie unknown attribute", "Set-Cookie", "sid=abc; X-Data=s3cr3t; s3cr3t2; secure", "sid=" + Marker + "; X-Data=" + Marker + "; " + Marker + "; secure"},
		{"set-cookies joined by a comma", "Set-Cookie", "sid=abc; Path=/, theme=dark; Path=/", "sid=" + Marker + "; Path=" + Marker + "; Path=/"},
		{"set-cookies joined by a line break", "Set-Cookie", "a=1; Path=/\nb=2; SameSite=Lax", "a=" + Marker + "; Path=/\nb=" + Marker + "; SameSite=Lax"},
		{"set-cookie hostile expires", "Set-Cookie", "a=1; Expires=s3cr3t, x", "a=" + Marker + "; Expires=" + Marker},
		{"api key", "X-Api-Key", "k1", Marker},
		{"custom token header", "X-My-Token", "abc", Marker},
		{"cors header kept", "Access-Control-Allow-Credentials", "true", "true"},
		{"cors headers list kept", "Access-Control-Allow-Headers", "authorization, x-api-key", "authorization, x-api-key"},
		{"origin kept", "Origin", "https://app.example.com", "https://app.example.com"},
		{"plain header kept", "Content-Type", "application/json", "application/json"},
		// A header whose value is a URL is redacted as one: relative, or
		// holding a raw space (a hostile server's redirect).
		{"relative Location", "Location", "/cb?code=abc&x=1", "/cb?code=" + Marker + "&x=1"},
		{"Location with a raw space", "location", "https://a.example/cb?x=1 sid=abc", "https://a.example/cb?x=1 sid=" + Marker},
		{"Content-Location", "Content-Location", "/r#access_token=abc", "/r#access_token=" + Marker},
		{"jwt in other header", "X-Debug", "user eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.abcdefgh", "user " + Marker},
		// A comma in a cookie value is the value's (browsers send JSON
		// cookies raw): nothing after the name is shown.
		{"cookie value with commas", "Cookie", `prefs={"a":1,"b":2}; sid=abc`, "prefs=" + Marker + "; sid=" + Marker},
		{"cookie list joined by commas", "Cookie", "sid=abc, theme=dark", "sid=" + Marker},
		{"set-cookie with comma", "Set-Cookie", `prefs={"a":1,"b":"x=y"}; Path=/`, "prefs=" + Marker + "; Path=/"},
		// A cookie without '=' has no name: what it holds is its value.
		{"nameless cookie", "Cookie", "s3cr3tvalue; sid=abc", Marker + "; sid=" + Marker},
		{"nameless set-cookie", "Set-Cookie", "s3cr3tvalue; Path=/", Marker + "; Path=/"},
		{"empty-named set-cookie", "Set-Cookie", "=s3cr3tvalue; Path=/", "=" + Marker + "; Path=/"},
		{"cookie separators kept", "Cookie", "a=1;b=2; ", "a=" + Marker + ";b=" + Marker + "; "},
		{"link header", "Link", "<https://a.example/?sig=abc>; rel=next, <https://a.example/?sig=def,>; rel=prev",
			"<https://a.example/?sig=" + Marker + ">; rel=next, <https://a.example/?sig=" + Marker + ">; rel=prev"},
		{"referer keeps a trailing comma hidden", "Referer", "https://a.example/?token=abc,", "https://a.example/?token=" + Marker},
		{"Location with a path parameter", "Location", "/a;jsessionid=ABC", "/a;jsessionid=" + Marker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Value(tt.header, tt.value); got != tt.want {
				t.Errorf("Value(%q, %q) = %q, want %q", tt.header, tt.value, got, tt.want)
			}
		})
	}
}

func TestHeaderLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Set-Cookie: sid=abc\x01; Path=/", "Set-Cookie: sid=" + Marker + "; Path=/"},
		{"Authorization:Bearer abcdefgh", "Authorization: Bearer " + Marker},
		{"X-Functions-Key: k1", "X-Functions-Key: " + Marker},
		{"X-Next: https://a.example/?code=c1\x01", "X-Next: https://a.example/?code=" + Marker},
		{"Bearer abcdefghijkl", "Bearer " + Marker},
		{"Access-Control-Allow-Origin: https://a\x1b[31m", "Access-Control-Allow-Origin: https://a\x1b[31m"},
		{"bad name: x", "bad name: x"},
	}
	for _, tt := range tests {
		if got := HeaderLine(tt.in); got != tt.want {
			t.Errorf("HeaderLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeaderCopies(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer secret-token-123"}, "Accept": {"*/*"}}
	r := Header(h)
	if h.Get("Authorization") != "Bearer secret-token-123" {
		t.Fatal("Header modified its input")
	}
	if r.Get("Authorization") != "Bearer "+Marker || r.Get("Accept") != "*/*" {
		t.Fatalf("Header = %v", r)
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.example.com/items?page=2", "https://api.example.com/items?page=2"},
		{"https://api.example.com/items?api_key=abc&page=2", "https://api.example.com/items?api_key=" + Marker + "&page=2"},
		{"https://api.example.com/?access_token=abc&token=x", "https://api.example.com/?access_token=" + Marker + "&token=" + Marker},
		{"https://user:pw@api.example.com/", "https://user:%5BREDACTED%5D@api.example.com/"},
		{"https://api.example.com/?q=AKIAABCDEFGHIJKLMNOP", "https://api.example.com/?q=" + Marker},
		// A bad escape or a ';' anywhere used to switch redaction off.
		{"https://a.example/?x=%zz&token=t0k3n", "https://a.example/?x=%zz&token=" + Marker},
		{"https://a.example/?a=1;token=t0k3n;b=2", "https://a.example/?a=1;token=" + Marker + ";b=2"},
		{"https://a.example/?token=t0k3n%", "https://a.example/?token=" + Marker},
		{"https://a.example/p%zz?access%5Ftoken=t0k3n", "https://a.example/p%zz?access%5Ftoken=" + Marker},
		// Azure SAS and Functions keys, cloud signed URLs, OAuth.
		{"https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030&sp=r&sig=AbC%2Bd%3D", "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2030&sp=r&sig=" + Marker},
		{"https://f.azurewebsites.net/api/x?code=fnKeyValue==", "https://f.azurewebsites.net/api/x?code=" + Marker},
		{"https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIDX%2F2024&X-Amz-Security-Token=IQo&X-Amz-Signature=abc123&X-Amz-Expires=60",
			"https://b.s3.amazonaws.com/k?X-Amz-Credential=" + Marker + "&X-Amz-Security-Token=" + Marker + "&X-Amz-Signature=" + Marker + "&X-Amz-Expires=60"},
		{"https://storage.googleapis.com/b/o?X-Goog-Signature=ff00&X-Goog-Date=1", "https://storage.googleapis.com/b/o?X-Goog-Signature=" + Marker + "&X-Goog-Date=1"},
		{"https://a.example/cb?client_secret=cs&client_id=app&id_token=x&code_verifier=v", "https://a.example/cb?client_secret=" + Marker + "&client_id=app&id_token=" + Marker + "&code_verifier=" + Marker},
		{"https://a.example/?key=k&apikey=k&api_key=k&auth=k&signature=k", "https://a.example/?key=" + Marker + "&apikey=" + Marker + "&api_key=" + Marker + "&auth=" + Marker + "&signature=" + Marker},
		// The fragment (OAuth implicit flow, hash routing).
		{"https://app.example/cb#access_token=at&state=s", "https://app.example/cb#access_token=" + Marker + "&state=s"},
		{"https://app.example/#/login?token=t", "https://app.example/#/login?token=" + Marker},
		// A URL held in a parameter (a return_to, a redirect): its secret
		// parameters hide the value, escaped or not, at any depth.
		{"https://a.example/login?return_to=https%3A%2F%2Fb.example%2Fcb%3Fcode%3Dc0d3&x=1",
			"https://a.example/login?return_to=" + Marker + "&x=1"},
		{"https://a.example/login?next=/cb%3Fstate%3Ds%26access_token%3Dt0k3n", "https://a.example/login?next=" + Marker},
		{"https://a.example/r?u=https://b.example/cb?code=c0d3", "https://a.example/r?u=" + Marker},
		{"https://a.example/r?u=https://b.example/?v=https://c.example/?sig=s1g", "https://a.example/r?u=" + Marker},
		// A held URL's path parameter (;jsessionid=) is its secret too.
		{"https://a.example/r?u=https%3A%2F%2Fb.example%2Fcb%3Bjsessionid%3DABC&x=1", "https://a.example/r?u=" + Marker + "&x=1"},
		{"https://a.example/r?u=https%3A%2F%2Fb.example%2F%3Fpage%3D2", "https://a.example/r?u=https%3A%2F%2Fb.example%2F%3Fpage%3D2"},
		{"https://a.example/r?u=%2Fcb%3Fcode%3D", "https://a.example/r?u=%2Fcb%3Fcode%3D"},
		// Userinfo, even where the URL does not parse.
		{"https://alice:pa:ss@api.example.com:99999/%zz", "https://alice:%5BREDACTED%5D@api.example.com:99999/%zz"},
		{"http://alice:p@ss@h/?q=1", "http://alice:%5BREDACTED%5D@h/?q=1"},
		{"https://alice@h/", "https://alice@h/"},
		// An empty password: the user name is the key (Stripe's
		// https://sk_live_…:@api.stripe.com), and nothing was hidden.
		{"https://sk_live_4eC39HqLyjWDarjtT1zd:@api.stripe.com/v1/charges", "https://%5BREDACTED%5D:@api.stripe.com/v1/charges"},
		{"https://:@h/", "https://:@h/"},
		// Nothing to hide: byte for byte.
		{"https://a.example/x%20y?q=a+b&r=%zz#frag", "https://a.example/x%20y?q=a+b&r=%zz#frag"},
		// A raw line break, tab or space in a query (a hostile or hand-made
		// HAR; a browser strips or escapes them) starts a parameter: the
		// secret behind it is hidden, the bytes around it are kept.
		{"https://a.example/?x=1\nsig=s3cr3t", "https://a.example/?x=1\nsig=" + Marker},
		{"https://a.example/?x=1\r\ncode=s3cr3t&y=2", "https://a.example/?x=1\r\ncode=" + Marker + "&y=2"},
		{"https://a.example/?x=1\tX-Amz-Credential=s3cr3t", "https://a.example/?x=1\tX-Amz-Credential=" + Marker},
		{"https://a.example/?x=1 sid=s3cr3t", "https://a.example/?x=1 sid=" + Marker},
		{"https://a.example/#state=1\naccess_token=s3cr3t", "https://a.example/#state=1\naccess_token=" + Marker},
		{"https://a.example/?q=a b\nc", "https://a.example/?q=a b\nc"},
		// Path parameters (matrix style: Tomcat's ;jsessionid=, a key in a
		// path) are parameters too: a secret one's value is hidden to the
		// next ';', over '/' (a base64 key holds one).
		{"https://h/x;AccountKey=abc123/y", "https://h/x;AccountKey=" + Marker},
		{"/a;jsessionid=ABC", "/a;jsessionid=" + Marker},
		{"https://h/a;jsessionid=ABC;v=1/b?sig=s&x=1", "https://h/a;jsessionid=" + Marker + ";v=1/b?sig=" + Marker + "&x=1"},
		{"https://h/a;v=1/b;lang=en;x/c%zz;", "https://h/a;v=1/b;lang=en;x/c%zz;"},
		// Flags named after a secret's support or redirect hold none
		// (real HAR files: ASP.NET's cookie test, a site's cookie check).
		{"https://h/?AspxAutoDetectCookieSupport=1&cookie_redirect=1&sid=s1",
			"https://h/?AspxAutoDetectCookieSupport=1&cookie_redirect=1&sid=" + Marker},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no secrets here", "no secrets here"},
		{"Access-Control-Allow-Credentials: true", "Access-Control-Allow-Credentials: true"},
		// fetch's credentials option is prose in findings, not a secret.
		{"the request carries credentials (credentials: 'include')", "the request carries credentials (credentials: 'include')"},
		{`{"password":"hunter22","user":"bob"}`, `{"password":"` + Marker + `","user":"bob"}`},
		{"session_token=abcdef123&x=1", "session_token=" + Marker + "&x=1"},
		{"Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer " + Marker},
		{"key AKIAABCDEFGHIJKLMNOP used", "key " + Marker + " used"},
		// URLs quoted in messages.
		{"cannot reach http://alice:hunter2@127.0.0.1:1/x: connection refused", "cannot reach http://alice:%5BREDACTED%5D@127.0.0.1:1/x: connection refused"},
		{"Access to fetch at 'https://a.example/?sig=abc%zz' from origin", "Access to fetch at 'https://a.example/?sig=" + Marker + "' from origin"},
		{"see https://a.example/docs and https://b.example/?code=c", "see https://a.example/docs and https://b.example/?code=" + Marker},
		// A quoted URL or value keeps its closing quote: a printed command
		// stays one the shell reads.
		{"run: corsdiag check 'https://a.example/x?api_key=abc123' --origin https://b.example", "run: corsdiag check 'https://a.example/x?api_key=" + Marker + "' --origin https://b.example"},
		{"Access to fetch at 'https://a.example/?access_token=abc123' from origin", "Access to fetch at 'https://a.example/?access_token=" + Marker + "' from origin"},
		{"-H 'X-Api-Key: abcd1234' -H 'a: b'", "-H 'X-Api-Key: " + Marker + "' -H 'a: b'"},
		{"token='abc123def'", "token='" + Marker + "'"},
		// Markdown code spans (ci's summary, docs) keep their closing backtick.
		{"set `token=abc123` in the header", "set `token=" + Marker + "` in the header"},
		{"a `X-Api-Key: abcd1234` header.", "a `X-Api-Key: " + Marker + "` header."},
		{"`api_key=xyz123`.", "`api_key=" + Marker + "`."},
		// A raw line break or tab inside a quoted URL does not end it (the
		// URL standard strips them): what follows is still its query.
		{"Example: #0 GET http://127.0.0.1:9/a?x=1\nsig=s3cr3t", "Example: #0 GET http://127.0.0.1:9/a?x=1\nsig=" + Marker},
		{"Call the final URL directly (http://h/cb?x=1\r\ncode=s3cr3t: https, the trailing slash)",
			"Call the final URL directly (http://h/cb?x=1\r\ncode=" + Marker + ": https, the trailing slash)"},
		{"-H 'X-Note: see http://x.test/?a=1\nsig=s3cr3t' -H 'a: b'", "-H 'X-Note: see http://x.test/?a=1\nsig=" + Marker + "' -H 'a: b'"},
		{"at 'http://h/p\n?X-Amz-Signature=s3cr3t\t&sid=s3cr3t' from", "at 'http://h/p\n?X-Amz-Signature=" + Marker + "\t&sid=" + Marker + "' from"},
		{"GET http://h/x?a=1\tcode=s3cr3t", "GET http://h/x?a=1\tcode=" + Marker},
		// A fix's snippet names settings whose names hold a secret word:
		// a literal true, false or null is no secret, and the snippet must
		// stay one to paste.
		{"AddApiKeyRequiredToCorsPreflight: false", "AddApiKeyRequiredToCorsPreflight: false"},
		{"# api_key_required = false on it", "# api_key_required = false on it"},
		{"{ authorizationType: NONE, apiKeyRequired: false }", "{ authorizationType: NONE, apiKeyRequired: false }"},
		{`"session_cookie": null, "x_api_key": "True"`, `"session_cookie": null, "x_api_key": "True"`},
		{"api_key = falsehood", "api_key = " + Marker},
		// A YAML key naming a secret word, whose value is a mapping on the
		// next lines (API Gateway's gateway response types in a fix), is
		// no key=value: the next line's key stays.
		{"MISSING_AUTHENTICATION_TOKEN:\n  ResponseParameters:\n    Headers:", "MISSING_AUTHENTICATION_TOKEN:\n  ResponseParameters:\n    Headers:"},
		{"password:\n  hunter22", "password:\n  " + Marker},
		// A relative URL quoted in text (a redirect's Location in a fix or
		// a message) is a URL too; other words with a slash are not.
		{"Call the final URL directly (/cb?code=s3cr3t&x=1: https, the trailing slash)", "Call the final URL directly (/cb?code=" + Marker + "&x=1: https, the trailing slash)"},
		{`the redirect's Location "/next?sig=s3cr3t" is`, `the redirect's Location "/next?sig=` + Marker + `" is`},
		{"see /docs#access_token=s3cr3t", "see /docs#access_token=" + Marker},
		{"GET /items?page=2 then /a/b, 1/2?code=5 and a/b?code=c", "GET /items?page=2 then /a/b, 1/2?code=5 and a/b?code=c"},
		{"see https://a.example/x and /y?sid=s3cr3t", "see https://a.example/x and /y?sid=" + Marker},
		// A relative URL that starts a line or follows a tab is one too
		// (neither ends a URL any more, so neither was taken to start one);
		// a parenthesis around a URL stays prose.
		{"redirected to\n/cb?code=s3cr3t", "redirected to\n/cb?code=" + Marker},
		{"Location:\t/cb?sid=s3cr3t&x=1", "Location:\t/cb?sid=" + Marker + "&x=1"},
		{"(see /cb?code=s3cr3t).", "(see /cb?code=" + Marker + ")."},
		{"(/cb?code=s3cr3t), then", "(/cb?code=" + Marker + "), then"},
		{"(https://a.example/cb?code=s3cr3t).", "(https://a.example/cb?code=" + Marker + ")."},
		{"(/a?q=(x)&sig=s3cr3t)", "(/a?q=(x)&sig=" + Marker + ")"},
		// A ';' after a URL is prose's, as after a ')' around one.
		{"(see /cb?code=s3cr3t); return 302 https://a.example/x;sid=s3cr3t; then",
			"(see /cb?code=" + Marker + "); return 302 https://a.example/x;sid=" + Marker + "; then"},
		// A raw space or quote in a quoted URL's query (a hostile file's;
		// a browser escapes them): a secret parameter right after it is
		// still the URL's, as long as the URL ended inside a parameter.
		{"Access to fetch at 'http://h/sp?x=1 sid=s3cr3t&y=2' from origin", "Access to fetch at 'http://h/sp?x=1 sid=" + Marker + "&y=2' from origin"},
		{"at 'http://h/sp?x=1 a=2 code=s3cr3t' from", "at 'http://h/sp?x=1 a=2 code=" + Marker + "' from"},
		{`Location "http://h/cb?x=1"&sig=s3cr3t" is`, `Location "http://h/cb?x=1"&sig=` + Marker + `" is`},
		{"see https://a.example/docs?page=2 and code=200", "see https://a.example/docs?page=2 and code=200"},
		{"run 'https://a.example/x?api_key=abc123' --origin https://b.example", "run 'https://a.example/x?api_key=" + Marker + "' --origin https://b.example"},
		// Prose around a URL that ends a line keeps every word.
		{"see https://a.example/docs?page=2\nThe code=200 answer", "see https://a.example/docs?page=2\nThe code=200 answer"},
		{"open https://a.example/x\n\nthen check the key", "open https://a.example/x\n\nthen check the key"},
		{"Origin: https://app.example.com;\nadd_header Vary Origin;", "Origin: https://app.example.com;\nadd_header Vary Origin;"},
		// A key naming a secret's kind or its end holds none (IsSecretName).
		{"token_type=Bearer&expires_in=3600 session_timeout: 30min", "token_type=Bearer&expires_in=3600 session_timeout: 30min"},
		{`"tokenizer": "cl100k_base", "session_token": "s3cr3t"`, `"tokenizer": "cl100k_base", "session_token": "` + Marker + `"`},
		// A comma, period, colon or bracket after a hidden value is the
		// text's, not the secret's: the marker replaces the secret alone.
		{"see https://a.example/?code=abc, then /cb?sig=def, and", "see https://a.example/?code=" + Marker + ", then /cb?sig=" + Marker + ", and"},
		{"GET https://a.example/?token=abc. Then", "GET https://a.example/?token=" + Marker + ". Then"},
		{"see https://a.example/#access_token=abc: then", "see https://a.example/#access_token=" + Marker + ": then"},
		{"open https://a.example/?sig=abc!", "open https://a.example/?sig=" + Marker + "!"},
		{"(token=abc123) and [secret=abc123], then", "(token=" + Marker + ") and [secret=" + Marker + "], then"},
		{"token=abc123. Next", "token=" + Marker + ". Next"},
		{"Link: <https://a.example/?token=abc>; rel=next", "Link: <https://a.example/?token=" + Marker + ">; rel=next"},
		{"Authorization: Bearer abcdefghijkl. Next", "Authorization: Bearer " + Marker + ". Next"},
		// A comma inside a secret is the secret's: all of it is hidden,
		// quoted or not, in a URL or in text; so is a secret that is only
		// punctuation, and at most one byte of punctuation ends one.
		{"see https://a.example/?token=abc,def then", "see https://a.example/?token=" + Marker + " then"},
		{"see https://a.example/?token=abc,def, then", "see https://a.example/?token=" + Marker + ", then"},
		{"see https://a.example/?token=,, then", "see https://a.example/?token=" + Marker + " then"},
		{"see https://a.example/?token=, then", "see https://a.example/?token=" + Marker + " then"},
		{"password=ab,cdefgh next", "password=" + Marker + " next"},
		{"token=abcdef, next=1", "token=" + Marker + ", next=1"},
		{`token="abc, def", next`, `token="` + Marker + `", next`},
		{`{"password": "a,b c,d", "user": "bob"}`, `{"password": "` + Marker + `", "user": "bob"}`},
		{`password='pa ss, word' then`, `password='` + Marker + `' then`},
		{`api_key: "ab\"c, d" x`, `api_key: "` + Marker + `" x`},
		// Compact JSON (JSON.stringify's): the comma before the next member
		// ends an unquoted value, and a literal there stays.
		{`{"session":12345,"user":"bob","token":null,"secret":true,"api_key":false}`,
			`{"session":"` + Marker + `","user":"bob","token":null,"secret":true,"api_key":false}`},
		// A JSON member's number is hidden as a string: the JSON stays JSON.
		{`{"api_key": 1234567, "session_id": -98.7e3} session=12345`,
			`{"api_key": "` + Marker + `", "session_id": "` + Marker + `"} session=` + Marker},
		{`"{\"session\":12345}"`, `"{\"session\":\"` + Marker + `\"}"`},
		{`[{"jwt":false},{"password":null,"x":1}]`, `[{"jwt":false},{"password":null,"x":1}]`},
		// JSON held in a JSON string (an echo server's "data", a logged
		// body): its members' quotes are escaped, and hide as well.
		{`{"data": "{\"password\": \"hunter 22\", \"user\": \"bob\"}"}`,
			`{"data": "{\"password\": \"` + Marker + `\", \"user\": \"bob\"}"}`},
		{`"{\"client_secret\":\"a\\\"b, c\",\"token_type\":\"Bearer\"}"`,
			`"{\"client_secret\":\"` + Marker + `\",\"token_type\":\"Bearer\"}"`},
		{`{\"api_key\": \"k\\\\\"}, rest`, `{\"api_key\": \"` + Marker + `\"}, rest`},
		// JSON held in a string by an encoder that escapes '"' as \u0022
		// (.NET's System.Text.Json), and a Python dict's repr.
		{`{"data":"{\u0022password\u0022:\u0022hunter 22\u0022,\u0022user\u0022:\u0022bob\u0022}"}`,
			`{"data":"{\u0022password\u0022:\u0022` + Marker + `\u0022,\u0022user\u0022:\u0022bob\u0022}"}`},
		{`{\u0022session\u0022: 12345}`, `{\u0022session\u0022: \u0022` + Marker + `\u0022}`},
		{`{\u0022token\u0022:\u0022a\\\u0022b\u0022}`, `{\u0022token\u0022:\u0022` + Marker + `\u0022}`},
		{`{'password': 'hunter 22', 'user': 'bob'}`, `{'password': '` + Marker + `', 'user': 'bob'}`},
		// Two strings deep (a log line holding an echo's "data"): each
		// quote takes 2^depth-1 backslashes.
		{`"{\"data\":\"{\\\"password\\\":\\\"hunter 22\\\",\\\"user\\\":\\\"bob\\\"}\"}"`,
			`"{\"data\":\"{\\\"password\\\":\\\"` + Marker + `\\\",\\\"user\\\":\\\"bob\\\"}\"}"`},
		{`{\\\"session\\\": 12345}`, `{\\\"session\\\": \\\"` + Marker + `\\\"}`},
		{`{\"token\": \"ab"c d\"} x`, `{\"token\": \"` + Marker + `\"} x`},
		// A URL's hidden path parameter keeps the query after it.
		{"see https://h.example/a;jsessionid=s3cr3t/y?page=2 now", "see https://h.example/a;jsessionid=" + Marker + "?page=2 now"},
		{"see /a;jsessionid=s3cr3t?page=2&token=t now", "see /a;jsessionid=" + Marker + "?page=2&token=" + Marker + " now"},
		// A secret written after a marker is no URL's going on: hidden.
		{"password=[REDACTED]hunter2 now", "password=" + Marker + " now"},
		{`{"password":"[REDACTED]hunter 2"}`, `{"password":"` + Marker + `"}`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBody: a body is redacted as text, and by its form: the secret
// parameters of a form-encoded body, the values of secret-named keys of a
// JSON one (those IsSecretName knows, not only Text's words), and PEM
// private keys. Everything else stays byte for byte.
func TestBody(t *testing.T) {
	tests := []struct{ in, want string }{
		{"grant_type=authorization_code&code=c0de&code_verifier=v3r", "grant_type=authorization_code&code=" + Marker + "&code_verifier=" + Marker},
		// An echo server's answer (httpbin's /anything) holds the request
		// body as a string too.
		{`{"data": "{\"password\":\"hunter22\"}", "json": {"password": "hunter22"}}`,
			`{"data": "{\"password\":\"` + Marker + `\"}", "json": {"password": "` + Marker + `"}}`},
		{`{"private_key": "k3y", "code": "c0de", "sid":"s1d", "credential" : "cr3d", "SAMLResponse": "PHNhbWw+", "accessKey": "AK"}`,
			`{"private_key": "` + Marker + `", "code": "` + Marker + `", "sid":"` + Marker + `", "credential" : "` + Marker + `", "SAMLResponse": "` + Marker + `", "accessKey": "` + Marker + `"}`},
		{`{"nested": {"client_assertion": "a\"b", "name": "bob"}, "access_token": "t0k"}`,
			`{"nested": {"client_assertion": "` + Marker + `", "name": "bob"}, "access_token": "` + Marker + `"}`},
		{`{"type":"service_account","pk":"-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n"}`,
			`{"type":"service_account","pk":"` + Marker + `\n"}`},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIEv", Marker},
		// Nothing secret: as written.
		{`{"code": 404, "Access-Control-Allow-Headers": "authorization", "auth": "", "session": null, "message": "not found"}`,
			`{"code": 404, "Access-Control-Allow-Headers": "authorization", "auth": "", "session": null, "message": "not found"}`},
		{"a=1&b=2", "a=1&b=2"},
		// Members are judged by IsSecretName, word by word (testdata/names.txt):
		// the secrets, however their names are written, and nothing else.
		{`{"access_token":"at1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt1","id_token":"it1","scope":"openid"}`,
			`{"access_token":"` + Marker + `","token_type":"Bearer","expires_in":3600,"refresh_token":"` + Marker + `","id_token":"` + Marker + `","scope":"openid"}`},
		{`{"author": "Ann", "keyboard": "qwerty", "tokenizer": "cl100k_base", "authority": "ca", "session_timeout": "30m", "secret_name": "prod/db", "publicKey": "MFkw"}`,
			`{"author": "Ann", "keyboard": "qwerty", "tokenizer": "cl100k_base", "authority": "ca", "session_timeout": "30m", "secret_name": "prod/db", "publicKey": "MFkw"}`},
		{`{"apiKey": "k1", "X-API-KEY": "k2", "Client_Secret": "s1", "deep": {"a": [{"PASSWORD": "p1", "connect.sid": "s2", "otp_code": "123456"}]}}`,
			`{"apiKey": "` + Marker + `", "X-API-KEY": "` + Marker + `", "Client_Secret": "` + Marker + `", "deep": {"a": [{"PASSWORD": "` + Marker + `", "connect.sid": "` + Marker + `", "otp_code": "` + Marker + `"}]}}`},
		// A number is hidden under a name whose secret is often one (a PIN, a
		// one-time code, a password); other numbers are counts and statuses.
		{`{"pin": 1234, "otp":123456, "password": 12345678, "verification_code": -1.5e3, "code": 404, "max_tokens": 4096, "password_length": 12, "session": 7}`,
			`{"pin": "` + Marker + `", "otp":"` + Marker + `", "password": "` + Marker + `", "verification_code": "` + Marker + `", "code": 404, "max_tokens": 4096, "password_length": 12, "session": 7}`},
		// An array of strings under a secret name is hidden string by string.
		{`{"recovery_codes": ["a1b2", "c3d4"], "api_keys":[ "k1" ], "scopes": ["read"]}`,
			`{"recovery_codes": ["` + Marker + `", "` + Marker + `"], "api_keys":[ "` + Marker + `" ], "scopes": ["read"]}`},
		// So is an array of numbers under a name whose secret is often one;
		// other arrays of numbers are counts and ids.
		{`{"backup_codes": [12345678, -8765.4e3], "otp_codes":[123456], "status_codes": [200, 404], "api_keys": [7]}`,
			`{"backup_codes": ["` + Marker + `", "` + Marker + `"], "otp_codes":["` + Marker + `"], "status_codes": [200, 404], "api_keys": [7]}`},
		// No form (params): but Text hides a secret key's value, to white
		// space.
		{"<html>code=c</html> plain prose", "<html>code=" + Marker + " plain prose"},
	}
	for _, tt := range tests {
		if got := Body(tt.in); got != tt.want {
			t.Errorf("Body(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzBody(f *testing.F) {
	for _, s := range []string{`{"code":"c","a":"b"}`, "code=c&x=1", "-----BEGIN PRIVATE KEY-----\nx", `{"k\"ey":"v"}`,
		`{"m":"{\"token\":[\"a\\\"b\", 1]}"}`, `{"m":"{\"secrets\":{\"a\":\"x`, `"{\\\"sid\\\":[\\\"v\\\"]}"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Body(s)
		if Body(out) != out {
			t.Fatalf("Body is not idempotent: %q -> %q -> %q", s, out, Body(out))
		}
	})
}

// FuzzBodyHeldJSON: a secret inside an object or array under a secret
// name, among whatever strings and members the fuzzer adds, never shows
// when that JSON is held in a JSON string, once or twice (a logged body,
// an error's detail).
func FuzzBodyHeldJSON(f *testing.F) {
	f.Add(uint8(0), "x", "k", uint8(1), uint32(1))
	f.Add(uint8(3), `a"}]\`, `"`, uint8(2), uint32(2))
	f.Add(uint8(9), "\n{[", "", uint8(0), uint32(3))
	f.Fuzz(func(t *testing.T, which uint8, junk, member string, depth uint8, seed uint32) {
		secret := fmt.Sprintf("S3cr3t%08x", seed)
		if strings.Contains(junk+member, secret[:6]) {
			return
		}
		name := CommonSecretParams[int(which)%len(CommonSecretParams)]
		inner := map[string]any{name: map[string]any{member: []any{junk, secret, 7}, "z": junk}, "note": junk}
		b, err := json.Marshal(inner)
		if err != nil {
			return
		}
		for range depth%2 + 1 {
			if b, err = json.Marshal(map[string]string{"msg": string(b)}); err != nil {
				return
			}
		}
		if out := Body(string(b)); strings.Contains(out, secret) {
			t.Fatalf("Body(%s) = %s keeps the secret", b, out)
		}
	})
}

// TestTextQuoting: the URLs a text is known to quote are redacted whole,
// longest first, then the text as Text does.
func TestTextQuoting(t *testing.T) {
	tests := []struct {
		s    string
		urls []string
		want string
	}{
		{"GET https://a.example/x?sig=s1 from http://h/p?x=1%zz;sid=s2", []string{"https://a.example/x?sig=s1", "http://h/p?x=1%zz;sid=s2"},
			"GET https://a.example/x?sig=" + Marker + " from http://h/p?x=1%zz;sid=" + Marker},
		// A URL that is a prefix of another.
		{"see https://a.example/?code=c1&x=1", []string{"https://a.example/?code=c1", "https://a.example/?code=c1&x=1"},
			"see https://a.example/?code=" + Marker + "&x=1"},
		{"Bearer abcdefghijkl", nil, "Bearer " + Marker},
	}
	for _, tt := range tests {
		if got := TextQuoting(tt.s, tt.urls...); got != tt.want {
			t.Errorf("TextQuoting(%q, %q) = %q, want %q", tt.s, tt.urls, got, tt.want)
		}
	}
}

func TestCommonSecretParamsAreSecret(t *testing.T) {
	for _, n := range CommonSecretParams {
		if !IsSecretName(n) {
			t.Errorf("IsSecretName(%q) = false", n)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "Cookie": true, "X-Api-Key": true, "X-Amz-Security-Token": true,
		"Ocp-Apim-Subscription-Key": true, "Content-Type": false, "Accept": false,
		"Access-Control-Allow-Credentials": false, "Origin": false, "Keep-Alive": false,
		"sig": true, "code": true, "SIG": true, "barcode": false, "design": false, "X-Amz-Signature": true, "client_secret": true,
		"id_token": true, "X-Goog-Credential": true, "sid": true, "PHPSESSID": true, "page": false, "state": false,
	} {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "token=abc", "Bearer xyzxyzxyzxyz", "eyJabcde.eyJabcde.sig", "Access-Control-Allow-Credentials: true",
		"AccountKey = abc== x", "see /a;jsessionid=ABC;v=1/b now", "GET http://h/x;key=a/b+/=?q=1 then"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != out {
			t.Fatalf("Text is not idempotent: %q -> %q -> %q", s, out, Text(out))
		}
	})
}

func FuzzURL(f *testing.F) {
	for _, s := range []string{"https://a.example/?token=x", "http://u:p@h/", "::", "%zz", "https://h/x;AccountKey=a/b;v=1?q#f", "/a;jsessionid=ABC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := URL(s)
		if URL(out) != out {
			t.Fatalf("URL is not idempotent: %q -> %q -> %q", s, out, URL(out))
		}
	})
}

// FuzzRedactor: a generated secret placed as a URL's password or under
// any secret parameter name, in the query, the fragment or the path (a
// matrix parameter), among whatever
// junk the fuzzer adds (bad escapes, ';', '#', quotes), never survives
// URL, Text (a message quoting the URL) or Value (a header holding it).
func FuzzRedactor(f *testing.F) {
	f.Add(uint8(0), "https://a.example/p", "x=%zz", ";", uint32(1))
	f.Add(uint8(3), "http://h", "a=1#b", "&", uint32(99))
	f.Add(uint8(200), "wss://h:1", "", "&", uint32(7))
	f.Add(uint8(0), "http://h/p", "x=1\n", "&", uint32(5))
	f.Add(uint8(1), "http://h/p\r\n", "a\tb", ";", uint32(6))
	f.Add(uint8(241), "https://h/a;v=1", "b/c?d=1", ";", uint32(8))
	f.Fuzz(func(t *testing.T, where uint8, base, junk, sep string, seed uint32) {
		scheme, _, ok := strings.Cut(base, "://")
		// A base with a space or a quote is no URL: text around it ends
		// the URL there, as junk with them does below. Tab and line
		// breaks do not (the URL standard strips them).
		if strings.ContainsAny(base, "?#@ \f\v\"'<>`") || !ok || !weburl.IsScheme(scheme) || (sep != "&" && sep != ";") {
			return
		}
		secret := fmt.Sprintf("S3cr3t%08x", seed)
		var u string
		switch {
		case where >= 240: // a path parameter, matrix style
			name := CommonSecretParams[int(where)%len(CommonSecretParams)]
			u = base + "/x;" + name + "=" + secret + sep + junk
		case int(where) < len(CommonSecretParams):
			name := CommonSecretParams[where]
			u = base + "?" + junk + sep + name + "=" + secret + sep + junk
		case where%2 == 0:
			name := CommonSecretParams[int(where)%len(CommonSecretParams)]
			u = base + "#" + junk + "&" + name + "=" + secret
		default:
			scheme, rest, _ := strings.Cut(base, "://")
			if strings.ContainsAny(rest, "/") || strings.ContainsAny(junk, "/?#") {
				return
			}
			u = scheme + "://user:" + junk + secret + "@" + rest + "/?" + junk
		}
		if strings.ContainsAny(junk, " \f\v\"'<>`") || strings.Contains(junk, secret) {
			return
		}
		for what, out := range map[string]string{
			"URL":   URL(u),
			"Text":  Text("cannot reach " + u + ": refused"),
			"Value": Value("Referer", u),
			"JSON":  Text(`{"url":"` + u + `"}`),
		} {
			if strings.Contains(out, secret) {
				t.Fatalf("%s(%q) = %q keeps the secret", what, u, out)
			}
		}
	})
}

// mayHoldSecret gates Text's patterns: it must see every hint in any case,
// anywhere in a text, and let texts without one through.
func TestMayHoldSecret(t *testing.T) {
	var withHint []string
	for _, hints := range secretHints {
		for _, h := range hints {
			withHint = append(withHint, h, strings.ToUpper(h), "x "+strings.ToUpper(h[:1])+h[1:], "the key ("+h+")")
		}
	}
	for _, s := range withHint {
		if !mayHoldSecret(s) {
			t.Errorf("mayHoldSecret(%q) = false", s)
		}
	}
	for _, s := range []string{"", "e", "the browser sends an OPTIONS preflight first", "api_ke", "TOKE", "jw", "a_pi_key", "pass word", "b\u212aearer"} {
		if mayHoldSecret(s) {
			t.Errorf("mayHoldSecret(%q) = true", s)
		}
	}
}

// TestTextAround: a finding's message around the request's URL is split
// there, the URL redacted as Text would; texts it cannot split are left
// to Text.
func TestTextAround(t *testing.T) {
	tests := []struct {
		pre, url, post, mid string
		ok                  bool
	}{
		{"OPTIONS ", "https://api.test/x?page=2", " with Origin: https://app.test", "https://api.test/x?page=2", true},
		{"OPTIONS ", "https://api.test/x?sig=abc123&b=2", " with", "https://api.test/x?sig=" + Marker + "&b=2", true},
		{"OPTIONS ", "https://api.test/x?access_token=abc123", " with", "", false}, // the hint is in the URL: Text decides
		{"OPTIONS ", "https://u:p@api.test/x", "", "https://u:%5BREDACTED%5D@api.test/x", true},
		{"the bearer ", "https://api.test/x", " y", "", false}, // a hint before the URL
		{"send ", "https://api.test/x", " token abcdefghijkl", "", false},
		{"http", "s://a.test/", " ", "", false},                    // the URL starts in pre
		{"see https://b.test/", "https://a.test/", " ", "", false}, // or pre's runs into it
		{"see https://b.test/?x=1 ", "https://a.test/", " ", "https://a.test/", true},
		{"x ", "https://a.test/", "abc", "", false},                          // and goes on into post
		{"x ", "https://a.test/a b", " ", "", false},                         // or ends inside
		{"x ", "https://a.test/?to", "ken=1 ", "", false},                    // a hint across the end
		{"x ", "https://a.test/?a=1,primaryKey:", `"abcd1234" y`, "", false}, // a value in post
		{"x ", "https://a.test/?x=AccountKey", " = abcd1234", "", false},     // or after its key
		{"x ", "https://a.test/;AccountKey=abc", " y", "https://a.test/;AccountKey=" + Marker, true},
	}
	for _, tt := range tests {
		mid, ok := TextAround(tt.pre, tt.url, tt.post)
		if ok != tt.ok || mid != tt.mid {
			t.Errorf("TextAround(%q, %q, %q) = %q, %v; want %q, %v", tt.pre, tt.url, tt.post, mid, ok, tt.mid, tt.ok)
		}
		if ok && tt.pre+mid+tt.post != Text(tt.pre+tt.url+tt.post) {
			t.Errorf("TextAround(%q, %q, %q): not Text's answer", tt.pre, tt.url, tt.post)
		}
	}
}

// FuzzTextAround: where TextAround answers, its answer around pre and
// post is Text's of the whole.
func FuzzTextAround(f *testing.F) {
	for _, c := range [][3]string{
		{"preflight: OPTIONS ", "https://api.test/v1/items/2?page=2", " with Origin: https://app.test"},
		{"see https://b.test/ ", "https://a.test/", " and https://c.test/?q#f then"},
		{"OPTIONS ", "https://api.test/x?access_token=abc123&b=2", " with Origin"},
		{"OPTIONS ", "https://u:p@api.test/x", ""},
		{"the to", "https://ken.test/", " x"},
		{"x ", "https://api.test/?a=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", " y"},
		{"send ", "https://api.test/x", " token: abcdefghijklmnop"},
		{"(", "https://a.test/p;jsessionid=1", ")"},
		{"http", "s://a.test/", " "},
		{"", "HTTPS://A.TEST/?Signature=x", "\""},
		{"see ", "https://a.test/p?x=1(/y?code=c", " and (/z?sig=s)"},
		{"at '", "http://h/sp?x=1", " sid=s&y=2' from"},
		{"at '", "http://h/sp?x=1", "'&code=c' from"},
		{"x ", "https://a.test/?x=AccountKey", " = abcd1234"},
		{"(", "https://a.test/p;AccountKey=1/x", ") y"},
	} {
		f.Add(c[0], c[1], c[2])
	}
	f.Fuzz(func(t *testing.T, pre, url, post string) {
		if !Inert(pre) || !Inert(post) {
			return
		}
		mid, ok := TextAround(pre, url, post)
		if !ok {
			return
		}
		if got, want := pre+mid+post, Text(pre+url+post); got != want {
			t.Fatalf("TextAround(%q, %q, %q): %q, Text gives %q", pre, url, post, got, want)
		}
	})
}

// FuzzMayHoldSecret holds mayHoldSecret to the byte-by-byte search it
// replaced: any hint, at any place, in any case of its ASCII letters.
func FuzzMayHoldSecret(f *testing.F) {
	for _, s := range []string{"", "eyJ", "xAkIa", "api_KEY", "api-kEy", "ApIkEy", "BEARER", "bAsic", "tok", "TOKEN.", "secreT",
		"SeSsIoN", "sIgNaTuRe", "passW", "JwT", "\xc5\xbfession", "s\u212aey", "api_ke", "tokeN\x00", "SE SSION", "a`pi", "@pikey"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		for i := range len(s) {
			for _, h := range secretHints[s[i]|0x20] {
				if len(s)-i >= len(h) && hasFoldedPrefix(s[i:], h) {
					want = true
				}
			}
		}
		if got := mayHoldSecret(s); got != want {
			t.Fatalf("mayHoldSecret(%q) = %v, want %v", s, got, want)
		}
	})
}

// BenchmarkTextFinding is Text on a finding's message that quotes the
// request's URL and page origin, nothing to redact: what `corsdiag har`
// redacts for most requests.
func BenchmarkTextFinding(b *testing.B) {
	s := "the browser sends a preflight for this request (method PUT is not CORS-safelisted (only GET, HEAD and POST are); header content-type is not CORS-safelisted): OPTIONS https://api2.example.test/v1/items/2?page=2&sort=name with Origin: https://app.example.test, Access-Control-Request-Method: PUT; the file holds none (answered from the preflight cache, or left out by the exporter)"
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Text(s)
	}
}

// BenchmarkHostileText is Text on hostile runs a recorded file may hold:
// its time per byte must stay flat as the run grows (compare the sizes).
func BenchmarkHostileText(b *testing.B) {
	runs := []struct{ name, head, run string }{
		{"url-parens", "see https://h/?a=1", ")"},
		{"url-paren-punct", "see https://h/?a=", ")."},
		{"value-backslashes", "token=x", `\`},
		{"escaped-key-runs", `{`, `\\\"password\\\":`},
	}
	for _, r := range runs {
		for _, n := range []int{1 << 10, 1 << 14} {
			s := r.head + strings.Repeat(r.run, n)
			b.Run(fmt.Sprintf("%s/%d", r.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					_ = Text(s)
				}
			})
		}
	}
}

// hostileShapes are runs an untrusted HAR or server answer may hold to
// slow redaction down: keys with no value (escaped, unquoted, JSON),
// backslash runs before quotes, unterminated quoted values.
var hostileShapes = []struct{ name, run string }{
	{"escaped-keys", `\"password\":`},
	{"escaped2-keys", `\\\"password\\\":`},
	{"u0022-keys", `\u0022password\u0022:`},
	{"backslash-quote", `password=\\\\\\\\\\\\\\\"`},
	{"backslash-run", `\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\`},
	{"key-eq", `password=`},
	{"key-eq-amp", `api_key=&`},
	{"json-unterminated", `"password": "`},
	{"json-keys", `"password":`},
	{"single-quote", `'password':'`},
	{"parity-keys", `\\"password\\":`},
	{"json-array", `"password": ["x", `},
	{"key-eq-space", `password= `},
	{"yaml-colon", `client_secret: `},
	{"unhinted-eq", `AccountKey=`},
	{"key-spaces", `password` + strings.Repeat(" ", 64)},
}

// hostileSizes are 16 KiB, 160 KiB and 1.6 MiB: time per byte must stay
// flat across them (compare ns/op divided by the size, or MB/s).
var hostileSizes = []int{16 << 10, 160 << 10, 1600 << 10}

// hostile is run repeated to n bytes, after an opening brace.
func hostile(run string, n int) string {
	s := "{" + strings.Repeat(run, n/len(run)+1)
	return s[:n]
}

// benchHostile is redact on each shape at each size: a step that re-scans
// the rest of the text per key shows as MB/s falling 10× a size.
func benchHostile(b *testing.B, redact func(string) string) {
	for _, sh := range hostileShapes {
		for _, n := range hostileSizes {
			s := hostile(sh.run, n)
			b.Run(fmt.Sprintf("%s/%d", sh.name, n), func(b *testing.B) {
				b.SetBytes(int64(n))
				for b.Loop() {
					_ = redact(s)
				}
			})
		}
	}
}

// BenchmarkHostileTextGrowth is Text on hostile runs of three sizes.
func BenchmarkHostileTextGrowth(b *testing.B) { benchHostile(b, Text) }

// BenchmarkHostileBodyGrowth is Body on hostile runs of three sizes.
func BenchmarkHostileBodyGrowth(b *testing.B) { benchHostile(b, Body) }

// BenchmarkURL is URL on a request URL with a query, nothing to redact.
func BenchmarkURL(b *testing.B) {
	s := "https://api2.example.test/v1/items/2?page=2&sort=name"
	b.ReportAllocs()
	for b.Loop() {
		_ = URL(s)
	}
}

// FuzzKeyValueSecret: a secret after a key IsSecretName knows, quoted
// (escaped quotes too: JSON in a JSON string) with whatever the fuzzer
// puts in the quotes (commas, spaces), or unquoted with whatever follows
// that is no white space, never shows, and the text after the value stays
// as written.
func FuzzKeyValueSecret(f *testing.F) {
	f.Add("password", `"`, ", x", " then", uint32(1))
	f.Add("api_key", `'`, "a b,c", ", next", uint32(2))
	f.Add("session", "", ",x,y", ". Next", uint32(3))
	f.Add("X-Auth-Token", "", "", "), and", uint32(4))
	f.Add("password", `\"`, ", x y", `, \"user\": \"bob\"}`, uint32(5))
	f.Fuzz(func(t *testing.T, key, quote, junk, after string, seed uint32) {
		if !keyRE.MatchString(key+"=") || strings.ContainsAny(key, "\"'= \t\r\n:") || !IsSecretName(key) {
			return
		}
		secret := fmt.Sprintf("S3cr3t%08x", seed)
		var in string
		switch quote {
		case `"`, `'`, `\"`:
			if strings.ContainsAny(junk, quote+"\\\n") {
				return
			}
			in = key + "=" + quote + secret + junk + quote + after
		case "":
			if strings.ContainsAny(junk, "\"&;}` \t\r\n\f\v") {
				return
			}
			in = key + "=" + secret + junk + after
		default:
			return
		}
		out := Text(in)
		if strings.Contains(out, secret) {
			t.Fatalf("Text(%q) = %q keeps the secret", in, out)
		}
		if quote != "" && !strings.HasSuffix(out, quote+after) && Text(after) == after {
			t.Fatalf("Text(%q) = %q: the text after the value changed", in, out)
		}
	})
}

// TestSecretNames holds IsSecretName to testdata/names.txt.
func TestSecretNames(t *testing.T) {
	data, err := os.ReadFile("testdata/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 2 || f[0] != "secret" && f[0] != "harmless" {
			t.Fatalf("names.txt:%d: %q: want \"secret NAME\" or \"harmless NAME\"", i+1, line)
		}
		if got, want := IsSecretName(f[1]), f[0] == "secret"; got != want {
			t.Errorf("names.txt:%d: IsSecretName(%q) = %v, want %v", i+1, f[1], got, want)
		}
	}
}

// TestNameTables reads the name rule's tables: every stem is secret alone
// and as the last word of a name however it is written, and describes
// the secret before a describing word; every harmless word and pair is
// harmless, every secretAfter pair secret.
func TestNameTables(t *testing.T) {
	check := func(name string, want bool) {
		t.Helper()
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
	title := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
	for _, s := range secretStems {
		for _, name := range []string{s.stem, "my_" + s.stem, "X-My-" + title(s.stem), "my" + title(s.stem), "MY_" + strings.ToUpper(s.stem)} {
			check(name, true)
		}
		for d := range describing {
			check(s.stem+"_"+d, false)
			check(s.stem+title(d), false)
		}
	}
	for _, h := range keyHints {
		check(h, true)
	}
	for w := range harmlessWords {
		check(w, false)
		check("x-"+w, false)
	}
	for w, before := range harmlessBefore {
		for _, b := range before {
			check(b+"_"+w, false)
			check(b+title(w), false)
		}
	}
	for w, before := range secretAfter {
		for _, b := range before {
			check(b+"_"+w, true)
			check(b+title(w), true)
		}
	}
}

// FuzzSetCookie: a secret as a cookie's value, as the value of the next
// cookie joined by a comma or a line break, or as an attribute's, among
// whatever attributes the fuzzer writes, never shows.
func FuzzSetCookie(f *testing.F) {
	f.Add("sid", "Path=/; Secure", uint8(0), uint32(1))
	f.Add("a", "Expires=Wed, 21 Oct 2026 07:28:00 GMT", uint8(1), uint32(2))
	f.Add("", "SameSite=None", uint8(2), uint32(3))
	f.Add("x", "Domain=.a.test; Path=/p", uint8(3), uint32(4))
	f.Fuzz(func(t *testing.T, name, attrs string, where uint8, seed uint32) {
		secret := fmt.Sprintf("S3cr3t%08x", seed)
		if strings.Contains(name+attrs, secret[:6]) || strings.ContainsAny(name, "=;\n") {
			return
		}
		var v string
		switch where % 4 {
		case 0:
			v = name + "=" + secret + "; " + attrs
		case 1:
			v = name + "=x; " + attrs + ", next=" + secret + "; Path=/"
		case 2:
			v = name + "=x; " + attrs + "\nnext=" + secret
		case 3:
			v = name + "=x; " + attrs + "; Extra=" + secret
		}
		if out := Value("Set-Cookie", v); strings.Contains(out, secret) {
			t.Fatalf("Value(Set-Cookie, %q) = %q keeps the secret", v, out)
		}
	})
}

// TestTextKeyNames: a key=value pair is hidden when IsSecretName holds for
// its key, whatever words it uses: connection strings, numbered keys.
func TestTextKeyNames(t *testing.T) {
	tests := []struct{ in, want string }{
		// Azure Storage's connection string (the emulator's well-known key).
		{"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net",
			"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=" + Marker + ";EndpointSuffix=core.windows.net"},
		// Azure Service Bus: the key's name describes it, the key is hidden.
		{"Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0a2V5MTIzNDU2Nzg5MA+/=",
			"Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + Marker},
		{"error: upstream rejected key1=abcd1234efgh (expired)", "error: upstream rejected key1=" + Marker + " (expired)"},
		{"proxy config basicauth=alice:hunter22 primaryKey=pk0123456789", "proxy config basicauth=" + Marker + " primaryKey=" + Marker},
		{"set connect.sid=s%3Aabcdef.ghijkl in the cookie jar", "set connect.sid=" + Marker + " in the cookie jar"},
		// Names that are no secret, and literals, stay.
		{"AccountName=devstoreaccount1;SameSite=None;max_tokens=4096;publicKey=MFkwEwYH",
			"AccountName=devstoreaccount1;SameSite=None;max_tokens=4096;publicKey=MFkwEwYH"},
		{"properties.cors.supportCredentials=true and a=b", "properties.cors.supportCredentials=true and a=b"},
		// White space around '=' (a config line, a log's key = value).
		{"AccountKey = abc== and password = hunter2, primaryKey\t=pk0123456789",
			"AccountKey = " + Marker + " and password = " + Marker + ", primaryKey\t=" + Marker},
		{"so a = b, x = 1, sessionTimeout = 30min and if (key == other) or key =\nvalue",
			"so a = b, x = 1, sessionTimeout = 30min and if (key == other) or key =\nvalue"},
		// White space after '=' alone follows an empty value (a request
		// line a HAR file recorded, from a real one).
		{"//beacon.example/data.gif?_kua_zip=&_k_adadvisor_key= HTTP/1.1", "//beacon.example/data.gif?_kua_zip=&_k_adadvisor_key= HTTP/1.1"},
		// Path parameters in text, in a URL or a relative one.
		{"GET https://h/x;AccountKey=ab/c+/= now", "GET https://h/x;AccountKey=" + Marker + " now"},
		{"see /a;jsessionid=ABC now, not a;b or /a;b=c", "see /a;jsessionid=" + Marker + " now, not a;b or /a;b=c"},
		// key: value and "key": "value" pairs quoted from YAML or JSON (an
		// error body) whose key holds no hint word.
		{"upstream said: AccountKey: xyz0123456789, primaryKey: pk0123456789",
			"upstream said: AccountKey: " + Marker + ", primaryKey: " + Marker},
		{`body {"AccountKey": "xyz 0123", "primaryKey":"pk0123456789","name":"app"}`,
			`body {"AccountKey": "` + Marker + `", "primaryKey":"` + Marker + `","name":"app"}`},
		{`{\"secondaryKey\": \"sk0123456789\"}`, `{\"secondaryKey\": \"` + Marker + `\"}`},
		{"key1:\tabcd1234efgh (expired)", "key1:\t" + Marker + " (expired)"},
		{"connectionString: DefaultEndpointsProtocol=https;AccountKey=abcd1234==",
			"connectionString: DefaultEndpointsProtocol=https;AccountKey=" + Marker},
		// What is no such pair stays: a scheme, a time, a port, a URL's
		// userinfo, a space before the colon, a key ending a line, a header
		// line whose value Text already reads (a cookie's name, a scheme),
		// CORS headers, fetch's credentials modes.
		{"see https://a.example/key:abcd1234 at 12:30:15 on 127.0.0.1:8080, primaryKey: https://a.example/x",
			"see https://a.example/key:abcd1234 at 12:30:15 on 127.0.0.1:8080, primaryKey: https://a.example/x"},
		{"AccountKey : xyz0123456789 and primaryKey:\nnext line", "AccountKey : xyz0123456789 and primaryKey:\nnext line"},
		{"Cookie: sid=abcd1234; theme=dark", "Cookie: sid=" + Marker + "; theme=dark"},
		{"Authorization: Bearer abcdefghijkl", "Authorization: Bearer " + Marker},
		{"Access-Control-Allow-Credentials: true, Access-Control-Allow-Headers: authorization, x-api-key",
			"Access-Control-Allow-Credentials: true, Access-Control-Allow-Headers: authorization, x-api-key"},
		{"fetch(url, {credentials: 'include'}) or credentials: same-origin",
			"fetch(url, {credentials: 'include'}) or credentials: same-origin"},
		{"x=primaryKey:abcd1234 and publicKey: MFkwEwYHKoZI", "x=primaryKey:abcd1234 and publicKey: MFkwEwYHKoZI"},
		// A lone word before a colon is prose's; a number is a secret
		// where isSecretNumber says (as in Body); API Gateway quotes its
		// header values ("'true'").
		{"Status code: 2000. Set credentials: unchanged, Authorization: environment variable",
			"Status code: 2000. Set credentials: unchanged, Authorization: environment variable"},
		{`{"code": 40001, "sessionPin": 123456}`, `{"code": 40001, "sessionPin": "` + Marker + `"}`},
		{`method.response.header.Access-Control-Allow-Credentials: "'true'"`,
			`method.response.header.Access-Control-Allow-Credentials: "'true'"`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if Inert(tt.in) && tt.in != tt.want {
			t.Errorf("Inert(%q) = true, but Text changes it", tt.in)
		}
	}
}

// TestBodySecretContainers: an object or array under a secret name has
// every string and number inside hidden, its member names and literals kept.
func TestBodySecretContainers(t *testing.T) {
	M, E := `"`+Marker+`"`, `\"`+Marker+`\"`
	tests := []struct{ in, want string }{
		{`{"secrets": {"db": "pw", "port": 5432, "tls": true, "ca": null}, "name": "app"}`,
			`{"secrets": {"db": ` + M + `, "port": ` + M + `, "tls": true, "ca": null}, "name": "app"}`},
		// An OAuth token response whose token is an object.
		{`{"token":{"value":"ya29.a0AfH6SM","expires_in":3599},"token_type":"Bearer"}`,
			`{"token":{"value":` + M + `,"expires_in":` + M + `},"token_type":"Bearer"}`},
		{`{"credentials": [{"username": "bob", "password": 1234}, "x"], "ok": 1}`,
			`{"credentials": [{"username": ` + M + `, "password": ` + M + `}, ` + M + `], "ok": 1}`},
		// Vault's KV v2 read, under a secret name.
		{`{"secret": {"data": {"data": {"api": "s3cr3t", "n": [1, 2]}, "metadata": {"version": 3}}}}`,
			`{"secret": {"data": {"data": {"api": ` + M + `, "n": [` + M + `, ` + M + `]}, "metadata": {"version": ` + M + `}}}}`},
		// Quotes and brackets inside strings do not end the value.
		{`{"client_secret": {"v": "a\"}]b", "w": "c"}, "scope": "x"}`,
			`{"client_secret": {"v": ` + M + `, "w": ` + M + `}, "scope": "x"}`},
		// A cut-off body is hidden to its end.
		{`{"sessions": [{"id": "abc", "ip": "10.0.0.1"`, `{"sessions": [{"id": ` + M + `, "ip": ` + M},
		// Under other names, containers stay.
		{`{"data": {"data": {"user": "bob"}}, "token_type": {"name": "x"}}`,
			`{"data": {"data": {"user": "bob"}}, "token_type": {"name": "x"}}`},
		// JSON held in a JSON string (a logged body, an error's detail):
		// its quotes are escaped, and a container under a secret name is
		// hidden as in plain JSON, with its quotes escaped as they were.
		{`{"detail":"{\"credentials\":{\"user\":\"a\",\"pw\":\"s3cr3t\"}}"}`,
			`{"detail":"{\"credentials\":{\"user\":` + E + `,\"pw\":` + E + `}}"}`},
		{`{"msg":"{\"token\":[\"abc123\", \"d\"]}"}`, `{"msg":"{\"token\":[` + E + `, ` + E + `]}"}`},
		{`{"msg":"{\"AccountKey\": [\"abc123\"], \"n\": [1]}"}`, `{"msg":"{\"AccountKey\": [` + E + `], \"n\": [1]}"}`},
		{`{"msg":"{\"secrets\":{\"a\":\"x\\\"}]y\",\"n\":5,\"ok\":true}, \"name\":\"app\"}"}`,
			`{"msg":"{\"secrets\":{\"a\":` + E + `,\"n\":` + E + `,\"ok\":true}, \"name\":\"app\"}"}`},
		// Twice held: a string in a string.
		{`{"a":"{\"b\":\"{\\\"session\\\":{\\\"id\\\":\\\"s1d\\\"}}\"}"}`,
			`{"a":"{\"b\":\"{\\\"session\\\":{\\\"id\\\":\\\"` + Marker + `\\\"}}\"}"}`},
		// The string holding it ends before the container does (a cut-off
		// log line): hidden to there, what follows stays.
		{`{"msg":"{\"token\":{\"v\":\"abc", "level":"warn"}`,
			`{"msg":"{\"token\":{\"v\":` + E + `", "level":"warn"}`},
		{`{"msg":"{\"credentials\":[\"u\", 2", "level":"warn"}`,
			`{"msg":"{\"credentials\":[` + E + `, ` + E + `", "level":"warn"}`},
	}
	for _, tt := range tests {
		if got := Body(tt.in); got != tt.want {
			t.Errorf("Body(%q) =\n%q, want\n%q", tt.in, got, tt.want)
		}
	}
}
