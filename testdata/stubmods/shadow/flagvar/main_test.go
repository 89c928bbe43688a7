package main

import stdtesting "testing"

func TestGreetEmpty(t *stdtesting.T) {
	if greet("") != "hi " {
		t.Fail()
	}
}
