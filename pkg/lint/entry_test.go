package lint

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/platform"
)

// functionURLEntry is a function URL whose AllowOrigins is one entry, %q.
const functionURLEntry = `Resources:
  FunctionUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:fn
      AuthType: NONE
      Cors:
        AllowOrigins: [%q]
        AllowMethods: [GET, PUT]
        AllowHeaders: [content-type]
`

// Allow-list entries that can never match the Origin a browser sends (it
// is serialized: no default port, no slash, no path, lower case): lint
// names the entry with the code the live and HAR doors give the same
// mistake, from the same rule (cors.EntrySlips, platform.DefaultPortValue),
// and the fix writes the origin as the browser sends it.
func TestAllowListEntryNeverMatches(t *testing.T) {
	httpAPI := `Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [%q, "https://other.example.com"]
        AllowMethods: [GET, PUT]
        AllowHeaders: [content-type]
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Put:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /items
            Method: put
`
	bucket := `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [%q]
            AllowedMethods: [GET, PUT]
            AllowedHeaders: ["*"]
`
	restAPI := `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'%s'"
        AllowMethods: "'GET,PUT,OPTIONS'"
        AllowHeaders: "'Content-Type'"
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Put:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: put
`
	const page = "https://app.example.com"
	for _, tc := range []struct {
		name, tmpl, entry, page string
		code                    cors.Code
		// absent: a code the precise one replaces (its fix is the same).
		absent cors.Code
		says   string
	}{
		{"http api, :443", httpAPI, "https://app.example.com:443", page, platform.CodeAllowOriginDefaultPort, platform.CodeHTTPAPINotConfigured, "default port :443"},
		{"http api, http :80", httpAPI, "http://x.com:80", "http://x.com", platform.CodeAllowOriginDefaultPort, platform.CodeHTTPAPINotConfigured, "default port :80"},
		{"http api, a path", httpAPI, "https://app.example.com/app", page, platform.CodeHTTPAPINotConfigured, "", "carries a path (/app)"},
		// Quoted as written: the white space it names is in the quotes.
		{"http api, white space", httpAPI, " https://app.example.com", page, platform.CodeHTTPAPINotConfigured, "",
			"lists ' https://app.example.com', which has white space around it"},
		{"function url, :443", functionURLEntry, "https://app.example.com:443", page, platform.CodeAllowOriginDefaultPort, platform.CodeLambdaURLNotConfigured, "default port :443"},
		// White space too: still the port's code, whose fix writes it.
		{"function url, :443 and white space", functionURLEntry, "https://app.example.com:443 ", page, platform.CodeAllowOriginDefaultPort, platform.CodeLambdaURLNotConfigured,
			"'https://app.example.com:443 ', which has white space around it and carries the default port :443"},
		// A trailing slash or upper case too: the port the message names
		// decides the code.
		{"function url, :443 and a slash", functionURLEntry, "https://app.example.com:443/", page, platform.CodeAllowOriginDefaultPort, platform.CodeLambdaURLNotConfigured, "carries the default port :443 and has a trailing slash"},
		{"bucket, :443 and upper case", bucket, "HTTPS://APP.example.com:443", page, platform.CodeAllowOriginDefaultPort, platform.CodeS3CORSRuleMismatch, "carries the default port :443 and has upper-case letters"},
		{"function url, a path", functionURLEntry, "https://app.example.com/app", page, platform.CodeLambdaURLNotConfigured, "", "carries a path (/app)"},
		{"bucket, :443", bucket, "https://app.example.com:443", page, platform.CodeAllowOriginDefaultPort, platform.CodeS3CORSRuleMismatch, "default port :443"},
		{"bucket, trailing slash", bucket, "https://app.example.com/", page, platform.CodeS3CORSRuleMismatch, "", "trailing slash"},
		{"bucket, upper case", bucket, "HTTPS://APP.example.com", page, platform.CodeS3CORSRuleMismatch, "", "upper-case"},
		// A static header value: the engine's mismatch, already named.
		{"rest api, :443", restAPI, "https://app.example.com:443", page, platform.CodeAllowOriginDefaultPort, "", "default port :443"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf(tc.tmpl, tc.entry)
			rep := lintSource(t, "t.yaml", []byte(src), Options{Origins: []string{tc.page}, Method: "PUT",
				Header: http.Header{"Content-Type": {"application/json"}}})
			var found *Finding
			for i, f := range rep.Findings {
				if f.Code == tc.code {
					found = &rep.Findings[i]
				}
				if tc.absent != "" && f.Code == tc.absent {
					t.Errorf("%s beside %s: %s", tc.absent, tc.code, f.Message)
				}
			}
			if found == nil {
				var codes []cors.Code
				for _, f := range rep.Findings {
					codes = append(codes, f.Code)
				}
				t.Fatalf("no %s finding: %v", tc.code, codes)
			}
			if found.Severity != cors.SeverityError {
				t.Errorf("severity %s", found.Severity)
			}
			if !strings.Contains(found.Message, strings.TrimSpace(tc.entry)) || !strings.Contains(found.Message, tc.says) {
				t.Errorf("the message does not name the entry %q and %q:\n%s", tc.entry, tc.says, found.Message)
			}
			if !strings.Contains(found.Fix, tc.page) {
				t.Errorf("the fix does not write %s:\n%s", tc.page, found.Fix)
			}
		})
	}
}

// A template's allow-list has any length: the entries written otherwise
// are named once each, a few at most, so a list that repeats one (or a
// hostile template of thousands) gives a message of a few lines, not one
// that grows with the square of the list.
func TestAllowListEntriesNamedFew(t *testing.T) {
	entries := []string{"https://app.example.com/a", " https://app.example.com", "https://app.example.com/b", "https://app.example.com/c"}
	for range 2000 {
		entries = append(entries, "https://app.example.com:443")
	}
	src := strings.Replace(functionURLEntry, "[%q]", `["`+strings.Join(entries, `", "`)+`"]`, 1)
	rep := lintSource(t, "t.yaml", []byte(src), Options{Origins: []string{"https://app.example.com"}, Method: "PUT",
		Header: http.Header{"Content-Type": {"application/json"}}})
	for _, f := range rep.Findings {
		if f.Code != platform.CodeAllowOriginDefaultPort {
			continue
		}
		if n := strings.Count(f.Message, "AllowOrigins lists "); n > 3 || len(f.Message) > 1500 {
			t.Errorf("%d entries named, %d bytes:\n%.600s", n, len(f.Message), f.Message)
		}
		if !strings.Contains(f.Message, "https://app.example.com:443") {
			t.Errorf("the entry with the port is not named:\n%.600s", f.Message)
		}
		return
	}
	t.Fatal("no allow-origin-default-port finding")
}

// One entry past the three named is counted as one entry, not "1 more
// such entries".
func TestAllowListEntriesCountOneMore(t *testing.T) {
	entries := []string{"https://app.example.com:443", "https://app.example.com/a", "https://app.example.com/b", "https://app.example.com/c"}
	src := strings.Replace(functionURLEntry, "[%q]", `["`+strings.Join(entries, `", "`)+`"]`, 1)
	rep := lintSource(t, "t.yaml", []byte(src), Options{Origins: []string{"https://app.example.com"}, Method: "PUT",
		Header: http.Header{"Content-Type": {"application/json"}}})
	for _, f := range rep.Findings {
		if f.Code == platform.CodeAllowOriginDefaultPort {
			if !strings.Contains(f.Message, "AllowOrigins holds 1 more such entry;") {
				t.Errorf("want one more entry counted:\n%s", f.Message)
			}
			return
		}
	}
	t.Fatal("no allow-origin-default-port finding")
}
