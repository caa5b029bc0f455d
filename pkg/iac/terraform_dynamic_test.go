package iac

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/platform/awsmodel"
)

// A dynamic block ("dynamic \"cors_rule\" { for_each = ...; content {...} }",
// the usual way modules make a block optional) writes the block lint reads:
// it is read as one block, its iterator's key and value unknown, with a
// warning at its line; a for_each known to be empty writes none.
func TestTerraformDynamicBlocks(t *testing.T) {
	tests := []struct {
		name, tf string
		origins  []string // of the one service's CORS; nil: no CORS
		warn     int      // the line of the warning, 0: none
	}{
		{"http api", `resource "aws_apigatewayv2_api" "h" {
  protocol_type = "HTTP"
  dynamic "cors_configuration" {
    for_each = [1]
    content {
      allow_origins = ["https://other.example.com"]
    }
  }
}`, []string{"https://other.example.com"}, 3},
		{"function url", `resource "aws_lambda_function_url" "u" {
  function_name      = "f"
  authorization_type = "NONE"
  dynamic "cors" {
    for_each = var.cors
    content {
      allow_origins = cors.value.origins
    }
  }
}`, []string{awsmodel.DeployTimeOrigin}, 4},
		{"bucket", `variable "origins" {
  default = ["https://a.example.com"]
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = aws_s3_bucket.b.id
  dynamic "cors_rule" {
    for_each = var.origins
    iterator = o
    content {
      allowed_origins = [o.value]
      allowed_methods = ["PUT"]
    }
  }
}`, []string{awsmodel.DeployTimeOrigin}, 9},
		{"empty for_each", `resource "aws_apigatewayv2_api" "h" {
  protocol_type = "HTTP"
  dynamic "cors_configuration" {
    for_each = []
    content {
      allow_origins = ["https://other.example.com"]
    }
  }
}`, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "main.tf")
			tmpl, err := Read(file, []byte(tt.tf))
			if err != nil {
				t.Fatal(err)
			}
			var origins []string
			for _, s := range tmpl.Services {
				switch s := s.(type) {
				case *awsmodel.HTTPAPI:
					if s.Cors != nil {
						origins = s.Cors.AllowOrigins
					}
				case *awsmodel.FunctionURL:
					if s.Cors != nil {
						origins = s.Cors.AllowOrigins
					}
				case *awsmodel.Bucket:
					for _, r := range s.Rules {
						origins = append(origins, r.AllowedOrigins...)
					}
				}
			}
			if strings.Join(origins, " ") != strings.Join(tt.origins, " ") {
				t.Errorf("origins %q, want %q", origins, tt.origins)
			}
			line := 0
			for _, w := range tmpl.Warnings {
				if strings.Contains(w.Msg, "dynamic") {
					line = w.Line
				}
			}
			if line != tt.warn {
				t.Errorf("dynamic warning at line %d, want %d (%v)", line, tt.warn, tmpl.Warnings)
			}
		})
	}
}
