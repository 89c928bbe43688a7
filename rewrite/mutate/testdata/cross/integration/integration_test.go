// Package integration_test holds the module's integration tests: a package
// of tests only.
package integration_test

import (
	"testing"

	"example.com/cross"
)

func TestClassify(t *testing.T) {
	if got := cross.Classify(-2); got != "negative" {
		t.Fatalf("Classify(-2) = %q", got)
	}
	if got := cross.Classify(0); got != "positive" {
		t.Fatalf("Classify(0) = %q", got)
	}
}
