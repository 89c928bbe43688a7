package schemata

import "sync"

// This file: package-level initializers, init(), a struct with a mutex,
// ignore directives.

const base = 5

// offsetCalls counts offset's calls; only package initialization calls it.
var offsetCalls int

func offset() int {
	offsetCalls++
	return 3
}

// Total's initializer runs before init() and before any test (and before
// TestMain): a schemata binary must know its active mutant by then, e.g.
// from a package-level var initialized from the environment that the
// initializer depends on, not from init() or TestMain.
var Total = base*2 + offset()

// Limits depends on Total: initialization order follows dependencies, not
// the order in the source.
var Limits = [2]int{Total - 1, Total + 1}

// table is filled by init(): its operators run before any test, and its
// boundary mutant (i <= len(table)) panics during initialization, crashing
// the test binary before any test runs.
var table [6]int

func init() {
	table[0] = base - 4
	for i := 1; i < len(table); i++ {
		table[i] = table[i-1] * 2
	}
}

// Table returns the i'th entry init() computed.
func Table(i int) int { return table[i] }

// Counter holds a sync.Mutex. Removing the Lock call makes the deferred
// Unlock a fatal error ("unlock of unlocked mutex"), which cannot be
// recovered: the test binary dies without a failing test.
type Counter struct {
	mu   sync.Mutex
	n    int
	hist []int
}

// Add adds d and returns the new count.
func (c *Counter) Add(d int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += d
	c.hist = append(c.hist, c.n)
	return c.n
}

// Peak returns the largest count so far; with no history, -1.
func (c *Counter) Peak() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	peak := -1
	for _, v := range c.hist {
		if v > peak {
			peak = v
		}
	}
	return peak
}

// Scale is not mutated at all: the directive is in its doc comment.
//
//gorewrite:ignore
func Scale(x, k int) int {
	if x > 0 {
		return x * k
	}
	return -x * k
}

// Neg has one line ignored and one not.
func Neg(x int) int {
	if x == 0 { //gorewrite:ignore CONDITIONALS_NEGATION,IF_CONDITION
		return 0
	}
	return -x //gorewrite:ignore
}

// Clamp's test never probes the bounds themselves: boundary mutants
// survive.
func Clamp(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// Unused has no test: NoCoverage.
func Unused(a, b int) int {
	return a*b + a%b
}
