package main

import (
	"io"
	"testing"
)

func TestRun(t *testing.T) {
	if run(nil, io.Discard, io.Discard) != 2 {
		t.Error("run without arguments")
	}
}
