package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// terraformSnippets returns the [terraform] forms of a printed fix.
func terraformSnippets(fix string) []string {
	var out []string
	for _, part := range strings.Split(fix, "\n[")[1:] {
		title, body, _ := strings.Cut(part, "\n")
		if !strings.HasPrefix(title, "terraform]") {
			continue
		}
		body, _, _ = strings.Cut(body, "\nOther forms:")
		out = append(out, body)
	}
	return out
}

// Every Terraform form lint prints for the broken fixtures parses as HCL
// (the fix proof pastes the other forms; these it cannot).
func TestLintTerraformFixesParse(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/lint/mistakes/*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".openapi.yaml") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			got, _, _ := runLintJSON(t, append([]string{f, "--fix-format", "terraform"}, lintArgs(t, f)...)...)
			for _, x := range got.Findings {
				for _, s := range terraformSnippets(x.Fix) {
					n++
					if _, diags := hclsyntax.ParseConfig([]byte(s), "fix.tf", hcl.InitialPos); diags.HasErrors() {
						t.Errorf("%s %s: the terraform fix does not parse: %s\n%s", x.Code, x.Route, diags.Error(), s)
					}
				}
			}
		})
	}
	t.Logf("%d terraform snippets parsed", n)
	if n < 5 {
		t.Fatalf("only %d terraform snippets checked", n)
	}
}

// A fix names the bucket the template names, never a guess: a bucket whose
// name the template leaves to AWS (no name, bucket_prefix, a name built at
// deploy time) gets the placeholder, since a guessed name pasted into the
// configuration resource would move the rules to another bucket and delete
// the working ones.
func TestLintS3FixNamesTheBucket(t *testing.T) {
	const rule = `
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = aws_s3_bucket.uploads.id
  cors_rule {
    allowed_origins = ["https://app.example.com"]
    allowed_methods = ["GET"]
  }
}
`
	tests := []struct{ name, bucket, want string }{
		{"named", `bucket = "my-uploads"`, `bucket = "my-uploads"`},
		{"prefix", `bucket_prefix = "uploads-"`, `bucket = "YOUR_BUCKET"`},
		{"unnamed", ``, `bucket = "YOUR_BUCKET"`},
		{"deploy time", `bucket = "uploads-${var.env}"`, `bucket = "YOUR_BUCKET"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "main.tf")
			src := "resource \"aws_s3_bucket\" \"uploads\" {\n  " + tt.bucket + "\n}\n" + rule
			if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, _ := runLintJSON(t, f, "--origin", "https://app.example.com", "-X", "PUT")
			n := 0
			for _, x := range got.Findings {
				for _, s := range terraformSnippets(x.Fix) {
					if strings.Contains(s, "aws_s3_bucket_cors_configuration") {
						n++
						if !strings.Contains(s, tt.want) {
							t.Errorf("%s: the fix does not say %s:\n%s", x.Code, tt.want, s)
						}
					}
				}
			}
			if n == 0 {
				t.Fatalf("no S3 terraform fix: %+v", got.Findings)
			}
		})
	}
}
