//go:build quirks_extra

package q

import "testing"

func TestTagged(t *testing.T) {
	if Tagged(100) != 6 {
		t.Fatal(Tagged(100))
	}
}
