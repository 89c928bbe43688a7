// Package coverrt is the runtime of gorewrite's coverage probes. gorewrite
// cover adds it to the build (as a module of its own through the build
// overlay, or as a directory of the module with -w); instrumented packages
// register their counters with it and it writes them as a coverage profile.
//
// A program writes its profile to the file named by GOREWRITE_COVERPROFILE
// (and its branch profile to GOREWRITE_BRANCHPROFILE) when main returns or
// panics, when instrumented code calls os.Exit or log.Fatal, when a test
// binary's tests end, and on SIGINT or SIGTERM (GOREWRITE_COVER_SIGNALS=off
// turns that off). Without those variables it writes nothing and changes
// nothing: no signal is handled.
//
// It is also the runtime of gorewrite trace's hooks, which record calls
// into the log GOREWRITE_TRACE names (trace.go), written at the same
// points.
//
// Runs add up: when the file exists, its counts and this run's are merged
// (summed in count and atomic mode, or-ed in set mode), under a lock file,
// so several processes can share one profile.
//
// The package is compiled as part of the user's build, under its Go
// version: it uses nothing newer than Go 1.12. Its state is package-level
// because it is the process's one registry of counters.
package coverrt

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Environment variables naming the profiles.
const (
	ProfileEnv = "GOREWRITE_COVERPROFILE"
	BranchEnv  = "GOREWRITE_BRANCHPROFILE"
)

type counters struct {
	pkg    string
	counts []uint32
	last   []uint32 // counts already written
	files  []string
	meta   []uint32 // six numbers per counter
}

var (
	mu                             sync.Mutex
	mode                           = "set"
	blocks                         []*counters
	branches                       []*counters
	profilePath, branchPath, split = profilePaths(os.Getenv)
	testMode                       bool
	testPkg                        string
	sigCh                          chan os.Signal
	// The program's own signal handling, as the wrapped os/signal calls
	// in instrumented code tell it: registrations (a channel, or a token
	// for NotifyContext) with the signals each asked for (nil: all), and
	// the signals it ignores.
	appHandlers  = map[interface{}][]os.Signal{}
	appIgnored   = map[os.Signal]bool{}
	appIgnoreAll bool
	// subscribed are the signals the runtime listens to.
	subscribed []os.Signal
)

// handled are the signals the runtime writes the profile on.
var handled = []os.Signal{os.Interrupt, syscall.SIGTERM}

// RunMarker is the file gorewrite cover puts in the GOCOVERDIR of its test
// runs: a test binary started by a test whose environment lost the
// variables above (testscript passes only GOCOVERDIR on) still writes its
// profile, next to the marker.
const RunMarker = ".gorewrite-cover"

// profilePaths returns where the profiles go, as absolute names (relative
// ones are relative to where the program started), or "", and whether each
// process is to write files of its own (in gorewrite cover's test runs).
func profilePaths(getenv func(string) string) (profile, branch string, split bool) {
	profile, branch = getenv(ProfileEnv), getenv(BranchEnv)
	split = getenv("GOREWRITE_COVER_SPLIT") == "1"
	if dir := getenv("GOCOVERDIR"); profile == "" && branch == "" && dir != "" {
		if _, err := os.Stat(filepath.Join(dir, RunMarker)); err == nil {
			profile, branch = filepath.Join(dir, "profile.out"), filepath.Join(dir, "branch.out")
			split = true
		}
	}
	if abs, err := filepath.Abs(profile); err == nil && profile != "" {
		profile = abs
	}
	if abs, err := filepath.Abs(branch); err == nil && branch != "" {
		branch = abs
	}
	return profile, branch, split
}

func init() {
	initTrace(os.Getenv)
	if profilePath == "" && branchPath == "" && tracePath == "" {
		return
	}
	if os.Getenv("GOREWRITE_COVER_SIGNALS") == "off" {
		return
	}
	var sigs []os.Signal
	for _, s := range handled {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	subscribed = sigs
	sigCh = make(chan os.Signal, 1)
	signal.Notify(sigCh, sigs...)
	go handleSignals(sigCh)
}

// handleSignals writes the profile when a signal arrives. When the program
// handles or ignores the signal itself, that is all; otherwise the runtime
// stops listening and sends the signal again, so that it does what it would
// have done without the runtime: end the program, or reach a handler the
// runtime does not know of (in code that is not instrumented).
func handleSignals(ch chan os.Signal) {
	for sig := range ch {
		Flush()
		mu.Lock()
		own := appIgnored[sig] || appIgnoreAll
		for _, sigs := range appHandlers {
			if sigs == nil || containsSignal(sigs, sig) {
				own = true
			}
		}
		mu.Unlock()
		if own {
			continue
		}
		signal.Stop(ch)
		p, err := os.FindProcess(os.Getpid())
		if err == nil {
			err = p.Signal(sig)
		}
		if err != nil {
			// Not every system can send itself a signal (Windows cannot
			// send an interrupt): end the program as the signal would.
			os.Exit(2)
		}
		return
	}
}

func containsSignal(list []os.Signal, sig os.Signal) bool {
	for _, s := range list {
		if s == sig {
			return true
		}
	}
	return false
}

// Register records the coverage mode of an instrumented package.
func Register(pkg, m string) {
	mu.Lock()
	mode = m
	mu.Unlock()
}

// Blocks registers the statement counters of one file of pkg.
func Blocks(pkg string, counts []uint32, files []string, meta []uint32) {
	mu.Lock()
	blocks = append(blocks, &counters{pkg: pkg, counts: counts, last: make([]uint32, len(counts)), files: files, meta: meta})
	mu.Unlock()
}

// Branches registers the branch counters of one file of pkg.
func Branches(pkg string, counts []uint32, files []string, meta []uint32) {
	mu.Lock()
	branches = append(branches, &counters{pkg: pkg, counts: counts, last: make([]uint32, len(counts)), files: files, meta: meta})
	mu.Unlock()
}

// TestBinary says the program is a test binary; when pkg is not empty, it
// reports only that package's counters, as go test -cover does. A test
// binary writes its profile when its tests end; signals are left to the
// tests.
func TestBinary(pkg string) {
	mu.Lock()
	testMode, testPkg = true, pkg
	ch := sigCh
	sigCh = nil
	mu.Unlock()
	if ch != nil {
		// Stop guarantees no more sends: closing ends the handler's
		// goroutine, which leak checks in tests would report.
		signal.Stop(ch)
		close(ch)
	}
}

// RunTests runs a test binary's tests and writes the profile.
func RunTests(run func() int) int {
	code := run()
	logEnv()
	Flush()
	endTrace()
	return code
}

// envRead are the variables that say where the profiles go, which the
// runtime reads at init (in profilePaths).
var envRead = []string{ProfileEnv, BranchEnv, "GOREWRITE_COVER_SPLIT", "GOCOVERDIR"}

// logEnv adds the variables the runtime read to the log of the test
// binary's inputs that go test asks for (-test.testlogfile), once the tests
// have run. go test caches a passing result keyed on the values of the
// variables in that log, and the testing package logs os.Getenv only while
// m.Run runs; the runtime read them at init, before. Without this, go test
// run again with another GOREWRITE_COVERPROFILE would print "(cached)" and
// write no profile. The log is closed when m.Run returns: the lines, in the
// form the testing package writes, go at its end. With no log (go test
// does not cache, or m.Run did not start one) there is nothing to do.
func logEnv() {
	f := flag.Lookup("test.testlogfile")
	if f == nil || f.Value.String() == "" {
		return
	}
	w, err := os.OpenFile(f.Value.String(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	var b bytes.Buffer
	for _, name := range envRead {
		fmt.Fprintf(&b, "getenv %s\n", name)
	}
	w.Write(b.Bytes())
	w.Close()
}

// Runner is what libraries that run a test binary's tests take for its
// *testing.M.
type Runner interface{ Run() int }

type runner struct{ m Runner }

func (r runner) Run() int { return RunTests(r.m.Run) }

// M wraps a TestMain's m for a library that runs the tests and exits: the
// profile is written when the tests have run.
func M(m Runner) Runner { return runner{m} }

// Exit wraps os.Exit: the profile is written before the program exits.
func Exit(exit func(int)) func(int) {
	return func(code int) {
		Flush()
		exit(code)
	}
}

// Fatal is log.Fatal, which instrumented code calls instead: the profile
// is written, then the message (with the caller's position for
// Lshortfile), and the program exits like log.Fatal does. go vet sees a
// print wrapper, as it sees log.Fatal.
func Fatal(v ...interface{}) {
	Flush()
	log.Output(2, fmt.Sprint(v...))
	os.Exit(1)
}

// Fatalf is log.Fatalf, like Fatal.
func Fatalf(format string, v ...interface{}) {
	Flush()
	log.Output(2, fmt.Sprintf(format, v...))
	os.Exit(1)
}

// Fatalln is log.Fatalln, like Fatal.
func Fatalln(v ...interface{}) {
	Flush()
	log.Output(2, fmt.Sprintln(v...))
	os.Exit(1)
}

// FatalFunc wraps a dot-imported log.Fatal, whose import must stay used.
func FatalFunc(func(...interface{})) func(...interface{}) {
	return func(v ...interface{}) {
		Flush()
		log.Output(2, fmt.Sprint(v...))
		os.Exit(1)
	}
}

// FatallnFunc wraps a dot-imported log.Fatalln.
func FatallnFunc(func(...interface{})) func(...interface{}) {
	return func(v ...interface{}) {
		Flush()
		log.Output(2, fmt.Sprintln(v...))
		os.Exit(1)
	}
}

// FatalfFunc wraps a dot-imported log.Fatalf.
func FatalfFunc(func(string, ...interface{})) func(string, ...interface{}) {
	return func(format string, v ...interface{}) {
		Flush()
		log.Output(2, fmt.Sprintf(format, v...))
		os.Exit(1)
	}
}

// CoverMode wraps testing.CoverMode: in a test binary gorewrite measures,
// tests see its mode, as they would see go test -cover's.
func CoverMode(coverMode func() string) func() string {
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		if testMode && len(blocks) > 0 {
			return mode
		}
		return coverMode()
	}
}

// Coverage wraps testing.Coverage: the share of statements run so far.
func Coverage(coverage func() float64) func() float64 {
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		if !testMode || len(blocks) == 0 {
			return coverage()
		}
		var total, run uint64
		for _, c := range blocks {
			if testPkg != "" && c.pkg != testPkg {
				continue
			}
			for i := range c.counts {
				n := uint64(c.meta[6*i+5])
				total += n
				if atomic.LoadUint32(&c.counts[i]) > 0 {
					run += n
				}
			}
		}
		if total == 0 {
			return 0
		}
		return float64(run) / float64(total)
	}
}

// Notify wraps signal.Notify, noting the signals the program handles
// itself: on those the runtime writes the profile and lets the program
// shut down.
func Notify(notify func(chan<- os.Signal, ...os.Signal)) func(chan<- os.Signal, ...os.Signal) {
	return func(c chan<- os.Signal, sig ...os.Signal) {
		mu.Lock()
		old, ok := appHandlers[c]
		switch {
		case len(sig) == 0 || ok && old == nil:
			appHandlers[c] = nil
		default:
			appHandlers[c] = append(append([]os.Signal{}, old...), sig...)
		}
		for _, s := range sig {
			delete(appIgnored, s)
		}
		mu.Unlock()
		notify(c, sig...)
	}
}

// NotifyContext wraps signal.NotifyContext like Notify; the stop function
// it returns forgets the signals again.
func NotifyContext(notify func(context.Context, ...os.Signal) (context.Context, context.CancelFunc)) func(context.Context, ...os.Signal) (context.Context, context.CancelFunc) {
	return func(parent context.Context, sig ...os.Signal) (context.Context, context.CancelFunc) {
		token := new(int)
		mu.Lock()
		if len(sig) == 0 {
			appHandlers[token] = nil
		} else {
			appHandlers[token] = append([]os.Signal{}, sig...)
		}
		mu.Unlock()
		ctx, stop := notify(parent, sig...)
		return ctx, func() {
			mu.Lock()
			delete(appHandlers, token)
			mu.Unlock()
			stop()
		}
	}
}

// Stop wraps signal.Stop: the channel no longer handles signals.
func Stop(stop func(chan<- os.Signal)) func(chan<- os.Signal) {
	return func(c chan<- os.Signal) {
		mu.Lock()
		delete(appHandlers, c)
		mu.Unlock()
		stop(c)
	}
}

// Reset wraps signal.Reset: the program no longer handles the signals (all
// when none is named). Reset removes the runtime's own handler too; it is
// set up again.
func Reset(reset func(...os.Signal)) func(...os.Signal) {
	return func(sig ...os.Signal) {
		mu.Lock()
		for k, list := range appHandlers {
			if len(sig) == 0 {
				delete(appHandlers, k)
				continue
			}
			if list == nil {
				list = handled
			}
			var kept []os.Signal
			for _, s := range list {
				if !containsSignal(sig, s) {
					kept = append(kept, s)
				}
			}
			if len(kept) == 0 {
				delete(appHandlers, k)
			} else {
				appHandlers[k] = kept
			}
		}
		ch, subs := sigCh, subscribed
		mu.Unlock()
		reset(sig...)
		if ch != nil {
			// Reset removed the runtime's handler too.
			signal.Notify(ch, subs...)
		}
	}
}

// Ignore wraps signal.Ignore (all signals when none is named). The
// runtime's own handler is removed for them too: an ignored signal stays
// ignored, for the program and the processes it starts.
func Ignore(ignore func(...os.Signal)) func(...os.Signal) {
	return func(sig ...os.Signal) {
		mu.Lock()
		if len(sig) == 0 {
			appIgnoreAll = true
		}
		for _, s := range sig {
			appIgnored[s] = true
		}
		mu.Unlock()
		ignore(sig...)
	}
}

// Flush adds the counts since the last flush to the profiles. In gorewrite
// cover's test runs each process writes profiles of its own (the name with
// its process id added), which gorewrite adds up: test binaries run in
// parallel need not wait for each other.
func Flush() {
	mu.Lock()
	defer mu.Unlock()
	flushTrace()
	suffix := ""
	if split {
		suffix = "." + strconv.Itoa(os.Getpid())
	}
	if profilePath != "" && len(blocks) > 0 {
		if err := merge(profilePath+suffix, "mode: ", collect(blocks)); err != nil {
			fmt.Fprintf(os.Stderr, "gorewrite cover: writing profile: %v\n", err)
		}
	}
	if branchPath != "" && len(branches) > 0 {
		if err := merge(branchPath+suffix, "branchmode: ", collect(branches)); err != nil {
			fmt.Fprintf(os.Stderr, "gorewrite cover: writing branch profile: %v\n", err)
		}
	}
}

// collect returns the counts since the last flush, by profile line key.
func collect(list []*counters) map[string]uint64 {
	out := map[string]uint64{}
	for _, c := range list {
		if testMode && testPkg != "" && c.pkg != testPkg {
			continue
		}
		for i := range c.counts {
			m := c.meta[6*i : 6*i+6]
			key := fmt.Sprintf("%s:%d.%d,%d.%d %d", c.files[m[0]], m[1], m[2], m[3], m[4], m[5])
			v := atomic.LoadUint32(&c.counts[i])
			delta := uint64(v - c.last[i])
			if mode == "set" && v > 0 {
				delta = 1
			}
			c.last[i] = v
			out[key] += delta
		}
	}
	return out
}

// merge adds counts to the profile at path under a lock file, replacing
// the file atomically.
func merge(path, header string, counts map[string]uint64) error {
	unlock, err := lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := ioutil.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	total := map[string]uint64{}
	if len(old) > 0 {
		sc := bufio.NewScanner(bytes.NewReader(old))
		sc.Buffer(nil, 1<<20)
		first := true
		for sc.Scan() {
			line := sc.Text()
			if first {
				first = false
				if line != header+mode {
					return fmt.Errorf("%s: has %q, this program counts in %s mode", path, line, mode)
				}
				continue
			}
			i := strings.LastIndexByte(line, ' ')
			if i < 0 {
				continue
			}
			n, err := strconv.ParseUint(line[i+1:], 10, 64)
			if err != nil {
				return fmt.Errorf("%s: bad line %q", path, line)
			}
			total[line[:i]] = n
		}
	}
	for k, v := range counts {
		if mode == "set" {
			if v > 0 || total[k] > 0 {
				total[k] = 1
			} else {
				total[k] = 0
			}
			continue
		}
		total[k] += v
	}
	keys := make([]sortKey, 0, len(total))
	for k := range total {
		keys = append(keys, newSortKey(k))
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	var b bytes.Buffer
	b.WriteString(header + mode + "\n")
	for _, k := range keys {
		b.WriteString(k.line)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(total[k.line], 10))
		b.WriteByte('\n')
	}
	tmp, err := ioutil.TempFile(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	os.Chmod(tmp.Name(), 0644)
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// lock takes path.lock, holding this process's id, waiting for another
// process to release it. A lock whose process is gone (killed while it held
// the lock), or older than a minute, is broken.
func lock(path string) (func(), error) {
	name := path + ".lock"
	deadline := time.Now().Add(2 * time.Minute)
	for {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !os.IsExist(err) {
			return nil, err
		}
		if stale(name) {
			os.Remove(name)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: still locked after two minutes", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stale reports whether the lock file name was left by a process that is
// gone, or is older than a minute.
func stale(name string) bool {
	fi, err := os.Stat(name)
	if err != nil {
		return false
	}
	if time.Since(fi.ModTime()) > time.Minute {
		return true
	}
	data, err := ioutil.ReadFile(name)
	if err != nil || len(data) == 0 || data[len(data)-1] != '\n' {
		return false // being written
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return false
	}
	return !alive(pid)
}

// sortKey orders profile lines by file, then by the numbers of the extent:
// each line is parsed once.
type sortKey struct {
	line, file string
	nums       []int
}

func newSortKey(line string) sortKey {
	file, nums := splitKey(line)
	return sortKey{line, file, nums}
}

func (a sortKey) less(b sortKey) bool {
	if a.file != b.file {
		return a.file < b.file
	}
	for i := 0; i < len(a.nums) && i < len(b.nums); i++ {
		if a.nums[i] != b.nums[i] {
			return a.nums[i] < b.nums[i]
		}
	}
	return len(a.nums) < len(b.nums)
}

// keyLess orders two profile lines as sortKey does.
func keyLess(a, b string) bool { return newSortKey(a).less(newSortKey(b)) }

func splitKey(k string) (string, []int) {
	i := strings.LastIndexByte(k, ':')
	if i < 0 {
		return k, nil
	}
	var nums []int
	for _, f := range strings.FieldsFunc(k[i+1:], func(r rune) bool { return r == '.' || r == ',' || r == ' ' }) {
		n, _ := strconv.Atoi(f)
		nums = append(nums, n)
	}
	return k[:i], nums
}
