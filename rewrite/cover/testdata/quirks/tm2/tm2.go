// Package tm2's TestMain hands m to a library that exits.
package tm2

// Twice doubles x.
func Twice(x int) int {
	if x == 0 {
		return 0
	}
	return 2 * x
}
