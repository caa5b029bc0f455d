package cli

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/consoletext"
	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/harfile"
	"mvdan.cc/sh/v3/shell"
)

// checkAccepts parses a printed `corsdiag check …` command with check's
// own flags and validation, and returns the request it would send.
func checkAccepts(t *testing.T, command string) (*cors.Request, error) {
	t.Helper()
	words, err := shell.Fields(command, func(string) string { return "" })
	if err != nil || len(words) < 3 || words[0] != "corsdiag" || words[1] != "check" {
		t.Fatalf("not a check command: %q (%v)", command, err)
	}
	in, errOut, err := resolveCheckArgs(words[2:]...)
	if err != nil {
		return nil, fmt.Errorf("%v (stderr %s)", err, errOut)
	}
	return &in.probe.Request, nil
}

// TestHARReproduceCommandsAreAccepted: the command har prints to reproduce
// a blocked request (text, JSON and HTML share harfile.CheckCommand) is
// one check accepts, for every load × method × headers × credentials a
// file can record: a web font's Cookie among them, which its load never
// sends cross-origin (credentials mode same-origin). For fetch() and XHR
// the command sends the recorded request unchanged.
func TestHARReproduceCommandsAreAccepted(t *testing.T) {
	for _, p := range cors.AllProfiles {
		testHARReproduceCommandsAreAccepted(t, p)
	}
}

func testHARReproduceCommandsAreAccepted(t *testing.T, p *cors.Profile) {
	for _, in := range cors.Initiators {
		for _, method := range []string{"GET", "POST"} {
			for _, header := range []http.Header{nil, {"X-Token": {"1"}}} {
				for _, creds := range []bool{false, true} {
					req := &cors.Request{Method: method, URL: "https://cdn.test/a", Origin: "https://app.test",
						Header: header, Credentials: creds, Initiator: in.Name}
					name := fmt.Sprintf("%s %s %s headers=%d credentials=%v", p.Name, in.Flag, method, len(header), creds)
					command := harfile.CheckCommand(req, p, true)
					got, err := checkAccepts(t, command)
					if err != nil {
						t.Errorf("%s: check refuses %s: %v", name, command, err)
						continue
					}
					if !in.Scripted {
						continue
					}
					if got.Method != method || got.Credentials != creds || got.Initiator != in.Name || len(got.Header) != len(header) {
						t.Errorf("%s: %s sends %s credentials=%v initiator %s headers %v", name, command, got.Method, got.Credentials, got.Initiator, got.Header)
					}
				}
			}
		}
	}
}

// TestExplainReproduceCommandsAreAccepted: the command explain prints for
// a console line is one check accepts, for every load and code.
func TestExplainReproduceCommandsAreAccepted(t *testing.T) {
	for _, in := range append([]cors.Initiator{{}}, cors.Initiators...) {
		for _, info := range cors.Codes() {
			for _, browser := range []string{cors.Chromium.Name, cors.Firefox.Name, cors.Safari.Name} {
				r := &consoletext.Reading{Browser: browser, Code: info.Code, URL: "https://cdn.test/a", Origin: "https://app.test",
					Initiator: in.Name, Param: "X-Token", Preflight: strings.HasPrefix(string(info.Code), "preflight-")}
				if info.Code == cors.CodeMethodNotAllowed {
					r.Param = "PUT"
				}
				command, _ := reproduceCommand(r)
				got, err := checkAccepts(t, command)
				if err != nil {
					t.Errorf("%s %s %s: check refuses %s: %v", in.Flag, info.Code, browser, command, err)
					continue
				}
				// A text that names no load is fetch()'s: its header stays.
				if in.Name == "" && info.Code == cors.CodeHeaderNotAllowed && got.Header.Get("X-Token") == "" {
					t.Errorf("%s %s: %s lost the header", info.Code, browser, command)
				}
			}
		}
	}
}
