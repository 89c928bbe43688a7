package gen

import "testing"

func TestSum(t *testing.T) {
	if Sum(1, 2, 3) != 6 || Sum(1.5, 2.5) != 4.0 {
		t.Error("Sum")
	}
}

func TestMean(t *testing.T) {
	if got := Mean([]int{2, 4, 9}); got != 5 {
		t.Errorf("Mean = %d", got)
	}
	if got := Mean([]float64{}); got != 0 {
		t.Errorf("Mean(empty) = %v", got)
	}
}

func TestMod(t *testing.T) {
	if Mod(7, 3) != 1 || Mod[uint8](250, 7) != 5 {
		t.Error("Mod")
	}
}

func TestGcd(t *testing.T) {
	if Gcd(12, 18) != 6 || Gcd[uint8](200, 150) != 50 {
		t.Error("Gcd")
	}
}

func TestScale(t *testing.T) {
	if Scale(2.0) != 2.75 || Scale[float32](1) != 1.25 {
		t.Error("Scale")
	}
}

// TestAbs never passes 0: Abs's boundary mutant survives.
func TestAbs(t *testing.T) {
	if Abs(-3) != 3 || Abs(2.5) != 2.5 {
		t.Error("Abs")
	}
}

func TestMax(t *testing.T) {
	if Max(1, 2) != 2 || Max("b", "a") != "b" {
		t.Error("Max")
	}
}

func TestConcat(t *testing.T) {
	if Concat("a", "b") != "ab" || Concat(1, 2) != 3 {
		t.Error("Concat")
	}
}

func TestRepeat(t *testing.T) {
	if Repeat("ab", 3) != "ababab" || Repeat(2, 3) != 6 {
		t.Error("Repeat")
	}
}

func TestBest(t *testing.T) {
	if got := Best([]Score{3, 7, 5}); got != "score:7" {
		t.Errorf("Best = %q", got)
	}
	if Best[Score](nil) != "" {
		t.Error("Best(nil)")
	}
}

func TestAcc(t *testing.T) {
	var a Acc[int]
	if _, ok := a.Mean(); ok {
		t.Error("empty Mean ok")
	}
	for _, x := range []int{4, 2, 6} {
		a.Add(x)
	}
	if m, ok := a.Mean(); m != 4 || !ok {
		t.Errorf("Mean = %d, %v", m, ok)
	}
	if a.Min() != 2 {
		t.Errorf("Min = %d", a.Min())
	}
}

func TestPair(t *testing.T) {
	if (Pair[string]{"x", "y"}).Join() != "xy" || (Pair[int]{1, 2}).Join() != 3 {
		t.Error("Join")
	}
	if !(Pair[int]{1, 2}).Less() || (Pair[string]{"b", "a"}).Less() {
		t.Error("Less")
	}
}

func TestUpdate(t *testing.T) {
	m := map[string]int{"a": 1}
	if old, ok := Update(m, "a", 5); old != 1 || !ok || m["a"] != 5 {
		t.Errorf("Update a = %d, %v; m = %v", old, ok, m)
	}
	if old, ok := Update(m, "b", 2); old != 0 || ok {
		t.Errorf("Update b = %d, %v", old, ok)
	}
}

func TestRotl8(t *testing.T) {
	if Rotl8(uint8(0x81), 1) != 0x03 || Rotl8(uint8(0x12), 4) != 0x21 {
		t.Error("Rotl8")
	}
}

func TestCount(t *testing.T) {
	if Count([]int{1, 2, 1, 3}, 1) != 2 {
		t.Error("Count")
	}
}
