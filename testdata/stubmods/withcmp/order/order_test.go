package order

import "testing"

func TestSort(t *testing.T) {
	got := Sort([]Entry{{"b", 0}, {"a", 1}})
	if got[0].Key != "a" {
		t.Errorf("Sort = %v", got)
	}
}
