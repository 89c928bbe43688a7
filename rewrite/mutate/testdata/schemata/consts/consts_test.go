package consts

import "testing"

func TestDebug(t *testing.T) {
	if !Big || Debug() != "big" {
		t.Error("Debug")
	}
}

func TestUnits(t *testing.T) {
	if KB != 1024 || MB != 1<<20 || GB != 1<<30 {
		t.Errorf("KB, MB, GB = %d, %d, %d", KB, MB, GB)
	}
	n, u := Units(3 * MB)
	if n != 3 || u != "M" {
		t.Errorf("Units(3 MB) = %d %s", n, u)
	}
	// Units(GB) is never tried: the G branch has no coverage.
	if n, u := Units(2 * KB); n != 2 || u != "K" {
		t.Errorf("Units(2 KB) = %d %s", n, u)
	}
	if n, u := Units(5); n != 5 || u != "B" {
		t.Errorf("Units(5) = %d %s", n, u)
	}
}

func TestLevel(t *testing.T) {
	if Mid != 11 {
		t.Errorf("Mid = %d", int(Mid))
	}
	for l, want := range map[Level]string{Low: "low", Mid: "mid", High: "high", 5: "?"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d) = %q, want %q", int(l), got, want)
		}
	}
}

func TestFill(t *testing.T) {
	b := Fill(10)
	if b != (Buf{10, 11, 12, 13}) || Penult(b) != 12 {
		t.Errorf("Fill(10) = %v", b)
	}
}

func TestWindow(t *testing.T) {
	if n, sum := Window(2); n != 6 || sum != 12 {
		t.Errorf("Window(2) = %d, %d", n, sum)
	}
}

func TestKind(t *testing.T) {
	for n, want := range map[int]string{2: "small", 4: "big", 6: "double", 5: "other"} {
		if got := Kind(n); got != want {
			t.Errorf("Kind(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNothing(t *testing.T) {
	if Nothing(5) != 0 {
		t.Error("Nothing")
	}
}

// TestExact fails for the unmutated code if a constant expression is
// evaluated at run time.
func TestExact(t *testing.T) {
	if got := PointThree(); got != 0.3 {
		t.Errorf("PointThree = %v", got)
	}
	if got := Ratio(); got != 3 {
		t.Errorf("Ratio = %v", got)
	}
	if got := Wide(); got != 1<<61 {
		t.Errorf("Wide = %d", got)
	}
	if Half != 64 || Top != 1 {
		t.Errorf("Half, Top = %d, %d", Half, Top)
	}
}

func TestShifts(t *testing.T) {
	if Mask(3) != 8 || Mask(8) != 0 {
		t.Errorf("Mask(3), Mask(8) = %d, %d", Mask(3), Mask(8))
	}
	if Pow2(40) != 1<<40 {
		t.Errorf("Pow2(40) = %d", Pow2(40))
	}
	if Shift3(5) != 40 {
		t.Errorf("Shift3(5) = %d", Shift3(5))
	}
	if Mixed(4) != 9 {
		t.Errorf("Mixed(4) = %d", Mixed(4))
	}
}
