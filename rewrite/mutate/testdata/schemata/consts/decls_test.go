package consts

import (
	"testing"
	"time"
)

func TestCells(t *testing.T) {
	if Cells() != 42 || Board() != 42 {
		t.Errorf("Cells, Board = %d, %d", Cells(), Board())
	}
}

func TestGrid(t *testing.T) {
	if r, c := Grid(9); r != 1 || c != 2 {
		t.Errorf("Grid(9) = %d, %d", r, c)
	}
}

func TestWait(t *testing.T) {
	if Wait() != 6*time.Millisecond {
		t.Errorf("Wait() = %v", Wait())
	}
}

func TestGreet(t *testing.T) {
	if Greet() != "hi" {
		t.Error("Greet")
	}
}

func TestQuarter(t *testing.T) {
	if Quarter(8) != 2 {
		t.Errorf("Quarter(8) = %v", Quarter(8))
	}
}

func TestSlots(t *testing.T) {
	if Slots() != 4 {
		t.Errorf("Slots() = %d", Slots())
	}
}

// TestProbe compares with the constant itself: a mutant of probe changes
// both sides.
func TestProbe(t *testing.T) {
	if Probe() != probe {
		t.Errorf("Probe() = %d", Probe())
	}
}

func TestClassify(t *testing.T) {
	if Classify(6) != "rows" || Classify(5) != "halves" || Classify(7) != "?" {
		t.Error("Classify")
	}
}
