// Package stmts has mutation sites in statement positions where an
// if/else cannot go (for post and init statements, if and switch init
// statements) and statements whose meaning depends on where they are
// (break and continue in select and switch, terminating statements, goto,
// fallthrough, closures).
package stmts

import (
	"errors"
	"sort"
	str "strings"
	tm "time"
)

// Triangle: the post statement i++ is a simple statement: it cannot become
// if _gmM == n { i-- } else { i++ }. Its i-- mutant never ends: Timeout.
func Triangle(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

// SumEvens: i += 2 as a post statement; i -= 2 never ends, i = 2 neither.
// (Loops that may never end allocate nothing, so a Timeout is never an
// out-of-memory crash instead.)
func SumEvens(n int) int {
	s := 0
	for i := 0; i < n; i += 2 {
		s += i
	}
	return s
}

// Fib: a, b = b, a+b; REMOVE_STATEMENT keeps the right side: _, _ = b, a+b.
func Fib(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}

// Sign: if x := f(); x > 0 with an else-if using x.
func Sign(f func() int) string {
	if x := f(); x > 0 {
		return "+"
	} else if x < 0 {
		return "-"
	}
	return "0"
}

// Classify: switch y := g(); { ... } with comparison case expressions.
func Classify(g func() int) string {
	switch y := g(); {
	case y < 0:
		return "neg"
	case y == 0:
		return "zero"
	case y < 10:
		return "small"
	}
	return "big"
}

// Halve: n = n / 2 as a switch's init statement (REMOVE_STATEMENT there
// loops forever: Timeout).
func Halve(n int) int {
	steps := 0
	for n > 1 {
		switch n = n / 2; {
		case n%2 == 1:
			steps += 2
		default:
			steps++
		}
	}
	return steps
}

// Drain: a for {} that ends in break, in a function that must return
// after it; n-- is an if's init statement. n++, continue for break, and
// removing n-- never end.
func Drain(n int) int {
	rounds := 0
	for {
		if n--; n < 0 {
			break
		}
		rounds++
	}
	return rounds
}

// FirstNeg ends in a for {} without break: a terminating statement, so no
// return follows. Its continue -> break mutant does not compile alone
// ("missing return"); a schemata if/else holding both would break the
// whole package.
func FirstNeg(xs []int) int {
	i := 0
	for {
		if i >= len(xs) {
			return -1
		}
		if xs[i] >= 0 {
			i++
			continue
		}
		return i
	}
}

// Grade: this break leaves a switch that is in no loop: break -> continue
// is not valid Go. g += "+" on a string has no -= mutant.
func Grade(score int) string {
	g := "F"
	switch {
	case score >= 90:
		g = "A"
	case score >= 50:
		g = "P"
		if score == 50 {
			break
		}
		g += "+"
	}
	return g
}

// FindPair: labeled continue and break out of nested loops, and a for init
// statement that is an assignment (i = 0).
func FindPair(xs []int, target int) (i, j int, ok bool) {
outer:
	for i = 0; i < len(xs); i++ {
		for j = i + 1; j < len(xs); j++ {
			if xs[j] < 0 {
				continue outer
			}
			if xs[i]+xs[j] == target {
				ok = true
				break outer
			}
		}
	}
	return i, j, ok
}

// Collatz: goto and labels; the function ends in goto (terminating). A
// rewrite that declares variables between a goto and its label would not
// compile. n /= 2 -> n *= 2 reaches 0 and then never ends.
func Collatz(n int) int {
	steps := 0
loop:
	if n == 1 {
		return steps
	}
	steps++
	if n%2 == 0 {
		n /= 2
		goto loop
	}
	n = 3*n + 1
	goto loop
}

// Pump: statements in select cases. Each select has one comm case and a
// default, so it is deterministic. The break inside the second select
// leaves the select, not the for: that for {} stays terminating, and
// break -> continue is an equivalent mutant (survives).
func Pump(in []int) (sum, dropped int) {
	ch := make(chan int, 2)
	for _, v := range in {
		select {
		case ch <- v * 2:
		default:
			dropped++
		}
	}
	for {
		select {
		case v := <-ch:
			if v < 0 {
				break
			}
			sum += v
		default:
			return sum, dropped
		}
	}
}

// Perms: case bodies ending in fallthrough, which must stay their last
// statement; |= sites before it.
func Perms(level int) (p int) {
	switch level {
	case 3:
		p |= 4
		fallthrough
	case 2:
		p |= 2
		fallthrough
	case 1:
		p |= 1
	default:
		p = 0
	}
	return p
}

// Sorted: the closure's return s[i] < s[j] gets RETURN_ZERO as the
// closure's result (false), not Sorted's; sort.Slice is a void call
// (REMOVE_STATEMENT).
func Sorted(s []int) []int {
	out := append([]int(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

var errDiv = errors.New("division by zero")

// SafeDiv: a deferred closure sets the named results after a panic; the
// deferred call's argument (a + b) is evaluated at the defer statement.
func SafeDiv(a, b int, trace *[]int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errDiv
			q = -1
		}
	}()
	defer record(trace, a+b)
	q = a / b
	return q, nil
}

func record(trace *[]int, v int) {
	*trace = append(*trace, v)
}

// KV: return f() with a tuple call; RETURN_ZERO must give three zero
// values ("", "", false), not one per expression.
func KV(s string) (string, string, bool) {
	return str.Cut(s, "=")
}

// Deadline: RETURN_ZERO of a struct type from a renamed import must be
// spelled tm.Time{}.
func Deadline(base tm.Time, n int) tm.Time {
	return base.Add(tm.Duration(n*2) * tm.Second)
}

// Point is a struct; Mid's RETURN_ZERO is Point{}.
type Point struct{ X, Y int }

func Mid(a, b Point) Point {
	return Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2}
}

// Adder returns a closure: RETURN_ZERO gives nil outside, 0 inside.
func Adder(k int) func(int) int {
	return func(x int) int { return x + k }
}

// At is the one whose mutants panic: i <= len(xs) and || index out of
// range in the test.
func At(xs []int, i int) int {
	if i >= 0 && i < len(xs) {
		return xs[i]
	}
	return -1
}
