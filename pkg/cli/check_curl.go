package cli

import (
	"strings"

	"github.com/corsdiag/corsdiag/pkg/curlcmd"
	"github.com/corsdiag/corsdiag/pkg/redact"
	"github.com/corsdiag/corsdiag/pkg/termsafe"
)

// parseCurl reads a pasted curl command. One argument is the whole command
// as pasted (quoted in the shell); several are the words the user's shell
// already split, quoted back so curlcmd sees the same words.
//
// "Copy as fetch" and "Copy as PowerShell" are read by their own parsers;
// their words, if the shell split them, are joined with spaces.
func parseCurl(args []string) (*curlcmd.Command, error) {
	text := args[0]
	form := pastedForm(text)
	if len(args) > 1 && form == "" && cmdCopySplit(args[1:]) {
		return nil, usageErrorf("this looks like Chrome's \"Copy as cURL (cmd)\", written for Windows cmd: a POSIX shell (bash, Git Bash, WSL, zsh) took its ^\"…^\" quotes apart, leaving words such as ^https://…^. Copy it as cURL (bash) instead, or save the cmd copy to a file and run: corsdiag check --from-file FILE")
	}
	if len(args) > 1 {
		text = shellJoin(args)
		if form != "" {
			text = strings.Join(args, " ")
		}
	}
	var (
		c   *curlcmd.Command
		err error
	)
	switch form {
	case curlcmd.Fetch:
		c, err = curlcmd.ParseFetch(text)
	case curlcmd.PowerShell:
		c, err = curlcmd.ParsePowerShell(text)
	default:
		c, err = curlcmd.Parse(text)
	}
	if err != nil {
		return nil, err
	}
	// c.BodyFile is not read: a paste (maybe someone else's) may name any
	// file, and curlcmd's warning says that part goes out empty.
	return c, nil
}

// cmdCopySplit reports whether the words are a cmd copy a POSIX shell
// split: its ^"…^" quotes lose their quotes there and leave the carets
// around a word (^https://api.example.com/^).
func cmdCopySplit(words []string) bool {
	for _, w := range words {
		if len(w) > 2 && w[0] == '^' && w[len(w)-1] == '^' {
			return true
		}
	}
	return false
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
// control characters escaped line by line (the newlines are ours). It
// redacts the message whole before it splits it: a URL the message quotes
// may hold a line break, and its halves are no URL to redact.
func sanitize(msg string, hide bool) string {
	if hide {
		msg = redact.Text(msg)
	}
	return termsafe.CleanLines(msg)
}
