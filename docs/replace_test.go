package docs

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// replacesWholeConfig matches an AWS CLI call that writes a resource's whole
// CORS configuration from a literal typed on the command line: S3's
// put-bucket-cors, an HTTP API's update-api and a function URL's
// update-function-url-config all replace what is there, so a literal
// deletes every origin, rule and header already allowed. A page must read
// the configuration first and write back the merge (a file:// of it).
var wholeConfigRE = regexp.MustCompile(`(put-bucket-cors|apigatewayv2 update-api|update-function-url-config)\b[^\n` + "`" + `]*?--cors(?:-configuration)?[ =]+(\S+)`)

// replacesWholeConfig finds such a call whose configuration is not a
// file:// (the merged file the page's commands wrote).
func replacesWholeConfig(text string) string {
	for _, m := range wholeConfigRE.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(strings.Trim(m[2], `"'`), "file://") {
			return m[0]
		}
	}
	return ""
}

func TestReplacesWholeConfigPattern(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{`aws s3api put-bucket-cors --bucket B --cors-configuration '{"CORSRules":[]}'`, true},
		{`aws s3api put-bucket-cors --bucket B --cors-configuration \` + "\n" + `  '{"CORSRules":[]}'`, true},
		{`aws apigatewayv2 update-api --api-id ID --cors-configuration AllowOrigins=x`, true},
		{`aws apigatewayv2 update-api --api-id ID --cors-configuration '{"AllowOrigins":["x"]}'`, true},
		{`aws lambda update-function-url-config --function-name fn --cors '{"AllowOrigins":["x"]}'`, true},
		{`aws s3api put-bucket-cors --bucket "$BUCKET" --cors-configuration file://cors.json`, false},
		{`aws apigatewayv2 update-api --api-id "$API_ID" --cors-configuration file://cors.json`, false},
		{`aws lambda create-function-url-config --function-name fn --cors '{"AllowOrigins":["x"]}'`, false},
	}
	for _, tt := range tests {
		if got := replacesWholeConfig(joinContinued(tt.text)) != ""; got != tt.want {
			t.Errorf("%q: matched %v, want %v", tt.text, got, tt.want)
		}
	}
}

// joinContinued joins shell lines continued with a backslash.
func joinContinued(s string) string {
	return regexp.MustCompile(`\\\n\s*`).ReplaceAllString(s, "")
}

// TestNoPageReplacesAWholeCORSConfig: a fix printed on a finding page must
// never delete configuration that works.
func TestNoPageReplacesAWholeCORSConfig(t *testing.T) {
	entries, err := fs.ReadDir(Findings, "findings")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(Findings, "findings/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(joinContinued(string(b)), "\n") {
			if m := replacesWholeConfig(l); m != "" {
				t.Errorf("findings/%s writes a whole CORS configuration from a literal, deleting what is there: %s", e.Name(), m)
			}
		}
	}
}
