package q_test

import (
	"os"
	"testing"

	"quirks/q"
)

func TestMain(m *testing.M) {
	q.Double(-1)
	os.Exit(m.Run())
}

func TestExternal(t *testing.T) {
	if q.Max(2, 3) != 3 {
		t.Fatal("max")
	}
}
