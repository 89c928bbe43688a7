package tracelog

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// A FuncStat sums up the calls of one function over all processes of a
// log (functions are the same when name, file and line are).
type FuncStat struct {
	Name string // full name
	File string
	Line int

	Calls int
	// Total is the inclusive time; only the outermost of recursive
	// activations on a goroutine's stack counts, so recursion is not
	// counted twice.
	Total time.Duration
	// Self is the time in the function itself: each call's duration minus
	// that of its direct callees on the same goroutine.
	Self time.Duration
	Mean time.Duration // mean duration of a call
	Max  time.Duration // longest call
	// Panics counts the calls that ended by a panic.
	Panics int
}

type funcKey struct {
	name, file string
	line       int
}

// Stats returns one FuncStat per function called, sorted by self time
// descending, then by name. Each process's part is computed once (see
// Process.Summarize), the processes' in parallel.
func (l *Log) Stats() []FuncStat {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, p := range l.Processes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p.Summarize()
		}()
	}
	wg.Wait()
	byKey := map[funcKey]*funcSum{}
	for _, p := range l.Processes {
		for _, f := range p.summary {
			k := funcKey{f.Name, f.File, f.Line}
			st := byKey[k]
			if st == nil {
				st = &funcSum{FuncStat: FuncStat{Name: f.Name, File: f.File, Line: f.Line}}
				byKey[k] = st
			}
			st.Calls += f.Calls
			st.Self += f.Self
			st.Total += f.Total
			st.Max = max(st.Max, f.Max)
			st.Panics += f.Panics
			st.sum += f.sum
		}
	}
	stats := make([]FuncStat, 0, len(byKey))
	for _, st := range byKey {
		st.Mean = st.sum / time.Duration(st.Calls)
		stats = append(stats, st.FuncStat)
	}
	slices.SortFunc(stats, func(a, b FuncStat) int {
		return cmp.Or(
			cmp.Compare(b.Self, a.Self),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line))
	})
	return stats
}

// funcSum is a FuncStat being summed, with the total duration of its calls
// for the mean.
type funcSum struct {
	FuncStat
	sum time.Duration
}

// Summarize computes the process's part of Stats, once: a caller reading
// many logs may do it for each as it is read, while other work goes on.
// It must not run concurrently with itself or with changes to p.
func (p *Process) Summarize() {
	if p.summarized {
		return
	}
	p.summarized = true
	order, parent := p.nesting()
	childTime := make([]int64, len(p.Calls))
	for i, par := range parent {
		if par >= 0 {
			childTime[par] += p.Calls[i].End - p.Calls[i].Start
		}
	}
	// Counted per function by dense number: a lookup by name per call is
	// slow on big logs.
	index, ids := newFidIndex(p.Funcs)
	local := make([]funcSum, len(ids))
	// active counts the activations of each function on the stack of the
	// current goroutine, to spot recursion.
	active := make([]int32, len(ids))
	var stack []int32
	for _, i := range order {
		c := p.Calls[i]
		for len(stack) > 0 && stack[len(stack)-1] != parent[i] {
			if m := index.get(p.Calls[stack[len(stack)-1]].Func); m >= 0 {
				active[m]--
			}
			stack = stack[:len(stack)-1]
		}
		n := index.get(c.Func)
		if n < 0 {
			// A function the log does not name (a Process built by
			// hand): its call still nests, but is not counted.
			stack = append(stack, i)
			continue
		}
		st := &local[n]
		d := time.Duration(c.End - c.Start)
		st.Calls++
		st.Self += d - time.Duration(childTime[i])
		if active[n] == 0 {
			st.Total += d
		}
		st.Max = max(st.Max, d)
		if c.Panicked {
			st.Panics++
		}
		st.sum += d
		active[n]++
		stack = append(stack, i)
	}
	p.summary = p.summary[:0]
	for n, id := range ids {
		if local[n].Calls > 0 {
			f := p.Funcs[id]
			local[n].Name, local[n].File, local[n].Line = f.Name, f.File, f.Line
			p.summary = append(p.summary, local[n])
		}
	}
}

// WriteSummary writes stats as an aligned table, at most top rows (all if
// top <= 0), preceded by a line counting calls and functions.
func WriteSummary(w io.Writer, stats []FuncStat, top int) error {
	calls := 0
	var self time.Duration
	for _, s := range stats {
		calls += s.Calls
		self += s.Self
	}
	if _, err := fmt.Fprintf(w, "%s of %s\n", plural(calls, "call"), plural(len(stats), "function")); err != nil {
		return err
	}
	rows := stats
	if top > 0 && top < len(rows) {
		rows = rows[:top]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "self\tself%%\ttotal\tcalls\tmean\tmax\t  function\n")
	for _, s := range rows {
		pct := 0.0
		if self > 0 {
			pct = 100 * float64(s.Self) / float64(self)
		}
		// The function name goes after the last tab so that AlignRight
		// leaves it left-aligned.
		fmt.Fprintf(tw, "%s\t%.1f%%\t%s\t%d\t%s\t%s\t  %s\n",
			FormatDuration(s.Self), pct, FormatDuration(s.Total), s.Calls,
			FormatDuration(s.Mean), FormatDuration(s.Max), ShortName(s.Name))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) < len(stats) {
		_, err := fmt.Fprintf(w, "(%d more functions)\n", len(stats)-len(rows))
		return err
	}
	return nil
}

// WriteJSON writes stats, with the log's counts of dropped and invalid
// calls (l may be nil), as one JSON object:
//
//	{"calls":N,"functions":[{"name","file","line","calls","total_ns","self_ns","mean_ns","max_ns","panics"}],"dropped":N,"invalid":N}
func WriteJSON(w io.Writer, stats []FuncStat, l *Log) error {
	type function struct {
		Name   string `json:"name"`
		File   string `json:"file"`
		Line   int    `json:"line"`
		Calls  int    `json:"calls"`
		Total  int64  `json:"total_ns"`
		Self   int64  `json:"self_ns"`
		Mean   int64  `json:"mean_ns"`
		Max    int64  `json:"max_ns"`
		Panics int    `json:"panics"`
	}
	out := struct {
		Calls     int        `json:"calls"`
		Functions []function `json:"functions"`
		Dropped   uint64     `json:"dropped"`
		Invalid   uint64     `json:"invalid"`
	}{Functions: []function{}}
	for _, s := range stats {
		out.Calls += s.Calls
		out.Functions = append(out.Functions, function{
			s.Name, s.File, s.Line, s.Calls,
			int64(s.Total), int64(s.Self), int64(s.Mean), int64(s.Max), s.Panics,
		})
	}
	if l != nil {
		for _, p := range l.Processes {
			out.Dropped += p.Dropped
			out.Invalid += p.Invalid
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// FormatDuration formats d with three significant digits in the largest
// unit that keeps it at least 1: 830ns, 56µs, 1.23ms, 4.5s.
func FormatDuration(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	if d < 1000 {
		return fmt.Sprintf("%s%dns", neg, int64(d))
	}
	units := []struct {
		name string
		size float64
	}{{"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}}
	for i, u := range units {
		v := float64(d) / u.size
		// 999.6µs rounds to 1000µs at three digits: say 1ms instead.
		if v >= 999.5 && i < len(units)-1 {
			continue
		}
		var s string
		switch {
		case v < 9.995:
			s = fmt.Sprintf("%.2f", v)
		case v < 99.95:
			s = fmt.Sprintf("%.1f", v)
		default:
			s = fmt.Sprintf("%.0f", v)
		}
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return neg + s + u.name
	}
	panic("unreachable")
}

// ShortName strips the directories of the package path from a
// runtime-style function name: example.com/m/pkg.(*T).M becomes
// pkg.(*T).M.
//
// A major version suffix is not the package's name: the element before it
// is shown (github.com/oklog/ulid/v2.Now becomes ulid.Now).
func ShortName(name string) string {
	i := pkgEnd(name)
	slash := strings.LastIndex(name[:i], "/")
	if elem := name[slash+1 : i]; slash > 0 && majorVersion(elem) {
		if prev := strings.LastIndex(name[:slash], "/"); prev >= 0 {
			return strings.ReplaceAll(name[prev+1:slash], "%2e", ".") + name[i:]
		}
	}
	// The runtime escapes dots in the last path element (yaml.v3 is
	// yaml%2ev3); unescape them for display.
	return strings.ReplaceAll(name[slash+1:i], "%2e", ".") + name[i:]
}

// majorVersion reports whether a path element is a major version suffix
// (v2, v3...).
func majorVersion(elem string) bool {
	if len(elem) < 2 || elem[0] != 'v' || elem[1] == '0' {
		return false
	}
	for _, c := range elem[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// PackagePath returns the package path of a runtime-style function name:
// example.com/m/pkg.(*T).M gives example.com/m/pkg.
func PackagePath(name string) string {
	return strings.ReplaceAll(name[:pkgEnd(name)], "%2e", ".")
}

// pkgEnd returns the index of the dot ending the package path of name, or
// len(name) if there is none.
func pkgEnd(name string) int {
	// Type arguments ([...]) and receivers may hold other paths; the
	// package path ends before them.
	head := name
	if i := strings.IndexAny(head, "[("); i >= 0 {
		head = head[:i]
	}
	slash := strings.LastIndex(head, "/")
	if dot := strings.IndexByte(head[slash+1:], '.'); dot >= 0 {
		return slash + 1 + dot
	}
	return len(head)
}

// plural spells a count with its noun, made plural unless the count is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
