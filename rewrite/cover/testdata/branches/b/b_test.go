package b

import "testing"

func TestBranches(t *testing.T) {
	Sign(1)
	Sign(5)
	Sign(-1)
	Loop(3)
	Both(true, true)
	Both(false, true)
	Named(true, false)
	Kind(1)
	Kind(9)
	Type(1)
	Type("x")
	c := make(chan int, 1)
	c <- 1
	Recv(c)
	Const()
	Mixed(true, 3)
	Assign(1, 1)
	Until(3)
}
