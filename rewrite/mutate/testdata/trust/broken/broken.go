// Package broken's tests do not build: its mutants are untested because
// of that, and the package stays in the report.
package broken

// Half halves n.
func Half(n int) int {
	return n / 2
}
