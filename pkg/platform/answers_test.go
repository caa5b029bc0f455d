package platform

import (
	"net/http"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Every answer lint builds must be recognised by the fingerprints, with
// high confidence, as the platform that makes it: the two directions share
// one knowledge.
func TestAnswersAreRecognised(t *testing.T) {
	tests := []struct {
		name     string
		msg      *cors.Message
		platform string
		url      string
	}{
		{"rest method", RESTAPIAnswer(200, nil), idRESTAPI, ""},
		{"http api", HTTPAPIAnswer(204, nil), idHTTPAPI, ""},
		{"http api 404", HTTPAPIError(404), idHTTPAPI, ""},
		// A function URL is known by its host name.
		{"lambda url", LambdaURLAnswer(200, nil), idLambdaURL, "https://abc123.lambda-url.us-east-1.on.aws/x"},
		{"s3", S3Answer(200, nil), idS3, ""},
		{"s3 denied", S3CORSDenied(true), idS3, ""},
	}
	for typ := range gatewayDefaults {
		tests = append(tests, struct {
			name     string
			msg      *cors.Message
			platform string
			url      string
		}{"gateway " + typ, GatewayResponseAnswer(typ, 0, nil), idRESTAPI, ""})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url
			if u == "" {
				u = "https://api.example.com/x"
			}
			ex := &cors.Exchange{
				Request: cors.Request{Method: "GET", URL: u, Origin: "https://app.example.com"},
				Actual:  []cors.Hop{{Request: cors.Message{Method: "GET", URL: u}, Response: tt.msg}},
			}
			rep := Analyze(Input{Exchange: ex})
			if rep.Platform == nil || rep.Platform.ID != tt.platform || rep.Platform.Confidence != High {
				t.Fatalf("platform = %+v, want %s with high confidence", rep.Platform, tt.platform)
			}
		})
	}
}

// A gateway-made answer is read back as the type it was made for.
func TestGatewayAnswerRoundTrip(t *testing.T) {
	for typ := range gatewayDefaults {
		got, ok := gatewayResponseType(GatewayResponseAnswer(typ, 0, nil))
		if !ok {
			t.Errorf("%s: not recognised as a gateway response", typ)
			continue
		}
		// The defaults stand for many types: recognised is enough.
		if typ != "DEFAULT_4XX" && typ != "DEFAULT_5XX" && got != typ && baseType(got) != typ && !containsWord(got, typ) {
			t.Errorf("%s: read back as %q", typ, got)
		}
	}
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w {
			return true
		}
	}
	return false
}

func TestTargetReplacesGuesses(t *testing.T) {
	ex := &cors.Exchange{Request: cors.Request{Method: "GET", URL: "https://api.example.com/x", Origin: "https://app.example.com"},
		Actual: []cors.Hop{{Response: RESTAPIAnswer(200, http.Header{})}}}
	a := &analysis{in: Input{Exchange: ex, Target: Target{Stage: "Prod", Resource: "/items"}}}
	a.fix = newFixContext(ex, cors.Evaluate(ex))
	a.fix.apply(a.in.Target)
	if a.fix.Stage != "Prod" || a.fix.Resource != "/items" || a.fix.APIID != "YOUR_API_ID" {
		t.Fatalf("fix context = %+v", a.fix)
	}
}
