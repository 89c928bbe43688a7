// Package q holds one function per rule of cmd/cover's block splitting, so
// that gorewrite's profile can be compared with go test's line for line.
package q

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Labels and goto: a label starts a block; a labeled loop keeps its label.
func Labels(n int) int {
	i := 0
	total := 0
loop:
	if i < n {
		total += i
		i++
		goto loop
	}
outer:
	for j := 0; j < n; j++ {
		for k := 0; k < n; k++ {
			if k > j {
				continue outer
			}
			if total > 100 {
				break outer
			}
			total++
		}
	}
done:
	return total
	goto done
}

// ElseIf chains get hidden braces; else blocks start after the keyword.
func ElseIf(x int) string {
	if x < 0 {
		return "neg"
	} else if x == 0 {
		return "zero"
	} else if x < 10 {
		return "small"
	} else {
		return "big"
	}
}

// Empty blocks and clauses count with zero statements.
func Empty(x int) {
	if x > 0 {
	}
	for i := 0; i < x; i++ {
	}
	switch x {
	case 1:
	case 2:
		x++
	default:
	}
	switch {
	}
	{
	}
}

// Panic ends a block; a call named panic with two arguments does not.
func Panic(x int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	if x > 1 {
		panic("big")
	}
	x++
	return nil
}

// FuncLits in conditions, loop posts, switch tags and range expressions end
// blocks at the literal's brace.
func FuncLits(xs []int) int {
	sum := 0
	if f := func() bool { return len(xs) > 0 }; f() {
		sum++
	}
	for i := 0; i < len(xs); i = func() int { return i + 1 }() {
		sum += xs[i]
	}
	switch func() int { return sum }() {
	case 0:
		sum = -1
	}
	for _, v := range func() []int { return xs }() {
		sum += v
	}
	apply := func(f func(int) int) int { return f(sum) }
	sum = apply(func(v int) int { return v * 2 }) + apply(func(v int) int { return v + 1 })
	return sum
}

// Select with empty and non-empty clauses.
func Select(c chan int, d chan string) int {
	select {
	case v := <-c:
		return v
	case s := <-d:
		_ = s
	default:
	}
	select {}
}

// TypeSwitch with an empty clause and a fallthrough in an expression switch.
func TypeSwitch(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case string:
	case nil:
		return -1
	}
	switch n := 3; n {
	case 3:
		n++
		fallthrough
	case 4:
		return n
	}
	return 0
}

// Max is generic.
func Max[T int | float64 | string](a, b T) T {
	if a > b {
		return a
	}
	return b
}

// Stack is a generic type with methods.
type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func (s *Stack[T]) Pop() (T, bool) {
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

// Blank functions never run and get no block.
func _() { fmt.Println("never") }

// A package-level function literal has blocks of its own.
var Double = func(x int) int {
	if x > 0 {
		return 2 * x
	}
	return 0
}

// Multi has statements separated by semicolons and several blocks on a line.
func Multi(x int) int { y := x; if y > 0 { y-- }; return y }

// Exit is not called by the tests; os.Exit is redirected in instrumented
// code, which must still compile.
func Exit(code int) {
	os := "shadowed"
	_ = os
	exit(code)
}

func exit(code int) { os.Exit(code) }

// Errs uses a package named like a probe would not: errors, strings.
func Errs(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty")
	}
	return nil
}

// Closures defined inside a loop body.
func Closures(n int) []func() int {
	var fs []func() int
	for i := range n {
		fs = append(fs, func() int {
			if i%2 == 0 {
				return i
			}
			return -i
		})
	}
	return fs
}
