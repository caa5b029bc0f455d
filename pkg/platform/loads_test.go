package platform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// TestFontFromS3Fix: the most searched CORS error is a web font from S3
// (often behind CloudFront) without Access-Control-Allow-Origin. The fix
// is an S3 CORS rule for GET and HEAD (what a font, image or stylesheet
// load needs) with the page's origin; behind CloudFront, forwarding
// Origin to S3.
func TestFontFromS3Fix(t *testing.T) {
	font := func(h http.Header) *cors.Exchange {
		req := cors.Request{Method: "GET", URL: "https://assets.s3.us-east-1.amazonaws.com/fonts/fa.woff2", Origin: "https://app.example.com", Initiator: "font"}
		resp := &cors.Message{Status: 200, Header: h}
		return &cors.Exchange{Request: req, Actual: []cors.Hop{{Request: cors.Message{Method: "GET", URL: req.URL}, Response: resp}}}
	}
	s3 := http.Header{"Server": {"AmazonS3"}, "X-Amz-Request-Id": {"ABC"}, "Content-Type": {"font/woff2"}}
	rep := Analyze(Input{Exchange: font(s3), FixFormat: "all"})
	var fix string
	for _, f := range rep.Findings {
		if f.Code == CodeS3CORSRuleMismatch {
			fix = f.Fix
		}
	}
	if fix == "" {
		t.Fatalf("no %s: %+v", CodeS3CORSRuleMismatch, rep.Findings)
	}
	for _, want := range []string{`"AllowedOrigins": ["https://app.example.com"]`, `"AllowedMethods": ["GET", "HEAD"]`} {
		if !strings.Contains(fix, want) {
			t.Errorf("the fix lacks %s:\n%s", want, fix)
		}
	}
	// Behind CloudFront: S3 must see the Origin.
	cf := s3.Clone()
	cf.Set("Via", "1.1 abc.cloudfront.net (CloudFront)")
	cf.Set("X-Cache", "Miss from cloudfront")
	cf.Set("X-Amz-Cf-Id", "x")
	all := ""
	for _, f := range Analyze(Input{Exchange: font(cf), FixFormat: "all"}).Findings {
		all += string(f.Code) + ": " + f.Message + "\n" + f.Fix + "\n"
	}
	for _, want := range []string{"CORS-S3Origin", `"HEAD"`} {
		if !strings.Contains(all, want) {
			t.Errorf("behind CloudFront, the findings do not say %s:\n%s", want, all)
		}
	}
	// A fetch() GET keeps its one method.
	ex := font(s3)
	ex.Request.Initiator = "fetch"
	for _, f := range Analyze(Input{Exchange: ex, FixFormat: "all"}).Findings {
		if f.Code == CodeS3CORSRuleMismatch && strings.Contains(f.Fix, `"HEAD"`) {
			t.Errorf("fetch() GET: the fix allows HEAD:\n%s", f.Fix)
		}
	}
}
