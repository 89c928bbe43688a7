// Package calc is tested mostly through its callers: only Double has a
// test of its own.
package calc

// Add is tested by the root package's tests.
func Add(a, b int) int {
	return a + b
}

// Sign is tested only by the integration tests, through cross.Classify.
func Sign(x int) int {
	if x < 0 {
		return -1
	}
	return 1
}

// Double has a test here.
func Double(x int) int {
	return x * 2
}

// Unused is tested by nothing.
func Unused(x int) int {
	return x - 1
}
