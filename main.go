// Command gorewrite loads Go packages, runs rewrite rules over their syntax
// trees and prints diffs or rewritten source. See README.md.
package main

import (
	"os"

	"github.com/gorewrite/gorewrite/cmd"
)

func main() {
	os.Exit(cmd.Execute())
}
