package consts

import "time"

// Unexported constants: a mutant of their declarations switches where the
// values it changes are used, and is covered by the tests that run those
// places.
const (
	rows    = 3 * 2       // values only
	cols    = rows + 1    // defined from rows
	cells   = rows * cols // from both
	spare   = 5 - 1       // never used: its mutants change nothing and are no mutants
	backoff = 2 * time.Millisecond
	greet   = 6 > 5
	ratio   = 1.0 / 4
	slots   = 2 * 2  // an array length: built alone
	probe   = 8 + 8  // the test file uses it: built alone
	idle    = 3 * 3  // used only where no test goes: NoCoverage
	halves  = 10 / 2 // in a case value
)

// board is a package-level variable: its initializer runs in every test.
var board = cells + 0

func Cells() int { return cells }

func Board() int { return board }

// Grid splits a cell number into its row and column.
func Grid(i int) (int, int) { return i / cols, i % cols }

func Wait() time.Duration { return backoff * 3 }

func Greet() string {
	if greet {
		return "hi"
	}
	return ""
}

func Quarter(x float64) float64 { return x * ratio }

func Slots() int {
	var a [slots]int
	return len(a)
}

func Probe() int { return probe }

func Idle() int { return idle }

func Classify(n int) string {
	switch n {
	case rows:
		return "rows"
	case halves:
		return "halves"
	}
	return "?"
}
