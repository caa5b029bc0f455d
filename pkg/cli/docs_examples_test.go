package cli

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/shell"
)

// The README's and the docs' examples are run, so they cannot drift from
// what corsdiag prints. Two conventions, each an HTML comment on the line
// before a fenced block:
//
//	<!-- example: FIXTURE -->   before a ```console block that starts with
//	                            `$ corsdiag …` (continued with a trailing \):
//	                            the command runs in-process at 80 columns and
//	                            the rest of the block is its output. FIXTURE
//	                            is a check golden case (goldenCases) whose
//	                            server answers every host name of the URL, or
//	                            "files" for a command that reads files of the
//	                            repository.
//	<!-- golden: NAME -->       before a ```text block: the block is
//	                            pkg/cli/testdata/NAME.golden.
//
// A block whose last line is "…" shows the first lines of the output only.
// Every ```console block starting with `$ corsdiag` must have its comment.

// docExample is one marked block of a Markdown file.
type docExample struct {
	file, kind, arg string
	line            int      // of the fence
	body            []string // the block's lines
}

// docExamples reads the marked blocks of a Markdown file; unmarked console
// blocks that run corsdiag come back with kind "".
func docExamples(t *testing.T, path string) []docExample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docExample
	var cur *docExample
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && line == "```":
			if cur.kind != "" || (len(cur.body) > 0 && strings.HasPrefix(cur.body[0], "$ corsdiag")) {
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil:
			cur.body = append(cur.body, line)
		case strings.HasPrefix(line, "```console") || strings.HasPrefix(line, "```text"):
			cur = &docExample{file: path, line: n}
			if c, ok := strings.CutPrefix(prev, "<!-- "); ok {
				if kind, arg, ok := strings.Cut(strings.TrimSuffix(c, " -->"), ": "); ok {
					cur.kind, cur.arg = kind, strings.TrimSpace(arg)
				}
			}
		}
		prev = line
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// exampleOutput runs a `$ corsdiag …` command (its first lines) as a user
// on an 80-column terminal would, from the repository root.
func exampleOutput(t *testing.T, ex docExample) (cmdLines int, out string) {
	t.Helper()
	src := ""
	for cmdLines < len(ex.body) {
		l := ex.body[cmdLines]
		cmdLines++
		src += strings.TrimPrefix(l, "$ ") + "\n"
		if !strings.HasSuffix(l, "\\") {
			break
		}
	}
	args, err := shell.Fields(src, func(string) string { return "" })
	if err != nil || len(args) < 2 || args[0] != "corsdiag" {
		t.Fatalf("%s:%d: not a corsdiag command: %q (%v)", ex.file, ex.line, src, err)
	}
	args = args[1:]
	if ex.arg == "files" {
		io, stdout, stderr := fakeIO(nil)
		io.Width, io.WidthSet = 80, true
		Main(args, io)
		return cmdLines, stdout.String() + stderr.String()
	}
	handler := docFixture(ex.arg)
	if handler == nil || args[0] != "check" {
		t.Fatalf("%s:%d: fixture %q is not a check golden case", ex.file, ex.line, ex.arg)
	}
	_, stdout, stderr := execCheckWidth(t, scenarioServer(t, handler), 80, args[1:]...)
	return cmdLines, stdout + stderr
}

func docFixture(name string) http.HandlerFunc {
	for _, gc := range goldenCases {
		if gc.name == name {
			return gc.handler
		}
	}
	return nil
}

// shownOutput is what a block showing shown (whole, or its first lines
// when it ends with "…") must hold for output got.
func shownOutput(shown []string, got string) []string {
	gotLines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if n := len(shown); n > 0 && shown[n-1] == "…" && len(gotLines) > n-1 {
		return append(gotLines[:n-1:n-1], "…")
	}
	return gotLines
}

func sameOutput(shown []string, got string) error {
	want := shownOutput(shown, got)
	if !slices.Equal(shown, want) {
		return fmt.Errorf("--- shown ---\n%s\n--- printed ---\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
	return nil
}

// rewriteBlock replaces the lines of a block (after its first skip lines)
// with lines, in the file's text: go test ./pkg/cli -run TestDocExamples
// -update refreshes the docs from what corsdiag prints.
func rewriteBlock(t *testing.T, ex docExample, skip int, lines []string) {
	t.Helper()
	raw, err := os.ReadFile(ex.file)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Split(string(raw), "\n")
	from := ex.line + skip // 0-based index of the first replaced line
	to := ex.line + len(ex.body)
	all = slices.Concat(all[:from], lines, all[to:])
	if err := os.WriteFile(ex.file, []byte(strings.Join(all, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDocExamples(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goldenDir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files := append([]string{filepath.Join(root, "README.md")}, docs...)
	t.Chdir(root) // the examples' files are the repository's
	ran := 0
	for _, path := range files {
		exs := docExamples(t, path)
		// Bottom up, so -update's rewrites keep the line numbers above.
		slices.Reverse(exs)
		for _, ex := range exs {
			name := fmt.Sprintf("%s:%d", filepath.Base(path), ex.line)
			t.Run(name, func(t *testing.T) {
				var skip int
				var got string
				switch ex.kind {
				case "example":
					skip, got = exampleOutput(t, ex)
				case "golden":
					want, err := os.ReadFile(filepath.Join(goldenDir, ex.arg+".golden"))
					if err != nil {
						t.Fatal(err)
					}
					got = string(want)
				default:
					t.Fatalf("%s: a console block running corsdiag needs <!-- example: FIXTURE --> on the line before it", name)
				}
				if *update {
					rewriteBlock(t, ex, skip, shownOutput(ex.body[skip:], got))
					return
				}
				if err := sameOutput(ex.body[skip:], got); err != nil {
					t.Errorf("%s: the block differs from what corsdiag prints (go test ./pkg/cli -run TestDocExamples -update rewrites it):\n%v", name, err)
				}
			})
			ran++
		}
	}
	if ran == 0 {
		t.Fatal("no examples found in README.md and docs/")
	}
}
