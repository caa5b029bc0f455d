package curlcmd

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that every error is
// an *Error whose offset lies inside the text.
//
// A short run of any target here wants -fuzzminimizetime=50x: Go minimizes
// each new input by trying every cut of it, O(n²) runs for n bytes, and
// counts none of them, so one input of 500 bytes holds the exec count still
// for half a minute (FuzzCmdRoundTrip: 714 execs in 30 s). Parsing is
// linear; the 500-byte inputs take well under 1 ms.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	addDevtoolsSeeds(f, "bash", "cmd", "posix", "windows", "curl")
	for _, s := range []string{
		"curl https://x.test/", "curl -sSLXPOST -d a -d b https://x/", "curl $'\\u0021\\x00'",
		"curl ^\"a^\" ^\n\n^", "curl \"a\"\"b\" ^", "curl -H", "curl --json @- x", "curl -F a=@b x",
		"curl `x`", "curl ${x}", "curl <(x)", "curl x &", "curl.exe \"\\\\\\\"\"", "curl 'x' \\\n",
		"curl -G --data-urlencode @f --url-query +x x#y", "curl --url",
		"curl.exe \"https://x/\" --data-raw \"%USERNAME% %3Dab% %%\"", "curl ^\"https://x/^\" -d ^\"caf^ ^%^PATH^%^\"",
		"curl 'http://x/' --data-raw $'caf\\xe9 \\ud83d\\ude00 \\ud83d\\x80\\041'",
		"curl --url 'http://x/' -H 'a: ^\"b^\"' --data-raw '{\"re\":\"^\"}'",
		"curl --url ^\"http://x/^\" -d ^\"^(^%^PATH^%^)^`^\" -b ^\"a=^%^b^\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text)
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if e.Offset < 0 || e.Offset > len(text) {
				t.Fatalf("offset %d outside text of %d bytes", e.Offset, len(text))
			}
			return
		}
		if c.URL == "" || c.Method == "" || c.Header == nil {
			t.Fatalf("incomplete command %+v", c)
		}
		c.ScriptHeader()
		c.CORSRequest()
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"chrome-bash.txt", "chrome-cmd.txt"} {
		text, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(string(text)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
