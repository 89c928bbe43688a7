package other

import "testing"

func TestName(t *testing.T) {
	if Name() != "other" {
		t.Fatal("Name")
	}
}
