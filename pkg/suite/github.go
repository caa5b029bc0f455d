package suite

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// WriteGitHubAnnotations prints one ::error workflow command per failed
// check × origin, on the check's line of the config file, so the failure
// shows in the job log and on the pull request's diff.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
func (r *Report) WriteGitHubAnnotations(w io.Writer) error {
	ew := &errWriter{w: w}
	file := AnnotationPath(r.Config.Path, r.BaseDir, r.WorkDir)
	for _, o := range []Outcome{Failed, Unreachable, Errored} {
		for _, res := range r.failures(o) {
			e := res.Explain()
			title := "CORS check failed"
			msg := fmt.Sprintf("%s (%s): expected %s, got %s [%s]. %s", r.clean(res, res.Check.Name), res.Target.Label(),
				res.Target.Expect, res.GotText(), e.Code, r.clean(res, e.Cause))
			if o != Failed {
				title = "Endpoint unreachable"
				msg = fmt.Sprintf("%s (%s %s): %s", r.clean(res, res.Check.Name), res.Check.Method, r.URL(res), r.clean(res, e.Cause))
			}
			if e.Fix != "" {
				msg += "\nFix: " + r.clean(res, e.Fix)
			}
			fmt.Fprintf(ew, "::error file=%s,line=%d,title=%s::%s\n",
				escapeProperty(file), res.Check.Line, escapeProperty(title), escapeData(msg))
		}
	}
	if r.Lint != nil {
		for _, f := range r.Lint.Findings {
			if f.Severity != cors.SeverityError {
				continue
			}
			fmt.Fprintf(ew, "::error file=%s,line=%d,col=%d,title=%s::%s\n", escapeProperty(AnnotationPath(f.File, r.BaseDir, r.WorkDir)), f.Line, f.Column,
				escapeProperty("CORS: "+string(f.Code)), escapeData(termsafe.CleanLines(f.Route+" from "+f.Origin+": "+f.Message+"\nFix: "+f.Fix)))
		}
	}
	return ew.err
}

// AnnotationPath is the config path relative to the workspace, which is
// what GitHub needs to place an annotation on a file; a relative path is
// relative to workDir, where corsdiag ran.
func AnnotationPath(path, workspace, workDir string) string {
	return filepath.ToSlash(relativePath(path, workspace, workDir))
}

// ConfigAnnotation is the ::error workflow command for a problem in a
// config file (at line), escaped as annotations are; msg must already be
// redacted.
func ConfigAnnotation(file string, line int, msg string) string {
	return fmt.Sprintf("::error file=%s,line=%d,title=corsdiag config::%s", escapeProperty(file), line, escapeData(msg))
}

// escapeData and escapeProperty follow the runner's own escaping
// (actions/toolkit command.ts): % \r \n always, and : , in properties.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WithoutCommands writes what write writes between ::stop-commands::TOKEN
// and ::TOKEN:: (a fresh random token), so that the GitHub Actions runner
// runs none of it as a workflow command: the text report quotes server
// headers, and the runner takes "##[add-mask]…" anywhere in a line, and
// "::name::…" at the start of one (which wrapping to COLUMNS can make), as
// commands. This is the runner's documented way to print untrusted text.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands
func WithoutCommands(w io.Writer, write func(io.Writer) error) error {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := "corsdiag-" + hex.EncodeToString(b[:])
	if _, err := fmt.Fprintf(w, "::stop-commands::%s\n", token); err != nil {
		return err
	}
	lw := &lastByteWriter{w: w, last: '\n'}
	err := write(lw)
	// Resume even after a failed write: the annotations come next. The
	// runner takes ::TOKEN:: only at the start of a line.
	resume := "::" + token + "::\n"
	if lw.last != '\n' {
		resume = "\n" + resume
	}
	if _, rerr := io.WriteString(w, resume); err == nil {
		err = rerr
	}
	return err
}

// lastByteWriter remembers the last byte written through it.
type lastByteWriter struct {
	w    io.Writer
	last byte
}

func (l *lastByteWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if n > 0 {
		l.last = p[n-1]
	}
	return n, err
}

// NoAzureCommands returns a writer that passes text on to w with every
// "##vso[" (any case) shown as "##vso\[", and flush, which writes what is
// left of the last line. The Azure Pipelines agent runs "##vso[…]"
// anywhere in a line of a step's output as a logging command (set a
// variable, prepend PATH, mark the task succeeded) and has no way to stop
// that for a while, so the text itself must not hold one.
// https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands
func NoAzureCommands(w io.Writer) (io.Writer, func() error) {
	f := &vsoFilter{w: w}
	return f, f.flush
}

type vsoFilter struct {
	w       io.Writer
	pending []byte
}

func (f *vsoFilter) Write(p []byte) (int, error) {
	f.pending = append(f.pending, p...)
	// Whole lines only: a prefix split over two writes is still found.
	if i := bytes.LastIndexByte(f.pending, '\n'); i >= 0 {
		if _, err := f.w.Write(defuseVSO(f.pending[:i+1])); err != nil {
			return 0, err
		}
		f.pending = append(f.pending[:0], f.pending[i+1:]...)
	}
	return len(p), nil
}

func (f *vsoFilter) flush() error {
	if len(f.pending) == 0 {
		return nil
	}
	_, err := f.w.Write(defuseVSO(f.pending))
	f.pending = f.pending[:0]
	return err
}

// defuseVSO puts a backslash before the [ of every "##vso[", any case.
func defuseVSO(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i+6 <= len(b); i++ {
		if b[i] == '#' && b[i+1] == '#' && b[i+2]|0x20 == 'v' && b[i+3]|0x20 == 's' && b[i+4]|0x20 == 'o' && b[i+5] == '[' {
			out = append(out, b[last:i+5]...)
			out = append(out, '\\')
			last = i + 5
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
