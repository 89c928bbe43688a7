package cmd

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/mutate"
)

// progressIntervalEnv overrides the interval between progress lines when
// stderr is not a terminal. It exists for tests, which cannot wait the
// default 10 s to see a line; it is not documented for users.
const progressIntervalEnv = "GOREWRITE_PROGRESS_INTERVAL"

// Intervals of the progress report: a plain line in a log, and the redraw
// of a terminal's live line between tests and mutants (so its ETA moves
// while a slow mutant runs).
const (
	plainProgressEvery = 10 * time.Second
	liveProgressEvery  = time.Second
)

// mutateProgress reports how far a mutate run got, on stderr. On a
// terminal it is one line redrawn in place; elsewhere (a CI log, where a
// run of minutes that prints nothing looks hung and carriage returns pile
// up) it is a plain line every interval. The run calls update after every
// test and mutant, never concurrently; a ticker prints between calls, so a
// lock guards the state.
type mutateProgress struct {
	w       io.Writer
	live    bool          // w is a terminal
	every   time.Duration // between plain lines, or redraws of the live one
	workers int           // mutants tested at once
	now     func() time.Time

	mu      sync.Mutex
	last    mutate.Progress
	lastAt  time.Time // when last came
	have    bool      // last is set
	printed time.Time // when the last plain line was printed
	shown   bool      // the live line is on the terminal
	stop    chan struct{}
	stopped sync.WaitGroup
}

// mutateProgress returns the progress report for a run of workers
// workers (0: GOMAXPROCS), not started.
func (a *app) mutateProgress(workers int) *mutateProgress {
	p := &mutateProgress{w: a.stderr, every: plainProgressEvery, workers: workers, now: time.Now}
	if f, ok := a.stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.live, p.every = true, liveProgressEvery
		}
	}
	if d, err := time.ParseDuration(os.Getenv(progressIntervalEnv)); err == nil && d > 0 {
		p.every = d
	}
	p.printed = p.now()
	return p
}

// start prints between updates until close.
func (p *mutateProgress) start() {
	p.stop = make(chan struct{})
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
}

// close stops the ticker and clears the live line.
func (p *mutateProgress) close() {
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
		p.stop = nil
	}
	p.clear()
}

func (p *mutateProgress) update(pr mutate.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last, p.lastAt, p.have = pr, p.now(), true
	if p.live {
		p.draw()
	} else {
		p.plain()
	}
}

func (p *mutateProgress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.have {
		return
	}
	if p.live {
		p.draw()
	} else {
		p.plain()
	}
}

// plain prints a line when the interval has passed since the last one.
func (p *mutateProgress) plain() {
	now := p.now()
	if now.Sub(p.printed) < p.every {
		return
	}
	p.printed = now
	fmt.Fprintf(p.w, "mutate: %s\n", p.line(now))
}

func (p *mutateProgress) draw() {
	fmt.Fprintf(p.w, "\r\033[K%s", p.line(p.now()))
	p.shown = true
}

// clear removes the live line, so that other output starts at the left.
func (p *mutateProgress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// line describes the last progress as of now.
func (p *mutateProgress) line(now time.Time) string {
	pr := p.last
	var s string
	if pr.Phase == "mutants" {
		s = fmt.Sprintf("%d/%d mutants (killed %d, survived %d, other %d)", pr.Done, pr.Total, pr.Killed, pr.Survived, pr.Others)
	} else {
		s = fmt.Sprintf("%s %d/%d tests", pr.Phase, pr.Done, pr.Total)
	}
	if pr.Package != "" {
		s += ", testing " + pr.Package
	}
	// The phase's time so far counts the time since the last update: a
	// run waiting on a slow mutant is slower than it was at the update.
	if est := estimate(pr, pr.Elapsed+now.Sub(p.lastAt), p.workers); est != "" {
		s += ", " + est
	}
	return s
}

// estimate says how long the rest of a phase will take, given the time it
// has taken so far and how many tests or mutants run at once (0:
// GOMAXPROCS). It divides the time so far by what is done, so mutants that
// ran to their timeout count at their cost, and the time since the last
// one finished counts too: a run stuck on slow mutants does not promise
// to end soon. When all that is left is running already, the mean says
// nothing about when those end (they may be waiting on a timeout far
// longer than the mean), so it says what is running instead of a time.
func estimate(pr mutate.Progress, elapsed time.Duration, workers int) string {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	left := pr.Total - pr.Done
	switch {
	case left <= 0 || pr.Done == 0 || elapsed <= 0:
		return ""
	case left <= workers:
		unit := "tests"
		if pr.Phase == "mutants" {
			unit = "mutants"
		}
		if left == 1 {
			unit = strings.TrimSuffix(unit, "s")
		}
		return fmt.Sprintf("finishing %d %s", left, unit)
	}
	eta := time.Duration(float64(elapsed) / float64(pr.Done) * float64(left))
	// Work is left that has not started: it takes some time.
	return fmt.Sprintf("ETA %v", max(eta.Round(time.Second), time.Second))
}
