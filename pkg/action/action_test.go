package action

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/corsdiag/corsdiag/pkg/cli"
)

// fakeCorsdiag is the binary in the fake release: it records its
// arguments, writes the outputs corsdiag ci would, and exits FAKE_EXIT.
const fakeCorsdiag = `#!/bin/sh
printf '%s\n' "$@" > "$FAKE_ARGS"
[ -z "$FAKE_FAILURES" ] || echo "failures=$FAKE_FAILURES" >> "$GITHUB_OUTPUT"
exit ${FAKE_EXIT:-0}
`

func requireTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "tar", "unzip", "xargs"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("action.sh needs %s, which is not installed", tool)
		}
	}
}

func tarGz(t *testing.T, name string, body []byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		body []byte
		mode int64
	}{{"README.md", []byte("# corsdiag\n"), 0o644}, {name, body, 0o755}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

func zipped(t *testing.T, name string, body []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// release is a fake releases page: /latest redirects to the tag of 1.2.3,
// /download/v1.2.3/ holds the archives and the checksums file, as
// goreleaser names them.
type release struct {
	url   string
	files map[string][]byte // by name under /download/v1.2.3/
	hits  atomic.Int32
}

// newRelease serves the fake release; tamper, when set, changes its files
// first (the server reads them from other goroutines).
func newRelease(t *testing.T, tamper func(files map[string][]byte)) *release {
	r := &release{files: map[string][]byte{}}
	var sums strings.Builder
	for _, a := range []struct{ name, exe string }{
		{"corsdiag_1.2.3_linux_amd64.tar.gz", "corsdiag"},
		{"corsdiag_1.2.3_linux_arm64.tar.gz", "corsdiag"},
		{"corsdiag_1.2.3_darwin_arm64.tar.gz", "corsdiag"},
		{"corsdiag_1.2.3_windows_amd64.zip", "corsdiag.exe"},
	} {
		body := tarGz(t, a.exe, []byte(fakeCorsdiag))
		if strings.HasSuffix(a.name, ".zip") {
			body = zipped(t, a.exe, []byte(fakeCorsdiag))
		}
		r.files[a.name] = body
		sum := sha256.Sum256(body)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), a.name)
	}
	r.files["corsdiag_1.2.3_checksums.txt"] = []byte(sums.String())
	if tamper != nil {
		tamper(r.files)
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		switch {
		case req.URL.Path == "/latest":
			http.Redirect(w, req, "/tag/v1.2.3", http.StatusFound)
		case req.URL.Path == "/tag/v1.2.3":
			fmt.Fprint(w, "release page")
		case strings.HasPrefix(req.URL.Path, "/download/v1.2.3/"):
			body, ok := r.files[strings.TrimPrefix(req.URL.Path, "/download/v1.2.3/")]
			if !ok {
				http.NotFound(w, req)
				return
			}
			w.Write(body)
		default:
			http.NotFound(w, req)
		}
	}))
	t.Cleanup(s.Close)
	r.url = s.URL
	return r
}

type result struct {
	code    int
	stderr  string
	outputs map[string]string
	path    string // what the script added to GITHUB_PATH
}

// mustFail stops the test unless the script failed saying want.
func (r result) mustFail(t *testing.T, want string) {
	t.Helper()
	if r.code == 0 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want a failure saying %q", r.code, r.stderr, want)
	}
}

// script runs action.sh CMD with env on top of a clean runner environment.
func script(t *testing.T, cmd string, env map[string]string) result {
	t.Helper()
	dir := t.TempDir()
	outputs, paths := filepath.Join(dir, "output"), filepath.Join(dir, "path")
	c := exec.Command("bash", "action.sh", cmd)
	c.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + dir,
		"GITHUB_OUTPUT=" + outputs, "GITHUB_PATH=" + paths,
		"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TEMP=" + dir}
	for k, v := range env {
		c.Env = append(c.Env, k+"="+v)
	}
	var stderr bytes.Buffer
	c.Stderr = &stderr
	err := c.Run()
	r := result{stderr: stderr.String(), outputs: map[string]string{}}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(outputs)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			r.outputs[k] = v
		}
	}
	p, _ := os.ReadFile(paths)
	r.path = strings.TrimSpace(string(p))
	return r
}

func TestResolve(t *testing.T) {
	requireTools(t)
	rel := newRelease(t, nil)
	tests := []struct {
		name, version, ref, os, arch string
		wantVersion, wantArchive     string
		wantErr                      string
	}{
		{"pinned", "1.2.3", "v1", "Linux", "X64", "1.2.3", "corsdiag_1.2.3_linux_amd64.tar.gz", ""},
		{"pinned with v", "v1.2.3", "", "Linux", "ARM64", "1.2.3", "corsdiag_1.2.3_linux_arm64.tar.gz", ""},
		{"the action's own tag", "", "v2.0.1", "macOS", "ARM64", "2.0.1", "corsdiag_2.0.1_darwin_arm64.tar.gz", ""},
		{"a major tag means latest", "", "v1", "Windows", "X64", "1.2.3", "corsdiag_1.2.3_windows_amd64.zip", ""},
		{"latest", "latest", "v2.0.1", "Linux", "X64", "1.2.3", "corsdiag_1.2.3_linux_amd64.tar.gz", ""},
		{"prerelease", "1.3.0-rc.1", "", "Linux", "X64", "1.3.0-rc.1", "corsdiag_1.3.0-rc.1_linux_amd64.tar.gz", ""},
		{"not a version", "main", "", "Linux", "X64", "", "", "version 'main' is not a release version"},
		{"unknown OS", "1.2.3", "", "FreeBSD", "X64", "", "", "no corsdiag release for RUNNER_OS='FreeBSD'"},
		{"unknown arch", "1.2.3", "", "Linux", "ARM", "", "", "no corsdiag release for RUNNER_ARCH='ARM' on Linux"},
		{"32-bit", "1.2.3", "", "Windows", "X86", "", "", "RUNNER_ARCH='X86'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := script(t, "resolve", map[string]string{"CORSDIAG_RELEASES": rel.url, "CORSDIAG_VERSION": tt.version,
				"CORSDIAG_ACTION_REF": tt.ref, "RUNNER_OS": tt.os, "RUNNER_ARCH": tt.arch, "RUNNER_TOOL_CACHE": "/cache"})
			if tt.wantErr != "" {
				r.mustFail(t, tt.wantErr)
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if r.outputs["version"] != tt.wantVersion || r.outputs["archive"] != tt.wantArchive {
				t.Errorf("outputs %v, want version %s archive %s", r.outputs, tt.wantVersion, tt.wantArchive)
			}
			if want := "/cache/corsdiag/" + tt.wantVersion + "/"; !strings.HasPrefix(r.outputs["dir"], want) {
				t.Errorf("dir %q, want it under %s", r.outputs["dir"], want)
			}
		})
	}
}

// fakeSource is a stand-in for the action's own checkout: the files whose
// digest names a source build.
func fakeSource(t *testing.T) string {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"go.mod": "module github.com/corsdiag/corsdiag\n", "go.sum": "",
		"cmd/corsdiag/main.go": "package main\n", "pkg/cors/cors.go": "package cors\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestResolveSource: a pin that names no release (a commit SHA, a branch,
// a local checkout, a moving tag whose line has no latest release) builds
// the action's own source, under a key that is the digest of that source.
func TestResolveSource(t *testing.T) {
	requireTools(t)
	rel := newRelease(t, nil) // its latest is v1.2.3
	src := fakeSource(t)
	tests := []struct {
		name, version, ref string
		wantRelease        string // "" wants a source build
	}{
		{"commit SHA", "", "8f2fa5c0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6", ""},
		{"branch", "", "main", ""},
		{"local checkout", "", "", ""},
		{"major tag, latest in its line", "", "v1", "1.2.3"},
		{"minor tag, latest in its line", "", "v1.2", "1.2.3"},
		{"major tag, latest in another line", "", "v2", ""},
		{"minor tag, latest in another line", "", "v1.3", ""},
		{"a version input wins over a SHA", "1.2.3", "8f2fa5c0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6", "1.2.3"},
	}
	keys := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := script(t, "resolve", map[string]string{"CORSDIAG_RELEASES": rel.url, "CORSDIAG_VERSION": tt.version,
				"CORSDIAG_ACTION_REF": tt.ref, "GITHUB_ACTION_PATH": src, "RUNNER_TOOL_CACHE": "/cache"})
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			v := r.outputs["version"]
			if tt.wantRelease != "" {
				if r.outputs["mode"] != "release" || v != tt.wantRelease {
					t.Errorf("outputs %v, want release %s", r.outputs, tt.wantRelease)
				}
				return
			}
			key, ok := strings.CutPrefix(v, "source-")
			if r.outputs["mode"] != "source" || !ok || len(key) != 16 {
				t.Fatalf("outputs %v, want a source build named source-<16 hex digits>", r.outputs)
			}
			if r.outputs["archive"] != "corsdiag_"+v+"_linux_amd64.tar.gz" || r.outputs["dir"] != "/cache/corsdiag/"+v+"/amd64" {
				t.Errorf("outputs %v: archive and dir do not name %s", r.outputs, v)
			}
			keys[key] = true
		})
	}
	if len(keys) != 1 {
		t.Errorf("one source gave %d keys: %v", len(keys), keys)
	}
	// Another source, another key: a branch that moved is built again.
	if err := os.WriteFile(filepath.Join(src, "pkg/cors/cors.go"), []byte("package cors // changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := script(t, "resolve", map[string]string{"CORSDIAG_ACTION_REF": "main", "GITHUB_ACTION_PATH": src})
	key := strings.TrimPrefix(r.outputs["version"], "source-")
	if r.code != 0 || keys[key] {
		t.Errorf("changed source: exit %d, version %q (the old key, or none): %s", r.code, r.outputs["version"], r.stderr)
	}
	keys[key] = true
	// The same bytes under another name are another source too.
	if err := os.Rename(filepath.Join(src, "pkg/cors/cors.go"), filepath.Join(src, "pkg/cors/moved.go")); err != nil {
		t.Fatal(err)
	}
	r = script(t, "resolve", map[string]string{"CORSDIAG_ACTION_REF": "main", "GITHUB_ACTION_PATH": src})
	if key := strings.TrimPrefix(r.outputs["version"], "source-"); r.code != 0 || keys[key] {
		t.Errorf("renamed file: exit %d, version %q (an old key, or none): %s", r.code, r.outputs["version"], r.stderr)
	}
}

// fakeGo is a go command that records how it was run and writes a binary
// where -o says.
const fakeGo = `#!/bin/sh
printf '%s\n' "$PWD" "GOTOOLCHAIN=$GOTOOLCHAIN" "GOFLAGS=$GOFLAGS" "$@" > "$FAKE_GO_ARGS"
out="" prev=""
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
printf '#!/bin/sh\necho built\n' > "$out" && chmod +x "$out"
`

// TestInstallSource: a source build runs the runner's go in the action's
// folder, stamps the ref as the version, and lands the binary where the
// cache keeps it; without Go it says what to do.
func TestInstallSource(t *testing.T) {
	requireTools(t)
	src := fakeSource(t)
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	args := filepath.Join(t.TempDir(), "go-args")
	dir := filepath.Join(t.TempDir(), "cache", "corsdiag", "source-0123456789abcdef", "amd64")
	env := map[string]string{"CORSDIAG_MODE": "source", "CORSDIAG_VERSION": "source-0123456789abcdef",
		"CORSDIAG_ARCHIVE": "corsdiag_source-0123456789abcdef_linux_amd64.tar.gz", "CORSDIAG_DIR": dir,
		"CORSDIAG_ACTION_REF": "8f2fa5c0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6", "GITHUB_ACTION_PATH": src,
		"PATH": bin + string(os.PathListSeparator) + os.Getenv("PATH"), "FAKE_GO_ARGS": args, "GOTOOLCHAIN": "local"}
	r := script(t, "install", env)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got, _ := os.ReadFile(args)
	want := []string{src, "GOTOOLCHAIN=auto", "GOFLAGS=-mod=readonly", "build", "-trimpath", "-ldflags",
		"-s -w -X github.com/corsdiag/corsdiag/pkg/cli.Version=dev-8f2fa5c0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6",
		"-o", filepath.Join(dir, "corsdiag.partial"), "./cmd/corsdiag"}
	if strings.Join(want, "\n")+"\n" != string(got) {
		t.Errorf("go ran as\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "corsdiag")); err != nil || !strings.Contains(string(b), "built") {
		t.Errorf("no built binary in %s: %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "corsdiag.partial")); err == nil {
		t.Error("the partial binary was left behind")
	}
	if r.path != dir {
		t.Errorf("GITHUB_PATH got %q, want %q", r.path, dir)
	}

	// No Go on PATH: nothing installed, and the error says how to go on.
	dir2 := filepath.Join(t.TempDir(), "amd64")
	env["CORSDIAG_DIR"], env["PATH"] = dir2, t.TempDir()
	r = script(t, "install", env)
	r.mustFail(t, "needs Go 1.21 or later on PATH: add actions/setup-go before it, or pin a release")
	if _, err := os.Stat(filepath.Join(dir2, "corsdiag")); err == nil || r.path != "" {
		t.Errorf("installed without Go: path %q", r.path)
	}
}

// The archive names action.sh asks for are the ones .goreleaser.yaml
// builds, for every OS and architecture it builds.
func TestArchiveNamesMatchGoreleaser(t *testing.T) {
	requireTools(t)
	b, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var gr struct {
		Builds []struct {
			Goos, Goarch []string
		}
		Archives []struct {
			NameTemplate    string   `yaml:"name_template"`
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string
				Formats []string
			} `yaml:"format_overrides"`
		}
	}
	if err := yaml.Unmarshal(b, &gr); err != nil {
		t.Fatal(err)
	}
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}
	a := gr.Archives[0]
	for _, goos := range gr.Builds[0].Goos {
		for _, goarch := range gr.Builds[0].Goarch {
			format := a.Formats[0]
			for _, o := range a.FormatOverrides {
				if o.Goos == goos {
					format = o.Formats[0]
				}
			}
			want := strings.NewReplacer("{{ .ProjectName }}", "corsdiag", "{{ .Version }}", "1.2.3",
				"{{ .Os }}", goos, "{{ .Arch }}", goarch).Replace(a.NameTemplate) + "." + format
			r := script(t, "resolve", map[string]string{"CORSDIAG_VERSION": "1.2.3",
				"RUNNER_OS": runnerOS[goos], "RUNNER_ARCH": runnerArch[goarch]})
			if r.outputs["archive"] != want {
				t.Errorf("%s/%s: action.sh asks for %q (%s), goreleaser names it %q", goos, goarch, r.outputs["archive"], r.stderr, want)
			}
		}
	}
}

func TestInstall(t *testing.T) {
	requireTools(t)
	tests := []struct {
		name, archive, exe string
		tamper             func(files map[string][]byte)
		wantErr            string
	}{
		{"linux", "corsdiag_1.2.3_linux_amd64.tar.gz", "corsdiag", nil, ""},
		{"windows zip", "corsdiag_1.2.3_windows_amd64.zip", "corsdiag.exe", nil, ""},
		{"tampered archive", "corsdiag_1.2.3_linux_amd64.tar.gz", "corsdiag", func(files map[string][]byte) {
			files["corsdiag_1.2.3_linux_amd64.tar.gz"] = tarGz(t, "corsdiag", []byte("#!/bin/sh\necho pwned\n"))
		}, "checksum mismatch for corsdiag_1.2.3_linux_amd64.tar.gz"},
		{"not in the checksums file", "corsdiag_1.2.3_linux_amd64.tar.gz", "corsdiag", func(files map[string][]byte) {
			files["corsdiag_1.2.3_checksums.txt"] = []byte("0000  corsdiag_1.2.3_darwin_arm64.tar.gz\n")
		}, "has no line for corsdiag_1.2.3_linux_amd64.tar.gz"},
		{"no checksums file", "corsdiag_1.2.3_linux_amd64.tar.gz", "corsdiag", func(files map[string][]byte) {
			delete(files, "corsdiag_1.2.3_checksums.txt")
		}, "cannot download"},
		{"no such archive", "corsdiag_1.2.3_linux_riscv64.tar.gz", "corsdiag", nil, "cannot download"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := newRelease(t, tt.tamper)
			dir := filepath.Join(t.TempDir(), "cache", "corsdiag", "1.2.3", "amd64")
			env := map[string]string{"CORSDIAG_RELEASES": rel.url, "CORSDIAG_VERSION": "1.2.3",
				"CORSDIAG_ARCHIVE": tt.archive, "CORSDIAG_DIR": dir}
			r := script(t, "install", env)
			exe := filepath.Join(dir, tt.exe)
			if tt.wantErr != "" {
				r.mustFail(t, tt.wantErr)
				if _, err := os.Stat(exe); err == nil {
					t.Errorf("%s was installed anyway", exe)
				}
				if r.path != "" {
					t.Errorf("GITHUB_PATH got %q", r.path)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if got, _ := os.ReadFile(exe); string(got) != fakeCorsdiag {
				t.Errorf("%s holds %q, want the release's binary", exe, got)
			}
			if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o100 == 0 {
				t.Errorf("%s not executable: %v", exe, err)
			}
			if r.path != dir {
				t.Errorf("GITHUB_PATH got %q, want %q", r.path, dir)
			}
			// A second run (the cache restored the folder) downloads nothing.
			hits := rel.hits.Load()
			if r := script(t, "install", env); r.code != 0 || r.path != dir {
				t.Errorf("cached install: exit %d, path %q: %s", r.code, r.path, r.stderr)
			}
			if rel.hits.Load() != hits {
				t.Errorf("cached install downloaded %d files", rel.hits.Load()-hits)
			}
		})
	}
}

func TestRun(t *testing.T) {
	requireTools(t)
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "corsdiag"), []byte(fakeCorsdiag), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		inputs   map[string]string
		exit     string // corsdiag's exit code
		failures string // what corsdiag ci writes to GITHUB_OUTPUT
		wantArgs []string
		want     map[string]string // outputs
		wantErr  string
	}{
		{"defaults", nil, "0", "0", []string{"ci"},
			map[string]string{"exit-code": "0", "failures": "0", "fail": "false", "sarif": ""}, ""},
		{"config and reports", map[string]string{"INPUT_CONFIG": "sub/cors.yaml", "INPUT_REPORT": "junit, markdown=out/c.md\njson"},
			"1", "2", []string{"ci", "-f", "sub/cors.yaml", "--report", "junit=corsdiag.xml", "--report", "markdown=out/c.md", "--report", "json=corsdiag.json"},
			map[string]string{"exit-code": "1", "failures": "2", "fail": "true"}, ""},
		{"sarif in report", map[string]string{"INPUT_REPORT": "sarif=x.sarif"}, "0", "0",
			[]string{"ci", "--report", "sarif=x.sarif"}, map[string]string{"fail": "false"}, ""},
		{"upload without a sarif path", map[string]string{"INPUT_UPLOAD_SARIF": "true"}, "0", "0",
			[]string{"ci", "--report", "sarif=$RUNNER_TEMP/corsdiag.sarif"}, map[string]string{"fail": "false"}, ""},
		{"warning is --strict", map[string]string{"INPUT_FAIL_ON": "warning"}, "1", "0",
			[]string{"ci", "--strict"}, map[string]string{"fail": "true"}, ""},
		{"never: a CORS failure passes", map[string]string{"INPUT_FAIL_ON": "never"}, "1", "3",
			[]string{"ci"}, map[string]string{"fail": "false", "failures": "3", "exit-code": "1"}, ""},
		{"never: unreachable passes", map[string]string{"INPUT_FAIL_ON": "never"}, "3", "0",
			[]string{"ci"}, map[string]string{"fail": "false"}, ""},
		{"never: a bad config fails", map[string]string{"INPUT_FAIL_ON": "never"}, "2", "",
			[]string{"ci"}, map[string]string{"fail": "true", "exit-code": "2"}, ""},
		{"error: unreachable fails", nil, "3", "0", []string{"ci"}, map[string]string{"fail": "true"}, ""},
		{"args, quoted", map[string]string{"INPUT_ARGS": `check "https://api.example.com/a b" --origin https://app.example.com -H 'X-A: 1'`, "INPUT_CONFIG": "ignored.yaml"},
			"1", "", []string{"check", "https://api.example.com/a b", "--origin", "https://app.example.com", "-H", "X-A: 1"},
			map[string]string{"failures": "1", "fail": "true"}, ""},
		{"args are not run by a shell", map[string]string{"INPUT_ARGS": "check $(touch pwned) ;echo"},
			"0", "", []string{"check", "$(touch", "pwned)", ";echo"}, map[string]string{"failures": "0"}, ""},
		{"args with an unmatched quote", map[string]string{"INPUT_ARGS": "lint t.yaml --origin https://app.example.com --route 'PUT /items"},
			"0", "", nil, nil, "args: unmatched single quote"},
		{"bad fail-on", map[string]string{"INPUT_FAIL_ON": "sometimes"}, "0", "", nil, nil, "fail-on 'sometimes': want error, warning or never"},
		{"bad report", map[string]string{"INPUT_REPORT": "pdf"}, "0", "", nil, nil, "report 'pdf': want junit, sarif, json, markdown or html"},
		{"bad report with a file", map[string]string{"INPUT_REPORT": "xml=out.xml"}, "0", "", nil, nil, "report 'xml': want junit, sarif, json, markdown or html"},
		{"report without a file", map[string]string{"INPUT_REPORT": "junit="}, "0", "", nil, nil, "report 'junit=': the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			argsFile := filepath.Join(dir, "args")
			env := map[string]string{"PATH": bin + ":" + os.Getenv("PATH"), "FAKE_ARGS": argsFile, "RUNNER_TEMP": dir,
				"FAKE_EXIT": tt.exit, "FAKE_FAILURES": tt.failures}
			for k, v := range tt.inputs {
				env[k] = v
			}
			r := script(t, "run", env)
			if tt.wantErr != "" {
				r.mustFail(t, tt.wantErr)
				// One error, the right one: not a second, wrong one after it.
				if n := strings.Count(r.stderr, "::error"); n != 1 {
					t.Errorf("%d errors, want 1: %q", n, r.stderr)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("the run step itself failed (exit %d): %s", r.code, r.stderr)
			}
			b, _ := os.ReadFile(argsFile)
			got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			want := strings.Split(strings.ReplaceAll(strings.Join(tt.wantArgs, "\n"), "$RUNNER_TEMP", dir), "\n")
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("corsdiag ran with %q, want %q", got, want)
			}
			if _, err := os.Stat("pwned"); err == nil {
				os.Remove("pwned")
				t.Error("args were run by a shell")
			}
			for k, v := range tt.want {
				if r.outputs[k] != v {
					t.Errorf("output %s = %q, want %q (all: %v)", k, r.outputs[k], v, r.outputs)
				}
			}
		})
	}
}

// TestRunTakesEveryReportFormat: the report input takes each format
// corsdiag ci --report writes, alone (its default file) or with a file.
func TestRunTakesEveryReportFormat(t *testing.T) {
	requireTools(t)
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "corsdiag"), []byte(fakeCorsdiag), 0o755); err != nil {
		t.Fatal(err)
	}
	formats := cli.CIReportFormats()
	if len(formats) < 5 {
		t.Fatalf("ci writes %d report formats: %v", len(formats), formats)
	}
	for _, format := range formats {
		for _, item := range []string{format, format + "=out/r." + format} {
			t.Run(item, func(t *testing.T) {
				dir := t.TempDir()
				argsFile := filepath.Join(dir, "args")
				r := script(t, "run", map[string]string{"PATH": bin + ":" + os.Getenv("PATH"), "FAKE_ARGS": argsFile,
					"RUNNER_TEMP": dir, "INPUT_REPORT": item})
				if r.code != 0 {
					t.Fatalf("report %q refused (exit %d): %s", item, r.code, r.stderr)
				}
				b, _ := os.ReadFile(argsFile)
				args := strings.Fields(string(b))
				if len(args) != 3 || args[1] != "--report" || !strings.HasPrefix(args[2], format+"=") || args[2] == format+"=" {
					t.Errorf("report %q ran corsdiag %q", item, args)
				}
			})
		}
	}
}

// TestWarningIsStrict: fail-on warning adds --strict to the args input's
// command exactly when that corsdiag command has the flag.
func TestWarningIsStrict(t *testing.T) {
	requireTools(t)
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "corsdiag"), []byte(fakeCorsdiag), 0o755); err != nil {
		t.Fatal(err)
	}
	strict := 0
	for _, c := range cli.NewRoot(cli.SystemIO()).Commands() {
		want := c.Flags().Lookup("strict") != nil
		if want {
			strict++
		}
		t.Run(c.Name(), func(t *testing.T) {
			argsFile := filepath.Join(t.TempDir(), "args")
			r := script(t, "run", map[string]string{"PATH": bin + ":" + os.Getenv("PATH"), "FAKE_ARGS": argsFile,
				"INPUT_FAIL_ON": "warning", "INPUT_ARGS": c.Name() + " x"})
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			b, _ := os.ReadFile(argsFile)
			if got := strings.Contains(string(b), "--strict"); got != want {
				t.Errorf("fail-on warning ran corsdiag %q; the command has --strict: %v", strings.Fields(string(b)), want)
			}
		})
	}
	if strict < 4 {
		t.Errorf("%d commands with --strict: want ci, check, har, lint at least", strict)
	}
}
