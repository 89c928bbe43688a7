package methods

import "testing"

func TestCounter(t *testing.T) {
	c := NewCounter(2)
	c.Next()
	if got := c.Next(); got != 4 {
		t.Errorf("Next() = %d, want 4", got)
	}
	var l IntList
	l.Append(1, 2, 3)
	if l.Sum() != 6 {
		t.Errorf("Sum() = %d", l.Sum())
	}
}
