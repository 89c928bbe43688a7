//go:build integration

package partial

// Slow is only built with -tags integration: its test needs the same
// constraint, or go vet without the tag fails.
func Slow(n int) int { return n * n }
