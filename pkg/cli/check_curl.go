package cli

import (
	"strings"

	"errors"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
	"net/http"
)

// parseCurl reads a pasted curl command. One argument is the whole command
// as pasted (quoted in the shell); several are the words the user's shell
// already split, quoted back so curlcmd sees them as the same words.
func parseCurl(args []string) (*curlCommand, error) {
	// TODO(check): call curlcmd.Parse / curlcmd.ParseArgs once pkg/curlcmd lands.
	_ = shellJoin(args)
	return nil, errors.New("pasting a curl command is not available in this build yet; pass the URL and flags instead")
}

// curlCommand mirrors curlcmd.Command until that package lands.
type curlCommand struct {
	URL, Method  string
	Header       http.Header
	Body         []byte
	Cookie, User string
	Insecure     bool
}

// shellJoin quotes every word for a POSIX shell.
func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}

// sanitize makes a message safe for stderr: secrets hidden unless asked,
// control characters escaped line by line (the newlines are ours).
func sanitize(msg string, hide bool) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if hide {
			l = redact.Text(l)
		}
		lines[i] = termsafe.Clean(l)
	}
	return strings.Join(lines, "\n")
}
