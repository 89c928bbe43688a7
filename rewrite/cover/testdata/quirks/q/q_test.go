package q

import "testing"

func TestAll(t *testing.T) {
	Labels(5)
	Labels(30)
	for _, x := range []int{-1, 0, 5, 50} {
		ElseIf(x)
	}
	Empty(0)
	Empty(1)
	Empty(2)
	Panic(0)
	Panic(5)
	FuncLits(nil)
	FuncLits([]int{1, 2, 3})
	c := make(chan int, 1)
	c <- 4
	Select(c, nil)
	TypeSwitch(1)
	TypeSwitch("x")
	TypeSwitch(nil)
	TypeSwitch(2.5)
	Max(1, 2)
	Max("b", "a")
	var s Stack[int]
	s.Push(1)
	s.Pop()
	s.Pop()
	Double(3)
	Multi(3)
	Multi(0)
	Errs("")
	Errs("x")
	for _, f := range Closures(3) {
		f()
	}
	Lined(1)
	Ugly(1)
	Ugly(0)
	Ignored(1)
}
