package platform

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/internal/nginxtest"
)

// existingContext is a page on staging calling an API whose CORS
// configuration allows production today: corsdiag saw prod allowed (known
// true) or only saw that a configuration exists (known false).
func existingContext(known bool) FixContext {
	c := ExampleContext()
	c.Origin = stagingOrigin
	c.Method, c.Methods, c.Headers = "PUT", []string{"PUT", "OPTIONS"}, []string{"content-type", "x-request-id"}
	c.Existing = true
	if known {
		c.AllowedOrigins = []string{prodOrigin}
	}
	return c
}

// singleValueForms write one origin into a header that holds one value
// (API Gateway REST mappings and gateway responses), or add a rule beside the existing ones
// (S3, Cloud Storage): no list is replaced.
var singleValueForms = map[cors.Code]map[Format]bool{}

func init() {
	for _, code := range []cors.Code{CodeAPIGWNoOptionsMethod, CodeAPIGWCorsOnlyOnOptions, CodeAPIGWIntegrationNoCORS,
		CodeAPIGWGatewayResponses, CodeAPIGWAuthOnOptions, CodeAPIGWProxyNoCORS, CodeAPIGWStageNotRedeployed,
		CodeAPIGWPrivateHeader, CodeAPIGWPrivateWrongEndpoint, CodeCloudFrontNoOptions, CodeStaticOptions405} {
		singleValueForms[code] = map[Format]bool{FormatConsole: true, FormatAWSCLI: true, FormatCloudFormation: true,
			FormatSAM: true, FormatCDK: true, FormatTerraform: true, FormatOpenAPI: true}
	}
	for _, code := range []cors.Code{CodeS3CORSNotEnabled, CodeS3CORSRuleMismatch, CodeS3WildcardCreds, CodeGCSCORS} {
		singleValueForms[code] = map[Format]bool{FormatConsole: true, FormatCloudFormation: true, FormatCDK: true,
			FormatTerraform: true, FormatServerless: true, FormatSAM: true}
	}
}

// iacFormats declare the whole configuration: their lists say which list
// to extend ("the values already there stay").
var iacFormats = map[Format]bool{FormatCloudFormation: true, FormatSAM: true, FormatCDK: true, FormatTerraform: true,
	FormatServerless: true, FormatOpenAPI: true}

// mergesFirst: the snippet reads the configuration and merges into it (run
// against fixtures by TestWriteSnippetsKeepWhatWorks).
func mergesFirst(f Fix) bool {
	return (f.Format == FormatAWSCLI || f.Format == FormatGcloud) && strings.Contains(f.Snippet, "jq ")
}

// TestSnippetsKeepExistingOrigins: where a CORS configuration exists, no
// snippet writes a list holding the page's origin alone: it keeps the
// origin known to work (production) beside it, leaves a slot for the
// origins it could not see, reads and merges, or says which list to extend.
func TestSnippetsKeepExistingOrigins(t *testing.T) {
	q := regexp.QuoteMeta(stagingOrigin)
	alone := []*regexp.Regexp{
		regexp.MustCompile(`\[\s*['"]` + q + `['"]\s*\]`),                  // JS, JSON, HCL, YAML flow
		regexp.MustCompile(`List\.of\(\s*"` + q + `"\s*\)`),                // Java
		regexp.MustCompile(`(?m):\n\s*- (exact: )?` + q + `\n\s*[a-zA-Z]`), // YAML block list of one
		regexp.MustCompile(`<allowed-origins>\s*<origin>` + q + `</origin>\s*</allowed-origins>`),
		regexp.MustCompile(`map\[string\]bool\{\s*"` + q + `": true,\s*\}`),
		regexp.MustCompile(`origin:\s*'` + q + `'`),
		regexp.MustCompile(`SetEnvIf Origin "\^\(` + regexp.QuoteMeta(regexp.QuoteMeta(stagingOrigin)) + `\)\$"`),
		regexp.MustCompile(`(?s)set \$cors_origin "";\n\s*if \(\$http_origin = "` + q + `"\)[^\n]*\n\s*#? ?[^i]`),
	}
	checked := 0
	for _, known := range []bool{true, false} {
		ctx := existingContext(known)
		for code := range fixBuilders {
			for _, f := range Fixes(code, ctx) {
				if singleValueForms[code][f.Format] || mergesFirst(f) {
					continue
				}
				checked++
				for _, re := range alone {
					if !re.MatchString(f.Snippet) {
						continue
					}
					if iacFormats[f.Format] && strings.Contains(f.Snippet, "already there stay") {
						continue
					}
					t.Errorf("%s/%s (prod known allowed: %v): a list of the page's origin alone, where one exists (%s):\n%s", code, f.Format, known, re, f.Snippet)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d snippets checked", checked)
	}
}

// TestFrameworkSnippetsKeepTheList: every framework snippet of a case
// where the CORS configuration exists keeps it: the origin seen allowed
// stays in the list, or the snippet moves or extends the user's own
// configuration unchanged.
func TestFrameworkSnippetsKeepTheList(t *testing.T) {
	tests := []struct {
		code cors.Code
		why  string
	}{
		{CodeMiddlewareOrder, "auth answers before the cors middleware, which exists"},
		{CodeSpringOriginDenied, "Spring's CORS processor refused the origin: a configuration exists"},
		{CodeOriginNotAllowed, "a CORS layer refused the origin"},
		{CodeCDNCacheNoVary, "the origin sends CORS headers; the cache key is wrong"},
		{CodeStaticOptions405, "GET answers carry CORS; OPTIONS is refused"},
		{CodeGCPOptionsNotHandled, "the function sets CORS on GET, not OPTIONS"},
		{CodeAPIGWProxyNoCORS, "the backend sets CORS on some answers"},
		{CodeAppServiceCORS, "the platform's CORS list exists"},
	}
	frameworks := map[Format]bool{FormatExpress: true, FormatSpring: true, FormatASPNet: true, FormatGo: true}
	keeps := regexp.MustCompile(`unchanged|your existing|as it is|as they are|allowe?d? today|allows today|already listed|add\* appends|stay`)
	for _, tt := range tests {
		for _, known := range []bool{true, false} {
			ctx := existingContext(known)
			n := 0
			for _, f := range Fixes(tt.code, ctx) {
				if !frameworks[f.Format] {
					continue
				}
				n++
				t.Run(string(tt.code)+"/"+string(f.Format), func(t *testing.T) {
					if known && strings.Contains(f.Snippet, "'"+stagingOrigin+"'") && !strings.Contains(f.Snippet, prodOrigin) {
						t.Errorf("%s: lists %s without %s, which works today:\n%s", tt.why, stagingOrigin, prodOrigin, f.Snippet)
					}
					if !keeps.MatchString(f.Snippet) {
						t.Errorf("%s: the snippet does not say the existing configuration stays:\n%s", tt.why, f.Snippet)
					}
				})
			}
			if n == 0 {
				t.Errorf("%s: no framework snippet", tt.code)
			}
		}
	}
}

// nginxDirectives is an nginx snippet without its comment lines: a line
// shown commented out (# add_header ...) adds nothing.
func nginxDirectives(snippet string) string {
	var out []string
	for _, l := range strings.Split(snippet, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// editsInPlace reports whether a snippet is a command that edits the
// user's configuration file rather than configuration to paste.
func editsInPlace(snippet string) bool { return strings.Contains(snippet, "sed -i") }

// nginxTestHead opens a configuration nginx -t accepts when run as any
// user from a temporary prefix; the http block is left open.
const nginxTestHead = `pid nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
`

// TestAlwaysEditsKeepValues runs the nginx and Apache `always` edits on
// configurations that work for success answers (a map of origins, a
// variable, a fixed origin): each CORS line gets `always` and keeps its
// value; every other line is left as it was; a second run changes nothing.
func TestAlwaysEditsKeepValues(t *testing.T) {
	if _, err := exec.LookPath("sed"); err != nil {
		t.Skip("sed not found: the in-place edits are not run")
	}
	const nginxConf = nginxTestHead + `    map $http_origin $cors_origin {
        default "";
        "https://app.example.com" $http_origin;
        "https://admin.example.com" $http_origin;
    }
    server {
        listen 127.0.0.1:8080;
        location /api/ {
            add_header Access-Control-Allow-Origin $cors_origin;
            add_header Access-Control-Allow-Credentials "true" ;
            add_header  Vary Origin always;
            add_header X-Frame-Options DENY;
            return 200;
        }
    }
}
`
	const nginxWant = `        location /api/ {
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials "true" always;
            add_header  Vary Origin always;
            add_header X-Frame-Options DENY;
`
	const apacheConf = `<VirtualHost *:80>
    SetEnvIf Origin "^(https://app\.example\.com|https://admin\.example\.com)$" CORS_ORIGIN=$0
    Header set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header merge Vary Origin
    Header always set Access-Control-Allow-Methods "GET, PUT"
    Header set X-Frame-Options DENY
</VirtualHost>
`
	const apacheWant = `<VirtualHost *:80>
    SetEnvIf Origin "^(https://app\.example\.com|https://admin\.example\.com)$" CORS_ORIGIN=$0
    Header unset Access-Control-Allow-Origin env=CORS_ORIGIN
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always merge Vary Origin
    Header always set Access-Control-Allow-Methods "GET, PUT"
    Header set X-Frame-Options DENY
</VirtualHost>
`
	// enable-cors.org's nginx recipe, copied into many answers, quotes
	// the header names; nginx and Apache take any case.
	const nginxQuoted = nginxTestHead + `    server {
        listen 127.0.0.1:8080;
        location /api/ {
            if ($request_method = 'OPTIONS') {
                add_header 'Access-Control-Allow-Origin' '*';
                add_header "Access-Control-Allow-Methods" 'GET, POST, OPTIONS';
                add_header 'Access-Control-Max-Age' 1728000;
                add_header 'Content-Type' 'text/plain; charset=utf-8';
                return 204;
            }
            add_header 'access-control-allow-origin' '*';
            return 200;
        }
    }
}
`
	const nginxQuotedWant = `                add_header 'Access-Control-Allow-Origin' '*' always;
                add_header "Access-Control-Allow-Methods" 'GET, POST, OPTIONS' always;
                add_header 'Access-Control-Max-Age' 1728000 always;
                add_header 'Content-Type' 'text/plain; charset=utf-8';
                return 204;
            }
            add_header 'access-control-allow-origin' '*' always;
`
	const apacheQuoted = `<VirtualHost *:80>
    Header set "Access-Control-Allow-Origin" "*"
    header add access-control-allow-headers "Content-Type"
    Header set "X-Frame-Options" DENY
</VirtualHost>
`
	const apacheQuotedWant = `<VirtualHost *:80>
    Header unset "Access-Control-Allow-Origin"
    Header always set "Access-Control-Allow-Origin" "*"
    Header always add access-control-allow-headers "Content-Type"
    Header set "X-Frame-Options" DENY
</VirtualHost>
`
	// Behind ProxyPass a backend's own header is in the onsuccess table:
	// Header set replaced it, Header always set alone sends both (Apache
	// 2.4.71: two Access-Control-Allow-Origin lines, refused). A Header
	// unset with the line's condition keeps the replacing.
	const apacheProxied = `<VirtualHost *:80>
    ProxyPass / http://127.0.0.1:8080/
    Header set Access-Control-Allow-Origin "https://app.example.com"
    Header set "Access-Control-Allow-Credentials" "true" "expr=%{HTTP:Origin} == 'https://app.example.com'"
    header SET 'Vary' Origin
</VirtualHost>
`
	const apacheProxiedWant = `<VirtualHost *:80>
    ProxyPass / http://127.0.0.1:8080/
    Header unset Access-Control-Allow-Origin
    Header always set Access-Control-Allow-Origin "https://app.example.com"
    Header unset "Access-Control-Allow-Credentials" "expr=%{HTTP:Origin} == 'https://app.example.com'"
    Header always set "Access-Control-Allow-Credentials" "true" "expr=%{HTTP:Origin} == 'https://app.example.com'"
    Header unset 'Vary'
    Header always set 'Vary' Origin
</VirtualHost>
`
	// Several directives on a line: each CORS add_header gets its own
	// `always` (nginx 1.22.1 applies them one by one); a commented line
	// stays as written.
	const nginxOneLine = nginxTestHead + `    server {
        listen 127.0.0.1:8080;
        location /api/ {
            add_header Access-Control-Allow-Origin $http_origin; add_header Access-Control-Allow-Methods "GET, PUT";
            add_header X-Frame-Options DENY; add_header 'Access-Control-Allow-Headers' "Content-Type" always; add_header Vary Origin;
            # add_header Access-Control-Max-Age 600;
            return 200;
        }
        location /b/ { add_header Access-Control-Allow-Origin *;  add_header  vary  Origin ; return 200; }
    }
}
`
	const nginxOneLineWant = `            add_header Access-Control-Allow-Origin $http_origin always; add_header Access-Control-Allow-Methods "GET, PUT" always;
            add_header X-Frame-Options DENY; add_header 'Access-Control-Allow-Headers' "Content-Type" always; add_header Vary Origin always;
            # add_header Access-Control-Max-Age 600;
            return 200;
        }
        location /b/ { add_header Access-Control-Allow-Origin * always;  add_header  vary  Origin always; return 200; }
`
	// A directive may go on over several lines until its ";": the value
	// on the next line, `always` added after it.
	const nginxMultiLine = nginxTestHead + `    server {
        listen 127.0.0.1:8080;
        location /api/ {
            add_header Access-Control-Allow-Headers
                "Content-Type, Authorization";
            add_header Access-Control-Allow-Methods "GET, PUT"
                always;
            add_header X-Frame-Options
                DENY;
            return 200;
        }
    }
}
`
	const nginxMultiLineWant = `        location /api/ {
            add_header Access-Control-Allow-Headers "Content-Type, Authorization" always;
            add_header Access-Control-Allow-Methods "GET, PUT" always;
            add_header X-Frame-Options
                DENY;
`
	// A comment after a directive that names a CORS add_header is not a
	// directive going on over lines: joining the next line would make that
	// line (here proxy_pass) part of the comment.
	const nginxTrailingComment = nginxTestHead + `    server {
        listen 127.0.0.1:8080;
        location /api/ {
            add_header X-Frame-Options DENY; # was: add_header Access-Control-Allow-Origin *
            proxy_pass http://127.0.0.1:9;
            add_header Access-Control-Allow-Origin $http_origin; # add_header Vary Origin
            add_header Cache-Control no-store;
        }
    }
}
`
	const nginxTrailingCommentWant = `        location /api/ {
            add_header X-Frame-Options DENY; # was: add_header Access-Control-Allow-Origin *
            proxy_pass http://127.0.0.1:9;
            add_header Access-Control-Allow-Origin $http_origin always; # add_header Vary Origin
            add_header Cache-Control no-store;
        }
`
	// A condition on a continuation line belongs to the directive: its
	// Header unset gets it too, so another origin keeps the backend's own.
	const apacheContinued = `<VirtualHost *:80>
    ProxyPass / http://127.0.0.1:8080/
    Header set Access-Control-Allow-Origin "https://app.example.com" \
        "expr=%{HTTP:Origin} == 'https://app.example.com'"
    Header onsuccess set Access-Control-Allow-Credentials "true" \
        env=CORS_OK
    Header set X-Frame-Options DENY \
        env=CORS_OK
</VirtualHost>
`
	const apacheContinuedWant = `<VirtualHost *:80>
    ProxyPass / http://127.0.0.1:8080/
    Header unset Access-Control-Allow-Origin "expr=%{HTTP:Origin} == 'https://app.example.com'"
    Header always set Access-Control-Allow-Origin "https://app.example.com" "expr=%{HTTP:Origin} == 'https://app.example.com'"
    Header unset Access-Control-Allow-Credentials env=CORS_OK
    Header always set Access-Control-Allow-Credentials "true" env=CORS_OK
    Header set X-Frame-Options DENY \
        env=CORS_OK
</VirtualHost>
`
	tests := []struct {
		name       string
		code       cors.Code
		path, conf string
		want       string // a part of the result
		nginx      bool
	}{
		{"nginx", CodeNginxAddHeaderNoAlways, "/etc/nginx/conf.d/YOUR_SITE.conf", nginxConf, nginxWant, true},
		{"nginx quoted names", CodeNginxAddHeaderNoAlways, "/etc/nginx/conf.d/YOUR_SITE.conf", nginxQuoted, nginxQuotedWant, true},
		{"apache", CodeApacheHeaderNoAlways, "/etc/apache2/sites-enabled/YOUR_SITE.conf", apacheConf, apacheWant, false},
		{"apache quoted names", CodeApacheHeaderNoAlways, "/etc/apache2/sites-enabled/YOUR_SITE.conf", apacheQuoted, apacheQuotedWant, false},
		{"apache behind ProxyPass", CodeApacheHeaderNoAlways, "/etc/apache2/sites-enabled/YOUR_SITE.conf", apacheProxied, apacheProxiedWant, false},
		{"nginx several on a line", CodeNginxAddHeaderNoAlways, "/etc/nginx/conf.d/YOUR_SITE.conf", nginxOneLine, nginxOneLineWant, true},
		{"nginx directive over lines", CodeNginxAddHeaderNoAlways, "/etc/nginx/conf.d/YOUR_SITE.conf", nginxMultiLine, nginxMultiLineWant, true},
		{"nginx comment naming a CORS line", CodeNginxAddHeaderNoAlways, "/etc/nginx/conf.d/YOUR_SITE.conf", nginxTrailingComment, nginxTrailingCommentWant, true},
		{"apache condition continued", CodeApacheHeaderNoAlways, "/etc/apache2/sites-enabled/YOUR_SITE.conf", apacheContinued, apacheContinuedWant, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The lines from F=FILE (the user's file) to the edit.
			var edit []string
			for _, f := range Fixes(tt.code, existingContext(true)) {
				for _, line := range strings.Split(f.Snippet, "\n") {
					if strings.HasPrefix(line, "F=") {
						edit = []string{line}
					} else if len(edit) == 1 && strings.Contains(line, "sed -i") {
						edit = append(edit, line)
					}
				}
			}
			if len(edit) != 2 || edit[0] != "F="+tt.path {
				t.Fatalf("no F=%s line and edit in the fix: %q", tt.path, edit)
			}
			dir, home := t.TempDir(), t.TempDir()
			file := filepath.Join(dir, "site.conf")
			if err := os.WriteFile(file, []byte(tt.conf), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := "F='" + file + "'\n" + edit[1]
			var once string
			for run := 1; run <= 2; run++ {
				sh := exec.Command("bash", "-c", cmd)
				sh.Env = append(os.Environ(), "HOME="+home)
				if out, err := sh.CombinedOutput(); err != nil {
					t.Fatalf("run %d: %v\n%s", run, err, out)
				}
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if run == 1 {
					once = string(b)
				} else if string(b) != once {
					t.Fatalf("a second run changed the file:\n%s", b)
				}
			}
			if !strings.Contains(once, tt.want) {
				t.Fatalf("edited:\n%s\nwant it to hold:\n%s", once, tt.want)
			}
			// Nothing is added beside the file (include sites-enabled/*
			// would read it as configuration), and every run keeps the
			// file as it was before that run: the first, the original.
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("the edit left %d files in the configuration's directory, want the file alone", len(entries))
			}
			copies, _ := filepath.Glob(filepath.Join(home, "*-before-cors-fix.*", "site.conf"))
			if len(copies) != 2 {
				t.Fatalf("copies in the home directory: %q, want one per run", copies)
			}
			var original bool
			for _, c := range copies {
				if b, _ := os.ReadFile(c); string(b) == tt.conf {
					original = true
				}
			}
			if !original {
				t.Errorf("no copy holds the file as it was")
			}
			if tt.nginx {
				nginx := nginxtest.Binary(t, "the edited configuration is not checked with nginx -t")
				out, err := exec.Command(nginx, "-t", "-q", "-c", file, "-p", dir, "-e", "stderr").CombinedOutput()
				if err != nil {
					t.Fatalf("nginx -t on the edited file: %v\n%s", err, out)
				}
			}
		})
	}
}

// TestLearnedOriginsReachTheFix: an origin seen allowed in an answer (a
// cached copy made for production) is kept in the cause's one-line fix
// and its snippets, beside the page's.
func TestLearnedOriginsReachTheFix(t *testing.T) {
	cached := func(extra ...string) http.Header {
		h := http.Header{"Access-Control-Allow-Origin": {prodOrigin}, "Age": {"120"}}
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	tests := []struct {
		name string
		resp http.Header
		code cors.Code
	}{
		{"CloudFront hit", cached("X-Cache", "Hit from cloudfront", "Via", "1.1 abc.cloudfront.net (CloudFront)", "X-Amz-Cf-Id", "x=="), CodeCloudFrontCache},
		{"Cloudflare hit", cached("Server", "cloudflare", "CF-RAY", "8a1b2c3d4e5f6789-FRA", "cf-cache-status", "HIT"), CodeCDNCacheNoVary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := &cors.Exchange{
				Request: cors.Request{Method: "GET", URL: "https://cdn.example.com/config.json", Origin: stagingOrigin},
				Actual: []cors.Hop{{Request: cors.Message{Method: "GET", URL: "https://cdn.example.com/config.json", Header: http.Header{"Origin": {stagingOrigin}}},
					Response: &cors.Message{Status: 200, Header: tt.resp}}},
			}
			d := cors.Evaluate(ex)
			Analyze(Input{Exchange: ex, Diagnosis: d, FixFormat: "all"}).Apply(d)
			c := d.Cause()
			if c == nil || c.Code != tt.code {
				t.Fatalf("cause %v, want %s", c, tt.code)
			}
			if strings.Contains(c.Fix, stagingOrigin) && !strings.Contains(c.Fix, prodOrigin) {
				t.Errorf("the fix names %s without %s, which the cached answer shows allowed:\n%s", stagingOrigin, prodOrigin, c.Fix)
			}
			if !strings.Contains(c.Fix, prodOrigin) {
				t.Errorf("the fix does not keep %s:\n%s", prodOrigin, c.Fix)
			}
			if tt.code == CodeCloudFrontCache && !strings.Contains(c.Message, "served the request and") {
				t.Errorf("the message names the step by its code name, not in words: %s", c.Message)
			}
		})
	}
}

// TestStepWords: a step named in a sentence reads as prose ("the redirect
// 1 answer" read as a typo).
func TestStepWords(t *testing.T) {
	for step, want := range map[string]string{
		"preflight":  "preflight",
		"actual":     "request",
		"redirect 1": "request after redirect 1",
	} {
		if got := stepWords(step); got != want {
			t.Errorf("stepWords(%q) = %q, want %q", step, got, want)
		}
	}
}

// wholeDocuments are the forms whose snippet reads as a whole file or
// policy document: pasted in place of the user's, it would delete every
// other statement, route, filter or key there.
var wholeDocuments = map[Format]bool{FormatAzurePolicy: true, FormatKong: true, FormatEnvoy: true, FormatIstio: true,
	FormatFirebase: true, FormatVercel: true, FormatNetlify: true, FormatCloudflare: true}

// TestWholeDocumentSnippetsSayMerge: such a snippet says, in its title or
// its first line, that it is merged into what exists.
func TestWholeDocumentSnippetsSayMerge(t *testing.T) {
	says := regexp.MustCompile(`(?i)\bmerge|\bbeside\b`)
	checked := map[Format]int{}
	for _, ctx := range []FixContext{ExampleContext(), existingContext(true)} {
		for code := range fixBuilders {
			for _, f := range Fixes(code, ctx) {
				if !wholeDocuments[f.Format] {
					continue
				}
				checked[f.Format]++
				first, _, _ := strings.Cut(f.Snippet, "\n")
				if !says.MatchString(f.Title) && !says.MatchString(first) {
					t.Errorf("%s/%s %q: pasted as shown it replaces the user's whole document; say to merge it (title or first line):\n%s", code, f.Format, f.Title, f.Snippet)
				}
			}
		}
	}
	for f := range wholeDocuments {
		if checked[f] == 0 {
			t.Errorf("no %s snippet checked", f)
		}
	}
}

// TestNginxSnippetsKeepInheritedHeaders: nginx inherits the server
// block's add_header lines into a location "if and only if there are no
// add_header directives defined on the current level", so a snippet that
// gives a location add_header lines (the audit's allow-list included)
// says to repeat them there: else HSTS or CSP set for the server vanish.
func TestNginxSnippetsKeepInheritedHeaders(t *testing.T) {
	locationAdd := regexp.MustCompile(`(?s)location [^{]*\{.*add_header`)
	checked := 0
	check := func(name string, f Fix) {
		if f.Format != FormatNginx || editsInPlace(f.Snippet) || !locationAdd.MatchString(nginxDirectives(f.Snippet)) {
			return
		}
		checked++
		if !strings.Contains(f.Snippet, "server block's add_header") {
			t.Errorf("%s %q: gives a location add_header lines without saying the server block's stop reaching it:\n%s", name, f.Title, f.Snippet)
		}
	}
	ctx := existingContext(true)
	for code := range fixBuilders {
		for _, f := range Fixes(code, ctx) {
			check(string(code), f)
		}
	}
	for _, f := range AllowListFixes(ctx) {
		check("allow-list", f)
	}
	if checked < 3 {
		t.Fatalf("only %d nginx snippets checked", checked)
	}
}

// TestAPIGatewayTemplatesKeepWhatExists: where the finding shows a piece
// of the REST API exists (an OPTIONS method behind the authorizer, SAM's
// Cors answering OPTIONS, a gateway response that may be customised), a
// template snippet that defines it again would replace it: each says the
// one there stays and takes the change.
func TestAPIGatewayTemplatesKeepWhatExists(t *testing.T) {
	templates := map[Format]bool{FormatCloudFormation: true, FormatSAM: true, FormatCDK: true, FormatTerraform: true, FormatServerless: true, FormatOpenAPI: true}
	keeps := regexp.MustCompile(`(?i)already|you have|existing|\bstays?\b|as it is`)
	for _, tt := range []struct {
		code   cors.Code
		exists string
	}{
		{CodeAPIGWAuthOnOptions, "the OPTIONS method the authorizer guards"},
		{CodeAPIGWCorsOnlyOnOptions, "the Cors that answers OPTIONS"},
		{CodeAPIGWGatewayResponses, "a customised DEFAULT_4XX or DEFAULT_5XX"},
		{CodeAPIGWMockWildcardCreds, "the OPTIONS mock that answers '*'"},
	} {
		n := 0
		for _, f := range Fixes(tt.code, existingContext(true)) {
			if !templates[f.Format] {
				continue
			}
			n++
			if !keeps.MatchString(f.Snippet) {
				t.Errorf("%s/%s %q: defines again %s without saying the one there stays:\n%s", tt.code, f.Format, f.Title, tt.exists, f.Snippet)
			}
		}
		if n == 0 {
			t.Errorf("%s: no template snippet", tt.code)
		}
	}
}

// TestPrivateDNSFixesWarnOfPublicAPIs: turning on the execute-api
// endpoint's private DNS makes public APIs' default URLs fail from the VPC
// (AWS: "you can't access the default endpoint for public APIs"): every
// fix that does it says so and names the way that leaves them working.
func TestPrivateDNSFixesWarnOfPublicAPIs(t *testing.T) {
	for _, code := range []cors.Code{CodeAPIGWPrivateHeader, CodeAPIGWPrivateWrongEndpoint} {
		n := 0
		for _, f := range Fixes(code, existingContext(true)) {
			if !regexp.MustCompile(`(?i)private.?dns`).MatchString(f.Snippet) {
				continue
			}
			n++
			if !strings.Contains(f.Snippet, "public APIs") || !strings.Contains(f.Snippet, "VpcEndpointIds") {
				t.Errorf("%s/%s: turns on private DNS without saying public APIs then fail from the VPC:\n%s", code, f.Format, f.Snippet)
			}
		}
		if n < 4 {
			t.Errorf("%s: %d fixes turn on private DNS, want the console, aws-cli and template forms", code, n)
		}
	}
}

// TestRemovalsSayWhatStays: a snippet that removes a CORS configuration
// (the API's, or the backend's middleware) says what must move first or
// who still needs it.
func TestRemovalsSayWhatStays(t *testing.T) {
	removes := regexp.MustCompile(`delete-cors-configuration|<- remove|take it out`)
	says := regexp.MustCompile(`\bfirst\b|\bkeep it\b|\bstays\b`)
	n := 0
	for code := range fixBuilders {
		for _, f := range Fixes(code, existingContext(true)) {
			if !removes.MatchString(f.Snippet) {
				continue
			}
			n++
			if !says.MatchString(joinComments(f.Snippet)) {
				t.Errorf("%s/%s: removes a CORS configuration without saying what moves first or who still needs it:\n%s", code, f.Format, f.Snippet)
			}
		}
	}
	if n < 1 {
		t.Fatalf("%d removing snippets found", n)
	}
}

// TestCredentialsNeverSwitchedOff: a page without credentials gets
// snippets writing Access-Control-Allow-Credentials false; where a
// configuration exists, it may say true today for pages that send
// cookies, so each such snippet says to keep true.
func TestCredentialsNeverSwitchedOff(t *testing.T) {
	// Go's middleware writes the header under `if false {`.
	off := regexp.MustCompile(`(?i)credentials["']?\s*[:=(]\s*["']?false|allow-credentials="false"|if false \{[^\n]*\n\s*h\.Set\("Access-Control-Allow-Credentials"`)
	// A method response declares a header with whether it is required:
	// false there is no value of the header.
	declared := regexp.MustCompile(`(?m)^\s*method\.response\.header\.Access-Control-Allow-Credentials: false$`)
	n := 0
	for code := range fixBuilders {
		for _, f := range Fixes(code, existingContext(true)) {
			if !off.MatchString(declared.ReplaceAllString(f.Snippet, "")) || mergesFirst(f) { // the merges only ever switch credentials on
				continue
			}
			n++
			if !strings.Contains(f.Snippet, "keep true if it is today") {
				t.Errorf("%s/%s: writes credentials false over a configuration that may allow them:\n%s", code, f.Format, f.Snippet)
			}
		}
	}
	// The audit's exact allow-list, for pages declared without credentials:
	// the configuration it rewrites may allow them for pages that send them.
	audit := existingContext(true)
	audit.Origins = []string{prodOrigin, stagingOrigin}
	for _, f := range AllowListFixes(audit) {
		if !off.MatchString(f.Snippet) {
			continue
		}
		n++
		if !strings.Contains(f.Snippet, "keep true if it is today") {
			t.Errorf("allow-list/%s: writes credentials false over a configuration that may allow them:\n%s", f.Format, f.Snippet)
		}
	}
	if n < 10 {
		t.Fatalf("only %d snippets write credentials false", n)
	}
}

// TestAllowListKeepsTheRulesSettings: the audit's exact allow-list changes
// which origins a configuration lets in, nothing else. A bucket's CORS
// rules each hold methods, headers, ExposeHeaders (ETag for multipart
// uploads) and a max age: a form that printed one whole rule list to
// paste would replace them all with one rule's.
func TestAllowListKeepsTheRulesSettings(t *testing.T) {
	c := existingContext(true)
	c.Origins = []string{prodOrigin, stagingOrigin}
	// The code forms replace the origin check of a configuration that also
	// allows methods and headers (Spring allows none without its lists, so
	// a bean pasted without them refuses every preflight with a header).
	others := regexp.MustCompile(`(?i)(methods|headers)[^\n]*\bstay`)
	for _, f := range AllowListFixes(c) {
		if f.Format != FormatConsole {
			if f.Format != FormatAWSCLI && !others.MatchString(joinComments(f.Snippet)) {
				t.Errorf("allow-list/%s: does not say the configuration's other methods and headers stay:\n%s", f.Format, f.Snippet)
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(f.Snippet), "[") {
			t.Errorf("allow-list/%s: a whole rule list to paste replaces every rule the bucket has:\n%s", f.Format, f.Snippet)
		}
		for _, keep := range []string{"AllowedMethods", "AllowedHeaders", "ExposeHeaders", "MaxAgeSeconds"} {
			if !regexp.MustCompile(`(?s)` + keep + `.*\bstay`).MatchString(f.Snippet) {
				t.Errorf("allow-list/%s: does not say each rule's %s stays:\n%s", f.Format, keep, f.Snippet)
			}
		}
		for _, o := range c.Origins {
			if !strings.Contains(f.Snippet, `"`+o+`"`) {
				t.Errorf("allow-list/%s: lacks the declared origin %s:\n%s", f.Format, o, f.Snippet)
			}
		}
	}
}

// TestListsOfMethodsAndHeadersStay: where a configuration exists, a
// snippet that writes the page's methods or request headers into a list
// that may hold others today says they stay (the origins have their own
// test above).
func TestListsOfMethodsAndHeadersStay(t *testing.T) {
	says := regexp.MustCompile(`(?i)(methods|headers)[^\n]*(stay|keep|add)|extend[^\n]*lists?`)
	for _, tt := range []struct {
		code   cors.Code
		format Format
	}{
		{CodeEnvoyCORSPolicyMissing, FormatIstio},
		{CodeEnvoyCORSPolicyMissing, FormatEnvoy},
		{CodeKongCORSPluginMissing, FormatKong},
		{CodeCDNCacheNoVary, FormatCloudflare},
		{CodeAPIGWProxyNoCORS, FormatASPNet},
		{CodeAPIGWProxyNoCORS, FormatServerless},
		{CodeAPIGWNoOptionsMethod, FormatServerless},
	} {
		found := false
		for _, f := range Fixes(tt.code, existingContext(true)) {
			if f.Format != tt.format {
				continue
			}
			found = true
			if !says.MatchString(joinComments(f.Snippet)) {
				t.Errorf("%s/%s: writes the page's methods or headers without saying the ones there stay:\n%s", tt.code, tt.format, f.Snippet)
			}
		}
		if !found {
			t.Errorf("%s has no %s snippet", tt.code, tt.format)
		}
	}
}

// TestHostingHeaderRulesSayValuesMerge: Netlify and Firebase Hosting apply
// the later of two matching rules' values for one header (Netlify's
// headers parser; firebase-tools#9467), so a rule added for the page's
// headers replaces the values set today unless it says to put them into
// the header there.
func TestHostingHeaderRulesSayValuesMerge(t *testing.T) {
	says := regexp.MustCompile(`(?i)(sets?|set there) already|already set|\ba Vary (you set|your rules set|there)`)
	n := 0
	for code := range fixBuilders {
		for _, f := range Fixes(code, existingContext(true)) {
			if f.Format != FormatNetlify && f.Format != FormatFirebase {
				continue
			}
			n++
			if !says.MatchString(f.Title) && !says.MatchString(f.Snippet) {
				t.Errorf("%s/%s %q: a later rule's header replaces the one set today; say to put the values into it:\n%s", code, f.Format, f.Title, f.Snippet)
			}
		}
	}
	if n < 4 {
		t.Fatalf("%d Netlify and Firebase snippets", n)
	}
}

// TestCredentialedPreflightAnswers: a snippet that writes a preflight
// answer (its Access-Control-Allow-Methods) for a page that sends
// credentials also allows them; without Access-Control-Allow-Credentials:
// true the browser refuses the credentialed preflight the page sends today.
func TestCredentialedPreflightAnswers(t *testing.T) {
	c := existingContext(true)
	c.Credentials = true
	writes := regexp.MustCompile(`(?i)access-control-allow-methods|allowmethods|allow_methods`)
	allows := regexp.MustCompile(`(?i)credentials`)
	// Forms that write no preflight answer of their own, or merge into
	// header lines that stay (Access-Control-Allow-Credentials with them).
	exempt := map[cors.Code]string{
		CodeS3CORSNotEnabled:       "an S3 CORS rule has no credentials setting",
		CodeS3CORSRuleMismatch:     "an S3 CORS rule has no credentials setting",
		CodeCloudFrontNoOptions:    "AllowedMethods of a cache behavior, not a CORS answer",
		CodeCloudFrontCache:        "the cache policy's key, not a CORS answer",
		CodeStaticOptions405:       "merged into the CORS header lines set today, which stay",
		CodeAPIGWCorsOnlyOnOptions: "the preflight passes today; its Cors stays",
		CodeAllowOriginDefaultPort: "changes the origin's value only; the other CORS settings stay",
	}
	n := 0
	for code := range fixBuilders {
		if exempt[code] != "" {
			continue
		}
		for _, f := range Fixes(code, c) {
			if !writes.MatchString(f.Snippet) {
				continue
			}
			n++
			if !allows.MatchString(f.Snippet) {
				t.Errorf("%s/%s %q: answers the preflight of a credentialed page without allowing credentials:\n%s", code, f.Format, f.Title, f.Snippet)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d snippets write a preflight answer", n)
	}
}

// TestCloudFrontBehaviorsKeepTheirMethodsAndPolicies: CloudFront takes
// three sets of allowed methods (GET, HEAD; GET, HEAD, OPTIONS; all seven),
// so a hand-merged behavior that writes GET, HEAD, OPTIONS over one
// allowing PUT or POST today refuses them: for a page sending PUT every
// form writes all seven, and for a GET page the three-method list says
// "all seven" where the behavior has them. A behavior also takes one
// response headers policy: a form attaching a CORS one says what becomes
// of the one there today (its security and custom headers).
func TestCloudFrontBehaviorsKeepTheirMethodsAndPolicies(t *testing.T) {
	methodsLine := regexp.MustCompile(`(?im)^.*(allowed_?methods\s*[:=]|Allowed HTTP methods:).*$`)
	comment := regexp.MustCompile(`\s(#|//)\s.*$`)
	attaches := regexp.MustCompile(`(?i)ResponseHeadersPolicyId:|responseHeadersPolicy:|Response headers policy =`)
	saysPolicy := regexp.MustCompile(`(?i)response headers policy (it has|there today|in place)`)
	for _, method := range []string{"PUT", "GET"} {
		ctx := existingContext(true)
		ctx.Method, ctx.Methods = method, methodsToAllow(method)
		n := 0
		for _, code := range []cors.Code{CodeCloudFrontCache, CodeCloudFrontNoOptions} {
			for _, f := range Fixes(code, ctx) {
				if f.Format == FormatAWSCLI {
					continue // the jq programs, run by TestWriteSnippetsKeepWhatWorks
				}
				for _, line := range methodsLine.FindAllString(f.Snippet, -1) {
					n++
					src := comment.ReplaceAllString(line, "")
					all := strings.Contains(src, "PUT") || strings.Contains(src, "ALLOW_ALL")
					switch {
					case method == "PUT" && !all:
						t.Errorf("%s/%s: the page sends PUT, and this line allows no PUT:\n%s", code, f.Format, line)
					case !all && !strings.Contains(line, "all seven"):
						t.Errorf("%s/%s: writes three methods over a behavior that may allow all seven today, without saying to keep them:\n%s", code, f.Format, line)
					}
				}
				if attaches.MatchString(f.Snippet) && !saysPolicy.MatchString(f.Snippet) {
					t.Errorf("%s/%s: attaches a response headers policy without saying what becomes of the one the behavior has today:\n%s", code, f.Format, f.Snippet)
				}
			}
		}
		if n < 6 {
			t.Fatalf("%s: only %d allowed-methods lines checked", method, n)
		}
	}
}

// TestBucketTemplatesKeepRulesSetElsewhere: a template's bucket CORS
// configuration (CloudFormation CorsConfiguration, CDK cors, Terraform's
// aws_s3_bucket_cors_configuration or google_storage_bucket cors blocks)
// is the bucket's whole one: S3's PutBucketCors and Cloud Storage's bucket
// update replace it, so rules set in the console or with the CLI vanish
// on deploy. Where rules exist (a rule refused the request, or an answer
// showed CORS), each such form says so and names the command that lists
// them.
func TestBucketTemplatesKeepRulesSetElsewhere(t *testing.T) {
	lists := regexp.MustCompile(`get-bucket-cors|buckets describe`)
	bucketForms := map[Format]bool{FormatCloudFormation: true, FormatSAM: true, FormatServerless: true, FormatCDK: true, FormatTerraform: true}
	for _, tt := range []struct {
		code cors.Code
		ctx  FixContext
	}{
		{CodeS3CORSRuleMismatch, ExampleContext()}, // S3 refused with rules in place
		{CodeS3CORSRuleMismatch, existingContext(true)},
		{CodeS3CORSNotEnabled, existingContext(false)},
		{CodeGCSCORS, existingContext(true)},
	} {
		n := 0
		for _, f := range Fixes(tt.code, tt.ctx) {
			if !bucketForms[f.Format] {
				continue
			}
			n++
			if !lists.MatchString(f.Snippet) || !strings.Contains(joinComments(f.Snippet), "whole CORS configuration") {
				t.Errorf("%s/%s: the bucket's rules set outside the template are replaced on deploy; say so and how to list them:\n%s", tt.code, f.Format, f.Snippet)
			}
		}
		if n == 0 {
			t.Errorf("%s: no template form", tt.code)
		}
	}
}

// TestBucketLocationIsNotGuessed: a Cloud Storage bucket's location
// cannot change ("Once a bucket has been created, its location can't be
// changed", google_storage_bucket), so a guessed location merged into the
// user's resource makes Terraform plan to destroy and recreate the bucket.
func TestBucketLocationIsNotGuessed(t *testing.T) {
	location := regexp.MustCompile(`(?m)^\s*location\s*=\s*"([^"]*)"`)
	n := 0
	for _, ctx := range []FixContext{ExampleContext(), existingContext(true)} {
		for _, f := range Fixes(CodeGCSCORS, ctx) {
			for _, m := range location.FindAllStringSubmatch(f.Snippet, -1) {
				n++
				if !strings.HasPrefix(m[1], "YOUR_") {
					t.Errorf("%s: location %q is a guess; a different one replaces the bucket:\n%s", f.Format, m[1], f.Snippet)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no location checked")
	}
}

// TestNginxLocationsSendOneAllowOrigin: nginx's add_header appends, so a
// location that answers CORS today (its own add_header
// Access-Control-Allow-Origin) and takes a snippet's line beside it sends
// the header twice, and the browser refuses every answer that worked.
// Where a configuration exists, each nginx form that writes the header
// says it replaces the one there.
func TestNginxLocationsSendOneAllowOrigin(t *testing.T) {
	writes := regexp.MustCompile(`add_header Access-Control-Allow-Origin`)
	says := regexp.MustCompile(`(?i)in place of your[^\n]*Access-Control-Allow-Origin|Access-Control-Allow-Origin lines?[^\n]*(go|replace)`)
	ctx := existingContext(true)
	ctx.Origins = []string{prodOrigin, stagingOrigin}
	fixes := AllowListFixes(ctx)
	for code := range fixBuilders {
		fixes = append(fixes, Fixes(code, ctx)...)
	}
	n := 0
	for _, f := range fixes {
		if f.Format != FormatNginx || editsInPlace(f.Snippet) || !writes.MatchString(nginxDirectives(f.Snippet)) {
			continue
		}
		n++
		if !says.MatchString(f.Snippet) {
			t.Errorf("%q: adds Access-Control-Allow-Origin to a location that may send one today, without saying it replaces that line:\n%s", f.Title, f.Snippet)
		}
	}
	if n < 2 {
		t.Fatalf("only %d nginx snippets checked", n)
	}
}

// TestOpenAPIPathsSayMerge: an OpenAPI fragment under paths: pasted as a
// second paths: key replaces the first (YAML keeps the last of two equal
// keys; the JSON of a Terraform body likewise), and an import in overwrite
// mode then deletes every other route. Each such fragment says, in its
// leading comment, that it goes beside what the path has.
func TestOpenAPIPathsSayMerge(t *testing.T) {
	says := regexp.MustCompile(`(?i)\bmerge|\bbeside\b|\badd\b`)
	n := 0
	for _, ctx := range []FixContext{ExampleContext(), existingContext(true)} {
		for code := range fixBuilders {
			for _, f := range Fixes(code, ctx) {
				if f.Format != FormatOpenAPI {
					continue
				}
				var lead []string
				for _, l := range strings.Split(f.Snippet, "\n") {
					if !strings.HasPrefix(l, "#") {
						if !strings.HasPrefix(l, "paths:") {
							lead = nil // not a paths fragment
						}
						break
					}
					lead = append(lead, l)
				}
				if !strings.HasPrefix(f.Snippet, "paths:") && lead == nil {
					continue
				}
				n++
				if !says.MatchString(strings.Join(lead, "\n")) {
					t.Errorf("%s %q: a paths: fragment without a leading comment saying to merge it beside the path's operations:\n%s", code, f.Title, f.Snippet)
				}
			}
		}
	}
	if n < 4 {
		t.Fatalf("only %d paths fragments checked", n)
	}
}

// TestCloudFrontLegacyBehaviorsKeepWhatTheyForward: a behavior without a
// cache policy uses legacy settings (ForwardedValues: the query strings,
// cookies and headers it forwards, its TTLs). A template form that gave it
// CachingOptimized dropped them all: an API behind it lost its query
// strings and cookies. Each template form of the cache-key fix says what a
// legacy behavior keeps and where Origin goes in it.
func TestCloudFrontLegacyBehaviorsKeepWhatTheyForward(t *testing.T) {
	legacy := map[Format]*regexp.Regexp{
		FormatCloudFormation: regexp.MustCompile(`ForwardedValues[^\n]*\n?[^\n]*(stay|keep)`),
		FormatTerraform:      regexp.MustCompile(`forwarded_values`),
		FormatConsole:        regexp.MustCompile(`Legacy cache settings[^\n]*keep`),
	}
	n := 0
	for _, f := range Fixes(CodeCloudFrontCache, existingContext(true)) {
		re, ok := legacy[f.Format]
		if !ok {
			continue
		}
		n++
		if !re.MatchString(f.Snippet) {
			t.Errorf("%s: says nothing of a legacy behavior's ForwardedValues, which a cache policy would replace:\n%s", f.Format, f.Snippet)
		}
		if strings.Contains(f.Snippet, "if it has no cache policy") {
			t.Errorf("%s: gives a behavior without a cache policy (a legacy one) CachingOptimized:\n%s", f.Format, f.Snippet)
		}
	}
	if n != len(legacy) {
		t.Fatalf("%d template forms checked, want %d", n, len(legacy))
	}
}

// TestCloudFrontCORSPolicyKeepsWhatTheOriginAllows: a response headers
// policy with OriginOverride replaces every CORS header the origin server
// sends, so its lists and credentials must carry what the origin server
// allows today, not only the page's method and headers: pasted as
// printed, a PUT with Authorization or a call with cookies that works
// today breaks. That holds even when corsdiag saw no CORS header (a copy
// cached for a request without Origin shows none).
func TestCloudFrontCORSPolicyKeepsWhatTheOriginAllows(t *testing.T) {
	off := regexp.MustCompile(`(?i)credentials:\s*false`)
	for name, ctx := range map[string]FixContext{"nothing seen": ExampleContext(), "a configuration seen": existingContext(true)} {
		n := 0
		for _, f := range Fixes(CodeCloudFrontCache, ctx) {
			if f.Format == FormatConsole {
				n++
				if !strings.Contains(f.Snippet, "every origin, method and header the origin server allows today, credentials too") {
					t.Errorf("%s/console: the custom CORS policy replaces the origin's headers, and it does not say to keep them:\n%s", name, f.Snippet)
				}
				continue
			}
			if !strings.Contains(strings.ToLower(f.Snippet), "originoverride: true") {
				continue
			}
			n++
			for _, what := range []string{"methods", "headers"} {
				if !regexp.MustCompile(`(?i)` + what + `[^\n]*(allows today|already there stay)`).MatchString(joinComments(f.Snippet)) {
					t.Errorf("%s/%s: OriginOverride replaces the origin's %s, and the list does not say the ones allowed today stay:\n%s", name, f.Format, what, f.Snippet)
				}
			}
			if off.MatchString(f.Snippet) && !strings.Contains(f.Snippet, "keep true if it is today") {
				t.Errorf("%s/%s: OriginOverride with credentials false switches off what the origin allows today:\n%s", name, f.Format, f.Snippet)
			}
		}
		if n < 3 {
			t.Fatalf("%s: only %d CloudFront CORS policies checked", name, n)
		}
	}
}

// TestAllowListSaysOtherPagesStay: the audit's exact allow-list holds the
// declared origins only (--origin, a check's expect: allow). A page of
// the user's own served from an origin not declared works today and would
// be refused once the list is pasted: every form says to add those.
func TestAllowListSaysOtherPagesStay(t *testing.T) {
	c := ExampleContext()
	c.Origins = []string{prodOrigin}
	for _, f := range AllowListFixes(c) {
		if !strings.Contains(strings.Join(strings.Fields(joinComments(f.Snippet)), " "), allowListOthers) {
			t.Errorf("allow-list/%s: does not say to add the other origins the pages use:\n%s", f.Format, f.Snippet)
		}
	}
}

// TestSpringFixesKeepTheSecurityChain: a Spring app has one
// SecurityFilterChain, holding its authorization rules, login and CSRF
// settings. A fix that declared a chain of its own would replace those
// rules (or clash with the user's bean), so every Spring fix adds
// http.cors(...) to the chain there and writes no rule of its own: Spring
// Security's CorsFilter answers a preflight before authorization runs.
func TestSpringFixesKeepTheSecurityChain(t *testing.T) {
	rule := regexp.MustCompile(`anyRequest\(|permitAll\(|authenticated\(|authorizeHttpRequests\(|SecurityFilterChain \w+\(`)
	n := 0
	everyFixOf(t, []Format{FormatSpring}, func(t *testing.T, code cors.Code, f Fix, ctx FixContext) {
		if m := rule.FindString(f.Snippet); m != "" {
			t.Errorf("%s writes a security rule of its own (%s), which would replace the chain's:\n%s", code, m, f.Snippet)
		}
		if strings.Contains(f.Snippet, "Security") && !strings.Contains(f.Snippet, "http.cors(Customizer.withDefaults())") {
			t.Errorf("%s: the chain there does not get http.cors(...):\n%s", code, f.Snippet)
		}
		n++
	})
	if n == 0 {
		t.Fatal("no Spring fix checked")
	}
}

// TestTemplatesKeepWhatTheResourceIs: a template snippet stands for the
// user's resource, and must write a value only to what the fix changes. A
// required property that names or secures the resource (a function URL's
// AuthType, an API's name) carries the value the user has: written as
// shown it would switch IAM auth off or rename the API, so its line says
// the user's value stays.
func TestTemplatesKeepWhatTheResourceIs(t *testing.T) {
	tests := []struct {
		code   cors.Code
		format Format
		prop   string // the line's start, after indentation
	}{
		{CodeLambdaURLNotConfigured, FormatCloudFormation, "AuthType:"},
		{CodeLambdaURLNotConfigured, FormatTerraform, "authorization_type"},
		{CodeLambdaURLNotConfigured, FormatTerraform, "function_name"},
		{CodeHTTPAPINotConfigured, FormatCloudFormation, "Name:"},
		{CodeHTTPAPINotConfigured, FormatTerraform, "name "},
	}
	for _, tt := range tests {
		for name, ctx := range fixContexts() {
			t.Run(string(tt.code)+"/"+string(tt.format)+"/"+tt.prop+"/"+name, func(t *testing.T) {
				var snippet string
				for _, f := range Fixes(tt.code, ctx) {
					if f.Format == tt.format {
						snippet = f.Snippet
					}
				}
				found := false
				for _, line := range strings.Split(snippet, "\n") {
					if !strings.HasPrefix(strings.TrimSpace(line), tt.prop) {
						continue
					}
					found = true
					if !strings.Contains(line, "#") || !strings.Contains(line, "yours") {
						t.Errorf("%q writes a value over the user's without saying theirs stays:\n%s", line, snippet)
					}
				}
				if !found {
					t.Fatalf("no %s line:\n%s", tt.prop, snippet)
				}
			})
		}
	}
}

// TestHTTPAPICredentialsNotBesideWildcard: API Gateway refuses an HTTP
// API's AllowCredentials true beside AllowOrigins '*'; a template form
// that switches credentials on over the user's lists says so at that line.
func TestHTTPAPICredentialsNotBesideWildcard(t *testing.T) {
	ctx := fixContexts()["credentials+headers"]
	for _, f := range Fixes(CodeHTTPAPINotConfigured, ctx) {
		if shellForm(f.Format) || f.Format == FormatConsole {
			continue // the merge stops by itself; the console refuses the pair as it is saved
		}
		t.Run(string(f.Format), func(t *testing.T) {
			for _, line := range strings.Split(f.Snippet, "\n") {
				l := strings.ToLower(strings.ReplaceAll(line, "_", ""))
				if strings.Contains(l, "allowcredentials") && strings.Contains(l, "true") && !strings.Contains(line, "'*'") {
					t.Errorf("%q switches credentials on without saying '*' cannot stay beside it:\n%s", line, f.Snippet)
				}
			}
		})
	}
}

// TestJSSnippetsRunPastedAsIs: the JavaScript snippets that keep the
// origins allowed today name the user's list (allowedOrigins) only behind
// a typeof guard. Pasted unedited into code that has no such variable, a
// bare reference throws a ReferenceError: a Lambda handler would fail
// every invocation, a server would not start.
func TestJSSnippetsRunPastedAsIs(t *testing.T) {
	comments := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	js := map[Format]bool{FormatLambda: true, FormatExpress: true, FormatCloudflare: true}
	checked := 0
	for _, known := range []bool{true, false} {
		ctx := existingContext(known)
		for code := range fixBuilders {
			for _, f := range Fixes(code, ctx) {
				if !js[f.Format] {
					continue
				}
				checked++
				body := comments.ReplaceAllString(f.Snippet, "")
				body = strings.ReplaceAll(body, jsExistingOrigins, "")
				if strings.Contains(body, "allowedOrigins") {
					t.Errorf("%s/%s (known %v): allowedOrigins without its guard:\n%s", code, f.Format, known, f.Snippet)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d snippets checked", checked)
	}
}

// TestSedScripts: the sed scripts can be pasted inside single quotes.
func TestSedScripts(t *testing.T) {
	for name, s := range map[string]string{"nginx-add-always": nginxAlwaysScript, "apache-add-always": apacheAlwaysScript} {
		script := strings.TrimSuffix(strings.TrimPrefix(sedInPlace(s), "sed -i --follow-symlinks -E '"), "'")
		if strings.Contains(script, "'") || !strings.HasPrefix(script, "/") {
			t.Errorf("%s: empty, or holds a single quote: %s", name, sedInPlace(s))
		}
	}
}
