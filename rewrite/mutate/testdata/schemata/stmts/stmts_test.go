package stmts

import (
	"slices"
	"testing"
	"time"
)

func TestLoops(t *testing.T) {
	if Triangle(5) != 10 || Triangle(0) != 0 {
		t.Error("Triangle")
	}
	if SumEvens(7) != 12 {
		t.Error("SumEvens")
	}
	if Fib(10) != 55 {
		t.Error("Fib")
	}
}

func TestSign(t *testing.T) {
	for x, want := range map[int]string{3: "+", -2: "-", 0: "0"} {
		if got := Sign(func() int { return x }); got != want {
			t.Errorf("Sign(%d) = %q", x, got)
		}
	}
}

// TestClassify never tries 10: the y < 10 boundary mutant survives.
func TestClassify(t *testing.T) {
	for y, want := range map[int]string{-1: "neg", 0: "zero", 5: "small", 20: "big"} {
		if got := Classify(func() int { return y }); got != want {
			t.Errorf("Classify(%d) = %q", y, got)
		}
	}
}

func TestHalve(t *testing.T) {
	if got := Halve(20); got != 6 {
		t.Errorf("Halve(20) = %d", got)
	}
}

func TestDrain(t *testing.T) {
	if got := Drain(3); got != 3 {
		t.Errorf("Drain(3) = %d", got)
	}
}

func TestFirstNeg(t *testing.T) {
	if FirstNeg([]int{1, 2, -3, 4}) != 2 || FirstNeg([]int{1}) != -1 {
		t.Error("FirstNeg")
	}
}

// TestGrade never tries 50 or 90: those mutants survive.
func TestGrade(t *testing.T) {
	for s, want := range map[int]string{95: "A", 70: "P+", 10: "F"} {
		if got := Grade(s); got != want {
			t.Errorf("Grade(%d) = %q", s, got)
		}
	}
}

func TestFindPair(t *testing.T) {
	if i, j, ok := FindPair([]int{1, 4, -1, 3, 5}, 8); i != 3 || j != 4 || !ok {
		t.Errorf("FindPair = %d, %d, %v", i, j, ok)
	}
	if i, j, ok := FindPair([]int{1, 2}, 10); i != 2 || j != 2 || ok {
		t.Errorf("FindPair none = %d, %d, %v", i, j, ok)
	}
}

func TestCollatz(t *testing.T) {
	if got := Collatz(6); got != 8 {
		t.Errorf("Collatz(6) = %d", got)
	}
}

func TestPump(t *testing.T) {
	if sum, dropped := Pump([]int{1, 2, 3}); sum != 6 || dropped != 1 {
		t.Errorf("Pump = %d, %d", sum, dropped)
	}
	if sum, dropped := Pump([]int{-1, 4}); sum != 8 || dropped != 0 {
		t.Errorf("Pump negative = %d, %d", sum, dropped)
	}
}

func TestPerms(t *testing.T) {
	for level, want := range map[int]int{3: 7, 2: 3, 1: 1, 9: 0} {
		if got := Perms(level); got != want {
			t.Errorf("Perms(%d) = %d", level, got)
		}
	}
}

func TestSorted(t *testing.T) {
	in := []int{3, 1, 2}
	if got := Sorted(in); !slices.Equal(got, []int{1, 2, 3}) || in[0] != 3 {
		t.Errorf("Sorted = %v, input %v", got, in)
	}
}

func TestSafeDiv(t *testing.T) {
	var trace []int
	if q, err := SafeDiv(7, 2, &trace); q != 3 || err != nil {
		t.Errorf("SafeDiv(7, 2) = %d, %v", q, err)
	}
	if q, err := SafeDiv(1, 0, &trace); q != -1 || err != errDiv {
		t.Errorf("SafeDiv(1, 0) = %d, %v", q, err)
	}
	if !slices.Equal(trace, []int{9, 1}) {
		t.Errorf("trace = %v", trace)
	}
}

func TestReturns(t *testing.T) {
	if k, v, ok := KV("a=b"); k != "a" || v != "b" || !ok {
		t.Errorf("KV = %q, %q, %v", k, v, ok)
	}
	base := time.Unix(0, 0).UTC()
	if got := Deadline(base, 3); !got.Equal(base.Add(6 * time.Second)) {
		t.Errorf("Deadline = %v", got)
	}
	if got := Mid(Point{0, 0}, Point{4, 6}); got != (Point{2, 3}) {
		t.Errorf("Mid = %v", got)
	}
	if Adder(2)(3) != 5 {
		t.Error("Adder")
	}
}

// TestAt: i <= len(xs) and && -> || index out of range: the test panics.
func TestAt(t *testing.T) {
	xs := []int{1, 2, 3}
	if At(xs, 1) != 2 || At(xs, 3) != -1 || At(xs, -1) != -1 {
		t.Error("At")
	}
}
