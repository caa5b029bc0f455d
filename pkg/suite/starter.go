package suite

import _ "embed"

// Starter is the commented config `corsdiag ci init` writes. It parses as
// it stands (tested), so a new user can run it before editing it.
//
//go:embed starter.yaml
var Starter []byte
