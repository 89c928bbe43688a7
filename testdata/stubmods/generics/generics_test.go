package generics

import (
	"slices"
	"testing"
)

func TestBasics(t *testing.T) {
	if got := Max(3, 9, 2); got != 9 {
		t.Errorf("Max = %d", got)
	}
	s := NewSet("a", "b")
	if !s.Has("a") || s.Has("c") {
		t.Error("Has")
	}
	if got := Map([]int{1, 2}, func(i int) int { return i * 2 }); !slices.Equal(got, []int{2, 4}) {
		t.Errorf("Map = %v", got)
	}
	c, err := Parse[Celsius]("21.5C")
	if err != nil || c != 21.5 {
		t.Errorf("Parse = %v, %v", c, err)
	}
	if got := reduce([]int{1, 2, 3}, "", func(a string, i int) string { return a + "x" }); got != "xxx" {
		t.Errorf("reduce = %q", got)
	}
}
