// Package fates has mutants whose fate is known: its tests kill some,
// miss some on purpose, hang on one and crash on another.
package fates

import "os"

// Add is tested well: its mutants are killed.
func Add(a, b int) int {
	return a + b
}

// Max's test never compares equal inputs: the boundary mutant survives.
func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Untested has no test: its mutants have no coverage.
func Untested(x int) int {
	return x * 2
}

// Countdown counts the steps down to zero; n++ never gets there.
func Countdown(n int) int {
	steps := 0
	for n > 0 {
		n--
		steps++
	}
	return steps
}

// At returns s[i], or -1 out of range: i <= len(s) panics.
func At(s []int, i int) int {
	if i < len(s) {
		return s[i]
	}
	return -1
}

// Check exits when !ok: the test binary dies without a test failing.
func Check(ok bool) {
	if !ok {
		os.Exit(3)
	}
}

// Neg is not to be mutated.
func Neg(x int) int {
	return -x //gorewrite:ignore
}

// Size is the length of the test's array: Size - 1 makes it negative, a
// compile error the package alone does not show.
const Size = 2 + 1

// Skip is not to be mutated at all.
//
//gorewrite:ignore
func Skip(a, b int) int {
	return a - b
}

// Save writes saved.txt when dirty. A mutant makes it write, into the
// directory its test runs in: that must not be the user's.
func Save(dirty bool) error {
	if dirty {
		return os.WriteFile("saved.txt", []byte("x"), 0o666)
	}
	return nil
}

// counter is what Set leaves for Get: TestGet passes only after TestSet.
var counter int

// Set sets the counter to twice n.
func Set(n int) {
	counter = n * 2
}

// Get returns the counter.
func Get() int {
	return counter
}

// Limit is an array length in an internal test: its mutant that makes the
// length negative is never made.
const Limit = 4 + 1

// Sign is never called: its case expressions have no coverage either.
func Sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Tick's test passes only the first time it runs (it is flaky): its kills
// are checked against the unmutated code and not believed.
func Tick(n int) int {
	return n + 1
}
