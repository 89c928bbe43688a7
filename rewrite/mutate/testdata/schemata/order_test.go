package schemata

import "testing"

// Every test makes its own Log and maps: no test depends on another.

func TestArith(t *testing.T) {
	var l Log
	if got := Arith(&l); got != 1 {
		t.Errorf("Arith = %d, want 1", got)
	}
	if l.String() != "f,g,h" {
		t.Errorf("calls %s, want f,g,h", &l)
	}
}

// TestLess never compares equal operands: the boundary mutant survives.
func TestLess(t *testing.T) {
	var l Log
	if !Less(&l) {
		t.Error("Less = false")
	}
	if l.String() != "a,b" {
		t.Errorf("calls %s, want a,b", &l)
	}
}

func TestGuard(t *testing.T) {
	var l Log
	if Guard(&l, false) || l.String() != "ok" {
		t.Errorf("Guard(false): calls %s, want ok only", &l)
	}
	l = Log{}
	if !Guard(&l, true) || l.String() != "ok,touch" {
		t.Errorf("Guard(true): calls %s, want ok,touch", &l)
	}
}

func TestEither(t *testing.T) {
	var l Log
	if !Either(&l, true) || l.String() != "ok" {
		t.Errorf("Either(true): calls %s, want ok only", &l)
	}
	l = Log{}
	if Either(&l, false) || l.String() != "ok,touch" {
		t.Errorf("Either(false): calls %s, want ok,touch", &l)
	}
}

// TestInRange leaves the boundary mutants alive.
func TestInRange(t *testing.T) {
	if !InRange(1, 2, 3, 4, 5) {
		t.Error("InRange(1, 2, 3, 4, 5) = false")
	}
	if InRange(2, 1, 3, 4, 5) {
		t.Error("InRange(2, 1, 3, 4, 5) = true")
	}
}

func TestNotBoth(t *testing.T) {
	if NotBoth(true, true) || !NotBoth(true, false) {
		t.Error("NotBoth")
	}
}

func TestBump(t *testing.T) {
	var l Log
	m := map[string]int{}
	Bump(&l, m)
	if m["k"] != 1 || l.String() != "k" {
		t.Errorf("m = %v, calls %s", m, &l)
	}
}

func TestAddAt(t *testing.T) {
	var l Log
	a := []int{0, 5, 0}
	AddAt(&l, a)
	if a[1] != 15 || l.String() != "i,x" {
		t.Errorf("a = %v, calls %s", a, &l)
	}
}

func TestChain(t *testing.T) {
	var l Log
	if got := Chain(&l); got != 15 || l.String() != "p,q,r,s" {
		t.Errorf("Chain = %d, calls %s", got, &l)
	}
}

func TestCall(t *testing.T) {
	var l Log
	if got := Call(&l); got != "x1+y2" || l.String() != "x,y,lo,hi" {
		t.Errorf("Call = %q, calls %s", got, &l)
	}
}
