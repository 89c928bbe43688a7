// Package cross sums and classifies numbers with calc.
package cross

import "example.com/cross/internal/calc"

// Sum adds xs.
func Sum(xs ...int) int {
	total := 0
	for _, x := range xs {
		total = calc.Add(total, x)
	}
	return total
}

// Classify names the sign of x.
func Classify(x int) string {
	if calc.Sign(x) < 0 {
		return "negative"
	}
	return "positive"
}
