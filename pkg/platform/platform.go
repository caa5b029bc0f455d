// Package platform recognises who answered (API Gateway, S3, CloudFront,
// nginx…) from headers, bodies and host names, and turns the engine's
// generic findings into the platform's real cause and fix.
package platform

import (
	"github.com/corsdiag/corsdiag/pkg/cors"
)

// Detection names the platform that answered.
type Detection struct {
	Name       string   `json:"name"`
	Confidence string   `json:"confidence"` // high, medium, low
	Evidence   []string `json:"evidence"`
	// Layers lists every platform seen, outermost first (CloudFront in
	// front of API Gateway in front of Lambda).
	Layers []string `json:"layers,omitempty"`
}

// Input is what the platform layer looks at.
type Input struct {
	Exchange   *cors.Exchange
	Diagnosis  *cors.Diagnosis
	ErrorPaths []cors.Hop
}

// Report is the platform layer's answer.
type Report struct {
	Platform *Detection
	// Findings are platform-specific findings to add to the diagnosis.
	Findings []cors.Finding
}

// Analyze recognises the platform and explains the findings for it.
func Analyze(in Input) *Report {
	return &Report{}
}
