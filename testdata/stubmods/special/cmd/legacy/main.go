// Command legacy parses its flags in init, as old commands do (the
// toml-test-decoder of github.com/BurntSushi/toml, for one). A test binary
// of this package exits in init ("flag provided but not defined:
// -test.paniconexit0") before any test runs. It has no test file, so go
// test passes; a generated test file must not make it fail.
package main

import (
	"flag"
	"fmt"
	"strings"
)

var upper = flag.Bool("upper", false, "print in upper case")

func init() {
	flag.Parse()
}

func describe(args []string) string {
	s := strings.Join(args, " ")
	if *upper {
		s = strings.ToUpper(s)
	}
	return s
}

func main() {
	fmt.Println(describe(flag.Args()))
}
