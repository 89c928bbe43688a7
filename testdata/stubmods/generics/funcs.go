// Package generics has generic functions and types: constraints of every
// kind, type parameters only in results, methods on generic types.
package generics

import (
	"cmp"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// Number is a union constraint.
type Number interface {
	~int | ~int64 | ~float64
}

// Map applies f; S's constraint refers to E.
func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	out := make([]R, 0, len(s))
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

// Filter keeps the elements keep accepts.
func Filter[S ~[]E, E any](s S, keep func(E) bool) S {
	var out S
	for _, v := range s {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// Index returns the index of v in s, or -1.
func Index[S ~[]E, E comparable](s S, v E) int {
	for i := range s {
		if s[i] == v {
			return i
		}
	}
	return -1
}

// Keys returns the keys of m.
func Keys[M ~map[K]V, K comparable, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// Max is variadic over an ordered type.
func Max[T cmp.Ordered](x T, rest ...T) T {
	for _, y := range rest {
		x = max(x, y)
	}
	return x
}

// Sum uses a named union constraint.
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

// Abs uses an inline union.
func Abs[T ~int | ~float64](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// Clamp uses an inline interface.
func Clamp[T interface{ ~int | ~uint8 }](x, lo, hi T) T {
	return min(max(x, lo), hi)
}

// Zero has its type parameter only in the result.
func Zero[T any]() T {
	var z T
	return z
}

// MakeSlice has S only in the result.
func MakeSlice[S ~[]E, E any](n int) S { return make(S, n) }

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// Equal compares two comparable values.
func Equal[T comparable](a, b T) bool { return a == b }

// Upper works on any string type.
func Upper[S ~string](s S) S { return S(strings.ToUpper(string(s))) }

// Join needs a type with a String method: int will not do.
func Join[T fmt.Stringer](xs []T, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.String()
	}
	return strings.Join(parts, sep)
}

// Celsius satisfies fmt.Stringer and the Setter constraint below.
type Celsius float64

func (c Celsius) String() string { return strconv.FormatFloat(float64(c), 'f', 1, 64) + "C" }

// Set parses a temperature.
func (c *Celsius) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "C"), 64)
	if err != nil {
		return err
	}
	*c = Celsius(f)
	return nil
}

// Parse uses the pointer-method constraint idiom.
func Parse[T any, PT interface {
	*T
	Set(string) error
}](s string) (T, error) {
	var v T
	err := PT(&v).Set(s)
	return v, err
}

// Collect drains an iterator.
func Collect[T any](seq iter.Seq[T]) []T {
	var out []T
	for v := range seq {
		out = append(out, v)
	}
	return out
}

// reduce is unexported and generic.
func reduce[T, A any](xs []T, init A, f func(A, T) A) A {
	acc := init
	for _, x := range xs {
		acc = f(acc, x)
	}
	return acc
}

// Version's methods satisfy the self-referential constraints below.
type Version struct{ Major, Minor int }

// Less orders versions.
func (v Version) Less(w Version) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

// Clone returns a copy.
func (v Version) Clone() Version { return v }

// Least needs a type with a method taking itself.
func Least[T interface{ Less(T) bool }](x T, rest ...T) T {
	for _, y := range rest {
		if y.Less(x) {
			x = y
		}
	}
	return x
}

// Dup needs a type with a method returning itself.
func Dup[T interface{ Clone() T }](x T) []T { return []T{x, x.Clone()} }
