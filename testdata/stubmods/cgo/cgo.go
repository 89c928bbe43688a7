// Package cgo uses C: test files cannot import "C", so a function with C
// types in its signature cannot be called from a test.
package cgo

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

// Add has C types in its signature.
func Add(a, b C.int) C.int { return C.add(a, b) }

// Sum has Go types only.
func Sum(a, b int) int { return int(C.add(C.int(a), C.int(b))) }

// Twice has Go types only, and no test yet.
func Twice(a int) int { return Sum(a, a) }
