// Command tool is a package main with a testable run function.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: tool ARGS")
		return 2
	}
	fmt.Fprintln(stdout, args)
	return 0
}

func init() {}
