package special

import "testing"

func TestRegistry(t *testing.T) {
	if v, ok := Registered("b"); !ok || v != 2 {
		t.Errorf("Registered = %d, %v", v, ok)
	}
	if Red.String() != "Red" || Blue.Hex() != "#00f" {
		t.Error("Color")
	}
}
