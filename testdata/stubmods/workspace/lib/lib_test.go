package lib

import "testing"

func TestAdd(t *testing.T) {
	if (Point{1, 2}).Add(Point{3, 4}) != (Point{4, 6}) {
		t.Error("Add")
	}
}
