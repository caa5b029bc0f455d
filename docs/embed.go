// Package docs embeds the finding pages so `corsdiag explain` works offline.
package docs

import "embed"

// Findings holds docs/findings/<code>.md.
//
//go:embed findings/*.md
var Findings embed.FS
