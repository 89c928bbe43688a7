// Package lib is traced by gorewrite trace's tests.
package lib

import (
	"errors"
	"runtime"
	"sync"
)

// Fib calls itself: its calls nest on one goroutine.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

// Work runs Fib here and on a goroutine it starts.
func Work(n int) int {
	var wg sync.WaitGroup
	var other int
	wg.Add(1)
	go func() {
		defer wg.Done()
		other = Fib(n)
	}()
	mine := Fib(n)
	wg.Wait()
	return mine + other
}

// Boom panics.
func Boom() {
	panic("boom")
}

// Safe recovers from Boom's panic.
func Safe() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("recovered")
		}
	}()
	Boom()
	return nil
}

// Where returns the line it is called from and its own.
func Where() (caller, own int) {
	_, _, caller, _ = runtime.Caller(1)
	_, _, own, _ = runtime.Caller(0)
	return caller, own
}

// Stack is generic: its methods are traced too.
type Stack[E any] struct{ items []E }

// Push adds e.
func (s *Stack[E]) Push(e E) { s.items = append(s.items, e) }

// Pop takes the last item.
func (s *Stack[E]) Pop() (E, bool) {
	var zero E
	if len(s.items) == 0 {
		return zero, false
	}
	e := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return e, true
}

// Map is a generic function.
func Map[E, F any](s []E, f func(E) F) []F {
	out := make([]F, 0, len(s))
	for _, e := range s {
		out = append(out, f(e))
	}
	return out
}
