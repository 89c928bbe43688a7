//go:build ignore

// gen.go is run by go generate, not built with the package.
package main

import "fmt"

func main() { fmt.Println("generated") }

// Helper is not part of package partial.
func Helper() int { return 1 }
