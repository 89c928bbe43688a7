// Package schemata is a test bed for gorewrite mutate's mutant schemata
// strategy (every mutant of a package in one binary, each site switching on
// the active mutant id). Building each mutant alone must give every mutant
// the same fate as the schemata binary. Each function says which rewrite
// hazard it exercises.
//
// This file: side effects and evaluation order in operands.
package schemata

import "strings"

// Log records the calls that operands make, in order. Every test makes its
// own Log: no state is shared between tests.
type Log struct{ calls []string }

func (l *Log) String() string { return strings.Join(l.calls, ",") }

// val logs name and returns v: an operand with a side effect.
func (l *Log) val(name string, v int) int {
	l.calls = append(l.calls, name)
	return v
}

// flag logs name and returns b.
func (l *Log) flag(name string, b bool) bool {
	l.calls = append(l.calls, name)
	return b
}

// key logs name and returns it, for map keys.
func (l *Log) key(name string) string {
	l.calls = append(l.calls, name)
	return name
}

// Arith: f() - g()*h(). Each operand must run exactly once, left to right,
// whichever mutant is active: _gmAddSub(id, f(), _gmMulDiv(id2, g(), h()))
// keeps that; copying an operand into several branches must still run one.
func Arith(l *Log) int {
	return l.val("f", 7) - l.val("g", 2)*l.val("h", 3)
}

// Less: the comparison template repeats its operands once per mutant in a
// chain of && / ||; exactly one copy may be evaluated.
func Less(l *Log) bool {
	return l.val("a", 1) < l.val("b", 2)
}

// Guard: ok() && touch(). touch must not run when ok is false, and under
// INVERT_LOGICAL (||) must not run when ok is true. A helper function taking
// both operands as arguments would evaluate touch eagerly.
func Guard(l *Log, ok bool) bool {
	return l.flag("ok", ok) && l.flag("touch", true)
}

// Either: ok() || touch(), the mirror of Guard.
func Either(l *Log, ok bool) bool {
	return l.flag("ok", ok) || l.flag("touch", false)
}

// InRange: a < b && c+d > e. Sites nest: + inside > inside &&, and the
// comparison templates copy the + site into each of their branches.
func InRange(a, b, c, d, e int) bool {
	return a < b && c+d > e
}

// NotBoth: !(x && y). REMOVE_NOT around an INVERT_LOGICAL site.
func NotBoth(x, y bool) bool {
	return !(x && y)
}

// Bump: m[k()]++. The key has a side effect: INCREMENT_DECREMENT as
// if/else must run k once; REMOVE_STATEMENT drops the call with the
// statement, as building the mutant alone does.
func Bump(l *Log, m map[string]int) {
	m[l.key("k")]++
}

// AddAt: a[i()] += x(). An op-assignment must not be expanded into
// a[i()] = a[i()] + x() (i would run twice). REMOVE_STATEMENT keeps only the
// right side (_ = x()): i is not called, x is.
func AddAt(l *Log, a []int) {
	a[l.val("i", 1)] += l.val("x", 10)
}

// Chain: a long left-leaning chain of one operator: every + is a site
// whose left operand holds the previous sites.
func Chain(l *Log) int {
	return l.val("p", 1) + l.val("q", 2) + l.val("r", 4) + l.val("s", 8)
}

// Call: operators in call arguments and in a method receiver expression;
// the argument order is the call's.
func Call(l *Log) string {
	parts := []string{l.key("x") + "1", l.key("y") + "2"}
	return strings.Join(parts[l.val("lo", 0):l.val("hi", 1)+1], "+")
}
