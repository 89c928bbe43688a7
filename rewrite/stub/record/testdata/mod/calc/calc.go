// Package calc is what the recorder's tests record.
package calc

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"time"
)

// Add adds.
func Add(a, b int) int { return a + b }

// ErrZero is Div's error.
var ErrZero = errors.New("division by zero")

// Div divides.
func Div(a, b int) (int, error) {
	if b == 0 {
		return 0, ErrZero
	}
	return a / b, nil
}

// Acc accumulates.
type Acc struct {
	n    int
	Name string
}

// Add adds x to the total and returns it.
func (a *Acc) Add(x int) int {
	a.n += x
	return a.n
}

// Point is a point.
type Point struct{ X, Y int }

// Scale scales p.
func (p Point) Scale(k int) Point { return Point{p.X * k, p.Y * k} }

// Words splits and counts.
func Words(s string) ([]string, map[string]int) {
	ws := strings.Fields(s)
	m := map[string]int{}
	for _, w := range ws {
		m[w]++
	}
	return ws, m
}

// Stamp is not stable: it reads the clock.
func Stamp(prefix string) string { return prefix + time.Now().String() }

// Roll is not stable either.
func Roll(n int) int { return rand.Intn(n) }

// Greet uses a context.
func Greet(ctx context.Context, name string) string {
	if ctx.Err() != nil {
		return ""
	}
	return "hello " + name
}

// Must panics on a negative number.
func Must(x int) int {
	if x < 0 {
		panic("negative")
	}
	return x
}

// Drain reads a channel.
func Drain(ch chan int) (n int) {
	for range ch {
		n++
	}
	return n
}

// Blank has blank and unnamed parameters.
func Blank(_ int, s string) (_ string, err error) { return s + s, nil }
