package lib

import "testing"

func TestFib(t *testing.T) {
	for _, n := range []int{5, 10} {
		t.Run("n", func(t *testing.T) {
			if Fib(n) == 0 {
				t.Error("zero")
			}
		})
	}
}

func TestWork(t *testing.T) {
	if got := Work(6); got != 16 {
		t.Errorf("Work(6) = %d", got)
	}
}

func TestSafe(t *testing.T) {
	if Safe() == nil {
		t.Error("no error")
	}
}

// The lines runtime.Caller reports do not move.
func TestWhere(t *testing.T) {
	caller, own := Where()
	if caller != 29 || own != 51 {
		t.Errorf("Where() = %d, %d; want 29, 51", caller, own)
	}
}

func TestGeneric(t *testing.T) {
	var s Stack[string]
	for _, x := range Map([]int{1, 2, 3}, func(i int) string { return string(rune('a' + i)) }) {
		s.Push(x)
	}
	if x, ok := s.Pop(); !ok || x != "d" {
		t.Errorf("Pop() = %q, %v", x, ok)
	}
}
