// Package calc is a tiny example for gorewrite's demo.
package calc

import "bytes"

// Add returns the sum of a and b.
func Add(a, b int) int { return a + b }

// Clamp limits x to [lo, hi].
func Clamp(x, lo, hi int) int {
	if x < lo {
		return lo // below the range
	}
	if x > hi {
		return hi
	}
	return x
}

// Greet says hello; + on strings is never swapped for *.
func Greet(name string) string { return "hello, " + name }

// Same reports whether a and b hold the same bytes.
func Same(a, b []byte) bool { return bytes.Compare(a, b) == 0 }
