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

func TestEstimate(t *testing.T) {
	mutants := func(done, total int) mutate.Progress {
		return mutate.Progress{Phase: "mutants", Done: done, Total: total}
	}
	for _, c := range []struct {
		name    string
		pr      mutate.Progress
		elapsed time.Duration
		workers int
		want    string
	}{
		{"nothing done yet", mutants(0, 10), time.Minute, 2, ""},
		{"all done", mutants(10, 10), time.Minute, 2, ""},
		{"mean per mutant", mutants(100, 400), 50 * time.Second, 2, "ETA 2m30s"},
		// Mutants waiting on a timeout: the time without a finished one
		// raises the mean, and so the estimate.
		{"stalled", mutants(100, 400), 150 * time.Second, 2, "ETA 7m30s"},
		// A fast start leaves the rounded estimate at 0: still work to
		// start, so at least a second.
		{"fast", mutants(1000, 1003), time.Second, 2, "ETA 1s"},
		// Only mutants in flight: their time is unknown, maybe a
		// timeout; never "ETA 0s".
		{"in flight", mutants(478, 480), 10 * time.Minute, 2, "finishing 2 mutants"},
		{"last one", mutants(479, 480), 10 * time.Minute, 4, "finishing 1 mutant"},
		{"tests in flight", mutate.Progress{Phase: "coverage", Done: 9, Total: 12}, time.Second, 8, "finishing 3 tests"},
	} {
		if got := estimate(c.pr, c.elapsed, c.workers); got != c.want {
			t.Errorf("%s: estimate(%d/%d, %v, %d workers) = %q, want %q", c.name, c.pr.Done, c.pr.Total, c.elapsed, c.workers, got, c.want)
		}
	}
}

// A line printed while the last mutants wait on their timeouts says so,
// however long ago the last one finished.
func TestMutateProgressFinishing(t *testing.T) {
	var w strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := plainProgress(&w, clock, 2)
	clock.advance(10 * time.Second)
	p.update(mutate.Progress{Phase: "mutants", Done: 478, Total: 480, Killed: 478, Elapsed: 10 * time.Second})
	clock.advance(100 * time.Second)
	w.Reset()
	p.tick()
	if got, want := w.String(), "mutate: 478/480 mutants (killed 478, survived 0, other 0), finishing 2 mutants\n"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// Between updates the ticker prints: a mutant that runs for minutes does
// not silence the log.
func TestMutateProgressTicker(t *testing.T) {
	var w strings.Builder
	p := &mutateProgress{w: &w, every: time.Millisecond, workers: 1, now: time.Now, printed: time.Now()}
	p.start()
	time.Sleep(2 * time.Millisecond)
	p.update(mutate.Progress{Phase: "mutants", Done: 1, Total: 3, Killed: 1, Elapsed: time.Millisecond})
	p.mu.Lock()
	n := strings.Count(w.String(), "\n")
	p.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		more := strings.Count(w.String(), "\n") > n
		p.mu.Unlock()
		if more {
			break
		}
		if time.Now().After(deadline) {
			p.close()
			t.Fatalf("no line from the ticker after the update: %q", w.String())
		}
		time.Sleep(time.Millisecond)
	}
	p.close()
	if !strings.HasPrefix(w.String(), "mutate: 1/3 mutants") {
		t.Errorf("lines %q", w.String())
	}
}
