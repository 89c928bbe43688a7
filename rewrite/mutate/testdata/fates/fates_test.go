package fates

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("Add(2, 3) = %d", got)
	}
}

func TestMax(t *testing.T) {
	if got := Max(1, 2); got != 2 {
		t.Errorf("Max(1, 2) = %d", got)
	}
	if got := Max(5, 2); got != 5 {
		t.Errorf("Max(5, 2) = %d", got)
	}
}

func TestCountdown(t *testing.T) {
	// A mutant makes this test hang: it is killed, and its temporary
	// directory is never removed by the test.
	dir, err := os.MkdirTemp("", "countdown-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if got := Countdown(3); got != 3 {
		t.Errorf("Countdown(3) = %d", got)
	}
}

func TestAt(t *testing.T) {
	if got := At([]int{7}, 1); got != -1 {
		t.Errorf("At = %d", got)
	}
}

func TestCheck(t *testing.T) {
	Check(true)
}

func TestNeg(t *testing.T) {
	if Neg(1) != -1 {
		t.Error("Neg")
	}
}

func TestSave(t *testing.T) {
	if err := Save(false); err != nil {
		t.Fatal(err)
	}
}

func TestSet(t *testing.T) {
	Set(2)
}

// TestGet needs TestSet to run first.
func TestGet(t *testing.T) {
	if Get() != 4 {
		t.Fatal(Get())
	}
}

var limited [Limit - 4]int

func TestLine(t *testing.T) {
	if Line(1) != 2 || len(limited) != 1 {
		t.Fatal(Line(1))
	}
}

// TestTick passes the first time it runs with a given FATES_STATE only.
func TestTick(t *testing.T) {
	marker := filepath.Join(os.Getenv("FATES_STATE"), "fates-tick")
	_, err := os.Stat(marker)
	os.WriteFile(marker, nil, 0o666)
	if err == nil {
		t.Fatal("flaky: it ran before")
	}
	if Tick(1) != 2 {
		t.Fatal(Tick(1))
	}
}
