// Package params has parameters and results of every shape, and names that
// a test generator uses for its own variables.
package params

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// t is a package-level type named like the generated tests' *testing.T.
type t struct{ n int }

// Double is a method on t.
func (x t) Double() t { return t{x.n * 2} }

// MakeT returns the unexported type t.
func MakeT(n int) t { return t{n} }

// Scale takes a t.
func Scale(v t, k int) int { return v.n * k }

// got is named like the generated tests' results.
func got(x int) int { return x + 1 }

// want too.
func want() string { return "want" }

// Sum is variadic.
func Sum(xs ...int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// Errorf is a printf wrapper: vet checks its calls.
func Errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Printf writes to w, a printf wrapper too.
func Printf(w io.Writer, format string, args ...any) (int, error) {
	return fmt.Fprintf(w, format, args...)
}

// Callbacks is variadic over a func type.
func Callbacks(fs ...func() error) error {
	for _, f := range fs {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// Apply has unnamed parameters.
func Apply(int, string) bool { return true }

// Ignore has blank parameters.
func Ignore(_ int, s string, _ bool) string { return s }

// Clash has parameters named like a generator's variables.
func Clash(t int, tt string, tests []string, name string, want, got bool, err error) error {
	if err != nil {
		return err
	}
	if want != got {
		return fmt.Errorf("%d %s %v %s", t, tt, tests, name)
	}
	return nil
}

// Pkgs has parameters named like packages a generator imports.
func Pkgs(reflect, testing, cmp string, context int, bytes []byte) string {
	return reflect + testing + cmp + strconv.Itoa(context) + string(bytes)
}

// Kinds takes a func, a channel, a map, an interface and an array.
func Kinds(f func(int) int, ch chan int, m map[string][]int, v interface{ Len() int }, a [4]byte) int {
	n := len(m) + len(a) + cap(ch)
	if f != nil {
		n = f(n)
	}
	if v != nil {
		n += v.Len()
	}
	return n
}

// Drain reads ch until it is closed.
func Drain(ch <-chan int) []int {
	var out []int
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Sink has no results.
func Sink(ch chan<- string, s string) {
	select {
	case ch <- s:
	default:
	}
}

// Fetch takes a context first.
func Fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return "value of " + key, nil
}

// Retry takes a context second, and a func taking one.
func Retry(n int, ctx context.Context, f func(context.Context) error) error {
	var err error
	for range n {
		if err = f(ctx); err == nil {
			return nil
		}
	}
	return err
}

// Deadline returns a context-derived value and an error.
func Deadline(ctx context.Context) (time.Time, bool) { return ctx.Deadline() }

// Render writes to w.
func Render(w io.Writer, name string) error {
	_, err := fmt.Fprintf(w, "hello %s", name)
	return err
}

// Tee writes to two writers.
func Tee(stdout, stderr io.Writer, msg string) {
	io.WriteString(stdout, msg)
	io.WriteString(stderr, msg)
}

// Report has a writer not first, and a StringWriter.
func Report(n int, w io.Writer, sw io.StringWriter) (int, error) {
	sw.WriteString(strconv.Itoa(n))
	return fmt.Fprint(w, n)
}

// DivMod has named results.
func DivMod(a, b int) (q, r int) {
	if b == 0 {
		return 0, 0
	}
	return a / b, a % b
}

// Atoi has a named error result.
func Atoi(s string) (n int, err error) {
	n, err = strconv.Atoi(s)
	return
}

// Validate returns only an error.
func Validate(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	return nil
}

// Cut has blank-named results.
func Cut(s, sep string) (_ string, _ string, found bool) {
	return strings.Cut(s, sep)
}

// Three has three results, then an error.
func Three(s string) (int, []string, map[string]bool, error) {
	return len(s), strings.Fields(s), map[string]bool{s: true}, nil
}

// Adder returns a func: not comparable with ==.
func Adder(n int) func(int) int { return func(x int) int { return x + n } }

// Gen returns a channel.
func Gen(n int) <-chan int {
	ch := make(chan int, n)
	for i := range n {
		ch <- i
	}
	close(ch)
	return ch
}

// Configure takes and returns anonymous structs; the result holds a func.
func Configure(opts struct {
	Debug bool
	Level int
}) struct {
	OK   bool
	Hook func()
} {
	return struct {
		OK   bool
		Hook func()
	}{OK: opts.Debug}
}

// Addr takes an unsafe.Pointer.
func Addr(p unsafe.Pointer) uintptr { return uintptr(p) }

// First panics on the empty string: fuzz seeds of zero values fail.
func First(s string) byte { return s[0] }

// Ratio panics when b is 0.
func Ratio(a, b int) int { return a / b }

// Nothing takes and returns nothing.
func Nothing() {}

// Either takes an error and an any.
func Either(err error, v any) any {
	if err != nil {
		return err
	}
	return v
}
