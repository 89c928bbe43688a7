package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/mutate"
)

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func plainProgress(w *strings.Builder, clock *fakeClock, workers int) *mutateProgress {
	return &mutateProgress{w: w, every: 10 * time.Second, workers: workers, now: clock.now, printed: clock.now()}
}

// A log gets a plain line once per interval, from updates or, while a
// slow mutant runs and none come, from the ticker.
func TestMutateProgressPlain(t *testing.T) {
	var w strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := plainProgress(&w, clock, 1)
	pr := mutate.Progress{Phase: "mutants", Total: 480, Package: "github.com/x/y"}

	p.tick() // nothing known yet
	clock.advance(5 * time.Second)
	pr.Done, pr.Killed, pr.Elapsed = 1, 1, 5*time.Second
	p.update(pr) // too soon after the start
	if w.Len() != 0 {
		t.Fatalf("printed before the interval passed: %q", w.String())
	}

	clock.advance(5 * time.Second)
	pr.Done, pr.Killed, pr.Survived, pr.Others, pr.Elapsed = 120, 80, 30, 10, 10*time.Second
	p.update(pr)
	want := "mutate: 120/480 mutants (killed 80, survived 30, other 10), testing github.com/x/y, ETA 30s\n"
	if got := w.String(); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}

	// No update for 10 s: the ticker prints, and the time without one
	// counts.
	w.Reset()
	clock.advance(4 * time.Second)
	p.tick()
	if w.Len() != 0 {
		t.Fatalf("ticker printed before the interval passed: %q", w.String())
	}
	clock.advance(6 * time.Second)
	p.tick()
	if got, want := w.String(), "mutate: 120/480 mutants (killed 80, survived 30, other 10), testing github.com/x/y, ETA 1m0s\n"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if strings.Contains(w.String(), "\r") {
		t.Error("a plain line has a carriage return")
	}
}

// The coverage phase counts tests.
func TestMutateProgressCoverage(t *testing.T) {
	var w strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := plainProgress(&w, clock, 1)
	clock.advance(10 * time.Second)
	p.update(mutate.Progress{Phase: "coverage", Done: 3, Total: 12, Package: "example.com/m", Elapsed: 3 * time.Second})
	if got, want := w.String(), "mutate: coverage 3/12 tests, testing example.com/m, ETA 9s\n"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// On a terminal the line is redrawn in place on every update, and clear
// takes it away.
func TestMutateProgressLive(t *testing.T) {
	var w strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := &mutateProgress{w: &w, live: true, every: time.Second, workers: 1, now: clock.now, printed: clock.now()}
	p.update(mutate.Progress{Phase: "mutants", Done: 1, Total: 2, Killed: 1, Elapsed: time.Second})
	if got := w.String(); !strings.HasPrefix(got, "\r\033[K1/2 mutants (killed 1,") || strings.Contains(got, "\n") {
		t.Fatalf("live line %q", got)
	}
	p.clear()
	if !strings.HasSuffix(w.String(), "\r\033[K") || p.shown {
		t.Fatalf("clear left %q", w.String())
	}
}
