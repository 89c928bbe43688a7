package schemata

import "testing"

// TestInit checks what package initialization computed; no test calls
// offset, so offsetCalls is 1 whatever ran before.
func TestInit(t *testing.T) {
	if Total != 13 {
		t.Errorf("Total = %d, want 13", Total)
	}
	if Limits != [2]int{12, 14} {
		t.Errorf("Limits = %v", Limits)
	}
	if offsetCalls != 1 {
		t.Errorf("offset called %d times", offsetCalls)
	}
}

func TestTable(t *testing.T) {
	for i, want := range []int{1, 2, 4, 8, 16, 32} {
		if got := Table(i); got != want {
			t.Errorf("Table(%d) = %d, want %d", i, got, want)
		}
	}
}

func TestCounter(t *testing.T) {
	var c Counter
	if c.Peak() != -1 {
		t.Errorf("empty Peak = %d", c.Peak())
	}
	c.Add(2)
	if got := c.Add(3); got != 5 {
		t.Errorf("Add = %d, want 5", got)
	}
	c.Add(-4)
	if got := c.Peak(); got != 5 {
		t.Errorf("Peak = %d, want 5", got)
	}
}

func TestScale(t *testing.T) {
	if Scale(2, 3) != 6 || Scale(-2, 3) != 6 {
		t.Error("Scale")
	}
}

func TestNeg(t *testing.T) {
	if Neg(2) != -2 || Neg(0) != 0 {
		t.Error("Neg")
	}
}

// TestClamp never probes x == lo or x == hi: boundary mutants survive.
func TestClamp(t *testing.T) {
	for _, c := range []struct{ x, want int }{{-5, 0}, {50, 10}, {5, 5}} {
		if got := Clamp(c.x, 0, 10); got != c.want {
			t.Errorf("Clamp(%d) = %d, want %d", c.x, got, c.want)
		}
	}
}

func TestDouble(t *testing.T) {
	if Double(3) != 6 || Double(-2) != 4 {
		t.Error("Double")
	}
}
