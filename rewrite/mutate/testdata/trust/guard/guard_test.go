package guard

import (
	"testing"
	"time"
)

func TestDrain(t *testing.T) {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	ch <- 3
	done := make(chan int)
	go func() { done <- Drain(ch, 3) }()
	select {
	case got := <-done:
		if got != 6 {
			t.Errorf("Drain = %d, want 6", got)
		}
	case <-time.After(1500 * time.Millisecond):
		t.Fatal("Drain did not return")
	}
}

func TestSpin(t *testing.T) {
	if got := Spin(1000); got != 0 {
		t.Errorf("Spin = %d", got)
	}
}
