// Package paths is tested by tests that look at where they run: the
// paths their binary records (runtime.Caller), the working directory,
// and files beside their source. Under gorewrite mutate they must see
// what they see under go test: one tree.
package paths

import "strings"

// Greet greets name.
func Greet(name string) string {
	return "hello, " + strings.TrimSpace(name)
}

// Large reports whether n is large; a test writes a file beside its
// source when it is, so a mutant that makes 5 large writes one.
func Large(n int) bool {
	return n > 100
}
