package tm2

import (
	"testing"

	"quirks/runnerlib"
)

func TestMain(m *testing.M) { runnerlib.Main(m) }

func TestTwice(t *testing.T) {
	if Twice(2) != 4 {
		t.Fatal("Twice")
	}
}
