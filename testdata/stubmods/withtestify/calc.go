// Package calc's module requires testify: --template testify output uses
// assert and require.
package calc

import (
	"errors"
	"strconv"
	"strings"
)

// Add adds.
func Add(a, b int) int { return a + b }

// Div fails on a zero divisor.
func Div(a, b float64) (float64, error) {
	if b == 0 {
		return 0, errors.New("division by zero")
	}
	return a / b, nil
}

// ParseList parses comma-separated integers.
func ParseList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Check returns only an error.
func Check(n int) error {
	if n < 0 {
		return errors.New("negative")
	}
	return nil
}

// Acc accumulates.
type Acc struct{ total int }

// Add adds n and returns the total.
func (a *Acc) Add(n int) int {
	a.total += n
	return a.total
}

// Stats returns several values.
func (a Acc) Stats() (total int, even bool) { return a.total, a.total%2 == 0 }

func clamp(n, lo, hi int) int { return min(max(n, lo), hi) }
