// Command corsdiag tells why the browser blocked a cross-origin request and what to change on the server.
package main

import (
	"os"

	"github.com/corsdiag/corsdiag/pkg/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.SystemIO()))
}
