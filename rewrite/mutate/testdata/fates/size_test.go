package fates_test

import (
	"testing"

	"example.com/fates"
)

var array [fates.Size - 2]int

func TestSize(t *testing.T) {
	if len(array) != 1 {
		t.Error(len(array))
	}
}
