package testonly

import (
	"testing"

	"quirks/q"
)

// TestOnly is in a package with no other files.
func TestOnly(t *testing.T) {
	if q.Max(1, 2) != 2 {
		t.Fatal("Max")
	}
}
