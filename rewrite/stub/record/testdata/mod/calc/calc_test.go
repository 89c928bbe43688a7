package calc

import (
	"context"
	"testing"
)

func TestAll(t *testing.T) {
	if Add(1, 2) != 3 || Add(2, 2) != 4 || Add(1, 2) != 3 {
		t.Fatal("add")
	}
	if _, err := Div(1, 0); err == nil {
		t.Fatal("div")
	}
	if q, _ := Div(7, 2); q != 3 {
		t.Fatal("div")
	}
	a := &Acc{Name: "x"}
	a.Add(2)
	a.Add(3)
	if (Point{1, 2}).Scale(3) != (Point{3, 6}) {
		t.Fatal("scale")
	}
	Words("a b a")
	Stamp("t")
	for range 20 {
		Roll(1000)
	}
	Greet(context.Background(), "bob")
	func() {
		defer func() { recover() }()
		Must(-1)
	}()
	Must(2)
	ch := make(chan int, 1)
	ch <- 1
	close(ch)
	Drain(ch)
	Blank(1, "ab")
}
