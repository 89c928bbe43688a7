//go:build ignore_me

package schemata

// Triple is only built with -tags ignore_me: without the tag it is not in
// the package, and neither are its mutants.
func Triple(x int) int {
	if x > 0 && x < 100 {
		return x*2 + x
	}
	return x - x/3
}
