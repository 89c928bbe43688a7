package order

import (
	"testing"
	"time"
)

func TestAFloods(t *testing.T) {
	for i := range 20 {
		if got := Double(i); got != 2*i {
			// Slow to say so: a test that logs every mismatch and
			// waits on something.
			time.Sleep(600 * time.Millisecond)
			t.Fatalf("Double(%d) = %d", i, got)
		}
	}
}

func TestBQuick(t *testing.T) {
	if Double(3) != 6 {
		t.Fatal("Double(3) != 6")
	}
}
