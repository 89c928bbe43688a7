// Command flagvar has a package-level variable named testing: its tests
// import package testing under another name.
package main

import (
	"flag"
	"fmt"
)

var testing = flag.Bool("testing", false, "test mode")

func greet(name string) string { return "hi " + name }

func main() {
	flag.Parse()
	fmt.Println(greet("you"), *testing)
}
