// Package shadow declares package-level names that collide with packages a
// test generator imports: reflect, bytes, context and cmp. (html/template
// has a type named context; comparators named cmp predate package cmp.)
// The module says go 1.22: a test cannot use t.Context().
package shadow

import (
	stdctx "context"
	"io"
	"slices"
)

// bytes is a size, not the package.
const bytes = 4 << 10

// cmp is a comparator.
func cmp(a, b int) int { return a - b }

// reflect describes a value.
func reflect(v any) string {
	if v == nil {
		return "nil"
	}
	return "value"
}

// context is a parser state.
type context struct {
	state int
	delim string
}

func (c context) String() string { return c.delim }

// Clone returns a slice: comparing it needs more than ==.
func Clone(xs []int) []int { return slices.Clone(xs) }

// Sorted sorts with cmp.
func Sorted(xs []int) []int {
	ys := slices.Clone(xs)
	slices.SortFunc(ys, cmp)
	return ys
}

// Write writes at most bytes bytes of p to w.
func Write(w io.Writer, p []byte) error {
	if len(p) > bytes {
		p = p[:bytes]
	}
	_, err := w.Write(p)
	return err
}

// Describe returns a map.
func Describe(vs ...any) map[string]int {
	m := map[string]int{}
	for _, v := range vs {
		m[reflect(v)]++
	}
	return m
}

// Load takes a standard context.
func Load(ctx stdctx.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []byte(key), nil
}

func escape(c context, s string) (context, string) { return context{state: c.state + 1}, s }
