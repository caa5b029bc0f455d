package conformance

import (
	"flag"
	"strings"
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
	srv, err := NewServer(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	// Script calls the API by its execute-api name on the server's port.
	srv.Origins.API = "http://" + storyAPIHost + ":" + port(srv.Origins.API)
	c := startChromium(t, bin, srv.Origins.Page+"/", spaceFlags{MapHosts: []string{storyAPIHost}})
	nonces := map[string]string{}
	for _, sc := range scenarios {
		nonces[sc.Name] = "c" + nonce()
	}
	chrome := runInChromium(t, c, srv, scenarios, nonces)
	for _, sc := range scenarios {
		if o := chrome[sc.Name]; o.JS.OK || !strings.Contains(o.Console, "blocked by CORS policy") {
			t.Errorf("%s: Chromium did %s (console %q); the story needs every request blocked by CORS", sc.Name, o, o.Console)
		}
	}
	writeHAR(t, storyHAR, c, scenarios, chrome, nonces)
}
