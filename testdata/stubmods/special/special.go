package special

import (
	"strings"
	_ "unsafe" // for go:linkname
)

var registry = map[string]int{}

func init() { registry["a"] = 1 }

func init() { registry["b"] = 2 }

func _() {}

func _(x int) int { return x }

// Queue has a method whose test name collides with a function's.
type Queue struct{ items []int }

// Push's test is TestQueue_Push...
func (q *Queue) Push(v int) { q.items = append(q.items, v) }

// Queue_Push's test is TestQueue_Push too.
func Queue_Push(q *Queue, v int) { q.Push(v) }

// _ is a blank method.
func (Queue) _() {}

// Test is a function named Test: its test is TestTest.
func Test(s string) bool { return strings.HasPrefix(s, "test") }

// TestHelper is not a test: it is in a non-test file.
func TestHelper(name string) string { return "helper " + name }

// Helper's test would be named TestHelper, a function of this package.
func Helper() int { return 1 }

// Main would get a test named TestMain, which go vet and go test take for
// the func TestMain(*testing.M) that runs the package's tests.
func Main(args []string) int { return len(args) }

// Fuzz is named like the prefix of fuzz targets.
func Fuzz(data []byte) int { return len(data) }

// Benchmark too.
func Benchmark(n int) int { return n }

// Registered reads what init set.
func Registered(key string) (int, bool) {
	v, ok := registry[key]
	return v, ok
}

//go:linkname nanotime runtime.nanotime
func nanotime() int64

// Now has a body; nanotime has none (assembly or linkname).
func Now() int64 { return nanotime() }
