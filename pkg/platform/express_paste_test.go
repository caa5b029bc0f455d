package platform

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Stand-ins for the express and cors packages: enough to start an app, and
// the cors factory records the options it is given. The real packages
// (express 4.22, cors 2.8) are not needed to catch a snippet that throws
// at startup.
const (
	expressStub = `const app = () => new Proxy({}, { get: () => () => {} });
module.exports = Object.assign(app, { Router: app, json: () => () => {}, static: () => () => {} });
`
	corsStub = `globalThis.corsOptions = globalThis.corsOptions || [];
module.exports = (o) => { globalThis.corsOptions.push(o || {}); return () => {}; };
`
)

// expressApp is a file a user pastes an Express snippet into: one that
// uses the cors package already (on a route, or after the router, the
// express-cors-middleware-missing cases seen on real servers), holding the
// options a "move your line" snippet names, or one without it; each as
// CommonJS (app.js) and as an ES module (app.mjs, as in "type": "module"
// apps, where a pasted require throws "ReferenceError: require is not
// defined in ES module scope").
type expressApp struct {
	file, src string
	cors, esm bool
}

var expressApps = map[string]expressApp{
	"uses cors": {file: "app.js", cors: true, src: `const express = require('express');
const cors = require('cors');
const corsOptions = { origin: ['https://app.example.com'] };
const app = express();
const ok = (req, res) => res.json({});
PASTE
app.get('/api/items', cors(corsOptions), ok);
app.listen(8080);
`},
	"no cors yet": {file: "app.js", src: `const express = require('express');
const app = express();
PASTE
app.get('/api/items', (req, res) => res.json({}));
app.listen(8080);
`},
}

// The same apps as ES modules: their requires become imports.
func init() {
	imports := regexp.MustCompile(`const (\w+) = require\(('\w+')\);`)
	for name, app := range map[string]expressApp{"is an ES module using cors": expressApps["uses cors"],
		"is an ES module without cors": expressApps["no cors yet"]} {
		app.file, app.esm = "app.mjs", true
		app.src = imports.ReplaceAllString(app.src, "import $1 from $2;")
		expressApps[name] = app
	}
}

// corsDefaultMethods is the cors package's default methods option
// (expressjs/cors, lib/index.js).
var corsDefaultMethods = []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"}

// TestExpressSnippetsRunPasted pastes every Express snippet, unedited,
// into an app and starts it. Seen on express 4.22.3 / cors 2.8.6: a
// snippet that declares cors again stops the app with "SyntaxError:
// Identifier 'cors' has already been declared", and one that names the
// user's authenticate or apiRouter with a ReferenceError. A new app-wide
// middleware keeps cors's default methods and lets allowedHeaders echo
// the preflight's: listing only the page's method and headers made the
// preflight of another route, DELETE /api/other with X-CSRF-Token, which
// passed through its own app.options(cors()), fail (method-not-allowed).
func TestExpressSnippetsRunPasted(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: the Express snippets are not run")
	}
	dir := t.TempDir()
	for name, src := range map[string]string{"express": expressStub, "cors": corsStub} {
		pkg := filepath.Join(dir, "node_modules", name)
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "index.js"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		// a main, so that an ES module's import finds index.js without a warning
		if err := os.WriteFile(filepath.Join(pkg, "package.json"), []byte(`{"main": "index.js"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh := ExampleContext()
	fresh.Method, fresh.Methods = "POST", []string{"POST", "OPTIONS"}
	fresh.Headers = []string{"content-type", "x-requested-with"}
	contexts := map[string]FixContext{"no configuration seen": fresh,
		"configuration seen": existingContext(false), "origin seen allowed": existingContext(true)}
	// A snippet that calls the user's cors (moves or edits their line) is
	// pasted only into the app that has one.
	comments := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	theirs := regexp.MustCompile(`(^|[^'.\w])cors\(`)
	checked, seen := 0, map[string]bool{}
	for code := range fixBuilders {
		for cname, ctx := range contexts {
			for _, f := range Fixes(code, ctx) {
				if f.Format != FormatExpress {
					continue
				}
				body := strings.ReplaceAll(comments.ReplaceAllString(f.Snippet, ""), "require('cors')(", "")
				edits := theirs.MatchString(body)
				for aname, app := range expressApps {
					if edits && !app.cors || seen[aname+f.Snippet] {
						continue
					}
					seen[aname+f.Snippet] = true
					checked++
					out, err := runPasted(node, dir, app, f.Snippet)
					if err != nil && app.esm && strings.Contains(f.Snippet, "require(") {
						// Loud, not silent; then the snippet's own ESM line must make it start.
						if !strings.Contains(string(out), "require is not defined") {
							t.Errorf("%s (%s), pasted into an app that %s: %v, not the ReferenceError:\n%s", code, cname, aname, err, out)
						}
						if !strings.Contains(f.Snippet, expressESMNote) {
							t.Errorf("%s (%s): a require the snippet has throws in an ES module, and it does not say %q:\n%s", code, cname, expressESMNote, f.Snippet)
							continue
						}
						out, err = runPasted(node, dir, app, esmEdit(f.Snippet, app.cors))
					}
					if err != nil {
						t.Errorf("%s (%s), pasted into an app that %s: %v\n%s\nsnippet:\n%s", code, cname, aname, err, out, f.Snippet)
						continue
					}
					var opts []struct {
						Methods        []string `json:"methods"`
						AllowedHeaders any      `json:"allowedHeaders"`
					}
					if err := json.Unmarshal(out, &opts); err != nil {
						t.Fatalf("%s: %v: %s", code, err, out)
					}
					if edits || ctx.Existing || len(opts) == 0 {
						continue
					}
					o := opts[0] // the snippet's: it comes before the user's routes
					for _, m := range corsDefaultMethods {
						if o.Methods != nil && !slices.Contains(o.Methods, m) {
							t.Errorf("%s (%s): app-wide methods %q drop cors's default %s, which other routes' preflights may use:\n%s", code, cname, o.Methods, m, f.Snippet)
						}
					}
					if o.AllowedHeaders != nil {
						t.Errorf("%s (%s): app-wide allowedHeaders %v refuse the headers other routes' preflights ask for:\n%s", code, cname, o.AllowedHeaders, f.Snippet)
					}
				}
			}
		}
	}
	if checked < 16 {
		t.Fatalf("only %d pastes checked", checked)
	}
}

// runPasted writes app with snippet in place of PASTE into dir and starts
// it under node; it prints the options given to cors.
func runPasted(node, dir string, app expressApp, snippet string) ([]byte, error) {
	file := filepath.Join(dir, app.file)
	src := strings.Replace(app.src, "PASTE", snippet, 1) +
		"process.stdout.write(JSON.stringify(globalThis.corsOptions || []));\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		return nil, err
	}
	return exec.Command(node, file).CombinedOutput()
}

// esmEdit does what expressESMNote says: cors called, not require('cors'),
// and the import at the top when the file has none.
func esmEdit(snippet string, hasImport bool) string {
	s := strings.ReplaceAll(snippet, "require('cors')(", "cors(")
	if !hasImport {
		s = "import cors from 'cors';\n" + s // hoisted: an import may stand anywhere at top level
	}
	return s
}
