package c

import "testing"

func TestF(t *testing.T) {
	if F(1) != 7 {
		t.Fatal(F(1))
	}
	G(false)
}
