package shadow

import "testing"

func TestSorted(t *testing.T) {
	if got := Sorted([]int{3, 1, 2}); got[0] != 1 || got[2] != 3 {
		t.Errorf("Sorted = %v", got)
	}
}
