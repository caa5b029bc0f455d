package lint

import (
	"bytes"
	"encoding/json"
	"testing"
)

// What a template could not show (a module, a definition in S3…) reaches
// code scanning too: a tool execution notification at its line.
func TestSARIFTemplateWarnings(t *testing.T) {
	rep := lintSource(t, "main.tf", []byte("module \"api\" {\n  source = \"terraform-aws-modules/apigateway-v2/aws\"\n}\n"), Options{Origins: []string{"https://app.example.com"}})
	var b bytes.Buffer
	if err := WriteSARIF(&b, rep, "test"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Invocations []struct {
				Notes []struct {
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
					Locations []struct {
						Physical struct {
							Artifact struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
							Region struct {
								StartLine int `json:"startLine"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	notes := doc.Runs[0].Invocations[0].Notes
	if len(notes) != 1 || notes[0].Level != "warning" || len(notes[0].Locations) != 1 ||
		notes[0].Locations[0].Physical.Artifact.URI != "main.tf" || notes[0].Locations[0].Physical.Region.StartLine != 1 {
		t.Fatalf("notifications %+v\n%s", notes, b.String())
	}
}
