// Package order has a function two tests cover: with a mutant, the first
// in order takes long to fail (it prints a great deal first), past the
// first limit, while the other fails at once. The mutant is Killed,
// whatever the order and the load.
package order

// Double doubles n.
func Double(n int) int {
	return n * 2
}
