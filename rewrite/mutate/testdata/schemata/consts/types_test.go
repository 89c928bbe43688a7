package consts

import "testing"

func TestConvert(t *testing.T) {
	if f := Celsius(100).F(); f != 212 {
		t.Errorf("100 C = %v F", f)
	}
	if f := Celsius(-40).F(); f != -40 {
		t.Errorf("-40 C = %v F", f)
	}
	if c := Fahrenheit(212).C(); c != 100 {
		t.Errorf("212 F = %v C", c)
	}
}

// TestFreezing and TestBetween never test equal values: boundary
// mutants survive.
func TestFreezing(t *testing.T) {
	if !Celsius(-1).Freezing() || Celsius(5).Freezing() {
		t.Error("Freezing")
	}
}

func TestBetween(t *testing.T) {
	if !Between(1, 2, 3) || Between(2, 1, 3) || Between(1, 3, 2) {
		t.Error("Between")
	}
}

func TestPick(t *testing.T) {
	if Flag(true).Pick(1, 2) != 1 || Flag(false).Pick(1, 2) != 2 {
		t.Error("Pick")
	}
}

func TestBits(t *testing.T) {
	rw := Read | Write
	if !rw.Has(Write) || rw.Has(Exec) {
		t.Errorf("Has: Read, Write, Exec = %d, %d, %d", Read, Write, Exec)
	}
	if rw.Clear(Read) != Write {
		t.Error("Clear")
	}
	if rw.Toggle(Exec|Read) != Write|Exec {
		t.Error("Toggle")
	}
	if got := Bits(0x81).Rotl(); got != 0x03 {
		t.Errorf("Rotl(0x81) = %#x", got)
	}
	b := Read
	b.Set(Exec)
	b.Drop(Read)
	if b != Exec {
		t.Errorf("Set, Drop = %d", b)
	}
	if got := Bits(0x0F).Shifted(2, 1); got != 0x1E {
		t.Errorf("Shifted = %#x", got)
	}
}
