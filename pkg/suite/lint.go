package suite

import (
	"errors"
	"path/filepath"

	"github.com/corsdiag/corsdiag/pkg/iac"
	"github.com/corsdiag/corsdiag/pkg/lint"
)

// RunLint lints the config's lint: templates (paths relative to the config
// file) and merges the outcomes into one report; nil when there are none. A
// template that cannot be read is a *ConfigError at its entry's line.
func RunLint(cfg *Config) (*lint.Report, error) {
	if len(cfg.Lint) == 0 {
		return nil, nil
	}
	out := &lint.Report{}
	for _, t := range cfg.Lint {
		path := t.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(cfg.Path), path)
		}
		tmpl, err := iac.ReadFile(path)
		if err != nil {
			msg := err.Error()
			var pe *iac.ParseError
			if errors.As(err, &pe) {
				msg = pe.Error()
			}
			return nil, &ConfigError{File: cfg.Path, Line: t.Line, Msg: "lint: " + msg}
		}
		rep, err := lint.Lint([]*iac.Template{tmpl}, lint.Options{Origins: t.Origins, Header: t.Header, Credentials: t.Credentials, Routes: t.Routes})
		if err != nil {
			return nil, &ConfigError{File: cfg.Path, Line: t.Line, Msg: "lint: " + err.Error()}
		}
		out.Templates = append(out.Templates, rep.Templates...)
		out.Results = append(out.Results, rep.Results...)
		out.Findings = append(out.Findings, rep.Findings...)
	}
	return out, nil
}
