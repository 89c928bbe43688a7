// Package partial already has some tests, in files not named after the
// sources, next to non-test identifiers named like tests.
package partial

import (
	"os"
	"strings"
)

//go:generate go run gen.go

// Reverse has a test, TestReverse, in misc_test.go.
func Reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Bar's test name is taken by a variable in helpers_test.go.
func Bar(n int) int { return n * 2 }

// Case's test name is taken by a type in helpers_test.go.
func Case(s string, upper bool) string {
	if upper {
		return strings.ToUpper(s)
	}
	return strings.ToLower(s)
}

// Qux is only mentioned by TestQux_Edge.
func Qux(s string) int { return strings.Count(s, "q") }

// Main's test name would be TestMain, which misc_test.go declares with
// the signature go test requires.
func Main() int {
	if len(os.Args) > 5 {
		return 1
	}
	return 0
}

// Buf has a tested method and an untested one.
type Buf struct{ b []byte }

// Write is tested by TestBuf_Write.
func (b *Buf) Write(p []byte) (int, error) {
	b.b = append(b.b, p...)
	return len(p), nil
}

// Len is not tested.
func (b *Buf) Len() int { return len(b.b) }

func lower(s string) string { return strings.ToLower(s) }
