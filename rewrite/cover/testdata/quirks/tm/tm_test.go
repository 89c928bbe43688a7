package tm

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int { return m.Run() }

func TestHalf(t *testing.T) {
	if Half(4) != 2 {
		t.Fatal("Half")
	}
}
