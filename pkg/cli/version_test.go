package cli

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	tests := []struct {
		name, stamped, module, want string
	}{
		{"stamped by goreleaser wins", "v1.2.3", "v1.2.0", "v1.2.3"},
		{"go install @version", "dev", "v1.4.0", "v1.4.0"},
		{"clone with vcs stamping", "dev", "v0.0.0-20261125150000-535743e1a2b3+dirty", "v0.0.0-20261125150000-535743e1a2b3+dirty"},
		{"no version recorded", "dev", "(devel)", "dev"},
		{"empty", "dev", "", "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bi := &debug.BuildInfo{Main: debug.Module{Version: tt.module}}
			if got := buildVersion(tt.stamped, bi); got != tt.want {
				t.Errorf("buildVersion(%q, %q) = %q, want %q", tt.stamped, tt.module, got, tt.want)
			}
		})
	}
}
