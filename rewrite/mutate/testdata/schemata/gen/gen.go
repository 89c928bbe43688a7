// Package gen exercises operators on type parameters. A schemata helper
// such as _gmAddSub[T] needs a constraint that every instantiation
// satisfies, and a mutant that does not type-check for the constraint (-
// on a set with ~string, % on floats) must not exist at all.
package gen

import (
	"cmp"
	"strconv"
)

// Number is a type set without a core type.
type Number interface {
	~int | ~int64 | ~float64
}

// Integer allows % and bitwise operators; ~uint8 wraps.
type Integer interface {
	~int | ~uint8
}

// Float allows untyped float constants such as 1.5.
type Float interface {
	~float32 | ~float64
}

// Sum: s += x on T (INVERT_ASSIGNMENTS, REMOVE_SELF_ASSIGNMENTS).
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// Mean: / on T and a conversion T(len(xs)); RETURN_ZERO of T.
func Mean[T Number](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	return Sum(xs...) / T(len(xs))
}

// Mod: % exists only for integer type sets; % -> * is fine.
func Mod[T Integer](a, b T) T {
	return a % b
}

// Gcd: a multiple assignment with % on T inside a loop.
func Gcd[T Integer](a, b T) T {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Scale: an untyped float constant multiplies T; only valid because the
// type set is all floats.
func Scale[T Float](x T) T {
	return x*1.5 - 0.25
}

// Abs: unary minus on T (INVERT_NEGATIVES) and < against untyped 0.
func Abs[T Number](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// Max: cmp.Ordered includes ~string; < is valid for every instantiation.
func Max[T cmp.Ordered](a, b T) T {
	if a < b {
		return b
	}
	return a
}

// Concat: + on cmp.Ordered is addition or concatenation; the mutant a - b
// does not type-check (strings), so it must not exist, and a helper
// constrained to types with both + and - cannot take T.
func Concat[T cmp.Ordered](a, b T) T {
	return a + b
}

// Text includes ~string directly.
type Text interface {
	~string | ~int
}

// Repeat builds s+s+...; for strings += concatenates and has no -=
// mutant. Ranging over an int leaves no loop condition or post statement
// to mutate into an endless, allocating loop.
func Repeat[T Text](s T, n int) T {
	var out T
	for range n {
		out += s
	}
	return out
}

// Labeled has a method and a type set: operators come from the type set,
// String from the method set.
type Labeled interface {
	~int | ~float64
	String() string
}

// Score implements Labeled.
type Score int

// String concatenates: "score:" + ..., whose - mutant does not compile.
func (s Score) String() string {
	return "score:" + strconv.Itoa(int(s))
}

// Best compares Labeled values and calls their method.
func Best[T Labeled](xs []T) string {
	if len(xs) == 0 {
		return ""
	}
	best := xs[0]
	for _, x := range xs[1:] {
		if x > best {
			best = x
		}
	}
	return best.String()
}

// Acc is a generic type; its methods' operators work on its parameter.
type Acc[T Number] struct {
	total T
	n     int
	min   T
}

// Add: ||, < on T, += on T and n++ in a generic method.
func (a *Acc[T]) Add(x T) {
	if a.n == 0 || x < a.min {
		a.min = x
	}
	a.total += x
	a.n++
}

// Mean: RETURN_ZERO of (T, bool) in a method of a generic type.
func (a *Acc[T]) Mean() (T, bool) {
	if a.n == 0 {
		return 0, false
	}
	return a.total / T(a.n), true
}

// Min returns the smallest value added.
func (a *Acc[T]) Min() T {
	return a.min
}

// Pair's Join is + on a generic type's parameter: string or number.
type Pair[T cmp.Ordered] struct{ A, B T }

func (p Pair[T]) Join() T {
	return p.A + p.B
}

// Less compares the two halves: >= on T.
func (p Pair[T]) Less() bool {
	return !(p.A >= p.B)
}

// Update's parameter new shadows the builtin: a RETURN_ZERO mutant spelled
// return *new(V), false would not compile here; var zero V would.
func Update[K comparable, V any](m map[K]V, k K, new V) (V, bool) {
	old, ok := m[k]
	m[k] = new
	return old, ok
}

// Rotl8 shifts a ~uint8 T by a variable count: << and >> on T, and 8 - k.
func Rotl8[T ~uint8](x T, k uint) T {
	return x<<k | x>>(8-k)
}

// Count: == on comparable T inside a range loop, with continue.
func Count[T comparable](xs []T, v T) int {
	n := 0
	for _, x := range xs {
		if x != v {
			continue
		}
		n++
	}
	return n
}
