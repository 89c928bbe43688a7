package params

import (
	"strings"
	"testing"
)

func TestSmall(t *testing.T) {
	if Sum(1, 2, 3) != 6 {
		t.Error("Sum")
	}
	var b strings.Builder
	if err := Render(&b, "x"); err != nil || b.String() != "hello x" {
		t.Errorf("Render: %q, %v", b.String(), err)
	}
	if got(1) != 2 || MakeT(2).Double().n != 4 {
		t.Error("got or Double")
	}
}
