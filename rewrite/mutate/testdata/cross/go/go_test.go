// Package go_test is a package of tests only whose name is go_test: go
// is a keyword, so a file added to it must be in go_test too.
package go_test

import (
	"testing"

	"example.com/cross"
)

// TestLinks links cross and runs none of it.
func TestLinks(t *testing.T) {
	if f := cross.Sum; f == nil {
		t.Fatal("no Sum")
	}
}
