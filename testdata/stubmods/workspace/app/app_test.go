package app

import "testing"

func TestOrigin(t *testing.T) {
	if Norm(Origin()) != 0 {
		t.Error("Origin")
	}
}
