// Package onlytests has test files only.
package onlytests

import "testing"

func helper(x int) int { return x * 2 }

func TestHelper(t *testing.T) {
	if helper(2) != 4 {
		t.Error("helper")
	}
}
