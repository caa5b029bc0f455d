package conformance

import (
	"flag"
	"testing"
)

var recordStory = flag.Bool("record-story", false, "TestStoryHAR: run the story scenarios (testdata/story) in Chromium and write "+storyHAR+" with its .expected.json sidecar")

const (
	storyDir = "../../testdata/story"
	storyHAR = "../../testdata/har/apigw-story.har"
	// storyAPIHost is the API's name in the story: a valid REST API id, so
	// the HAR reads as an execute-api endpoint. Chromium resolves it to the
	// scenario server (--host-resolver-rules); nothing leaves loopback.
	storyAPIHost = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
)

// storyCorsError is the corsError Chromium must give each story request:
// the story is CORS's, not a Local Network Access block or a network error.
var storyCorsError = map[string]string{
	"items":  "PreflightMissingAllowOriginHeader",
	"orders": "MissingAllowOriginHeader",
	"report": "MissingAllowOriginHeader",
}

// TestStoryHAR records the quick start's HAR: a page calling an API Gateway
// REST API, in real Chromium. It only runs with -record-story; the file it
// writes is checked by pkg/harfile and pkg/cli's tests, which read it.
func TestStoryHAR(t *testing.T) {
	scenarios, err := LoadDir(storyDir)
	if err != nil {
		t.Fatal(err)
	}
	if !*recordStory {
		t.Skipf("%d story scenarios load; -record-story records them in Chromium", len(scenarios))
	}
	bin, err := findChromium()
	if err != nil {
		t.Fatalf("-record-story records what Chromium does, but %v", err)
	}
	srv, err := NewServerUnder("prod", scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	// Script calls the API by its execute-api name on the server's port.
	// The page stays at 127.0.0.1, a secure context: a page opened by name
	// over http is not, and Local Network Access would block it first.
	srv.Origins.API = "http://" + storyAPIHost + ":" + port(srv.Origins.API)
	c := startChromium(t, bin, srv.Origins.Page+"/", spaceFlags{MapHosts: []string{storyAPIHost}})
	nonces := map[string]string{}
	for _, sc := range scenarios {
		nonces[sc.Name] = "c" + nonce()
	}
	chrome := runInChromium(t, c, srv, scenarios, nonces)
	for _, sc := range scenarios {
		if o, want := chrome[sc.Name], storyCorsError[sc.Name]; o.JS.OK || o.CorsError != want {
			t.Errorf("%s: Chromium did %s; the story needs it blocked with %s", sc.Name, o, want)
		}
	}
	writeHAR(t, storyHAR, c, srv, scenarios, chrome, nonces)
}
