// Package tm's TestMain runs the tests through a helper.
package tm

// Half halves even numbers.
func Half(x int) int {
	if x%2 != 0 {
		return x
	}
	return x / 2
}
