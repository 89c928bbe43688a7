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
