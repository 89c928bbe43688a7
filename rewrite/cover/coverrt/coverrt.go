// Package coverrt is the runtime of gorewrite's coverage probes. gorewrite
// cover adds it to the instrumented module (through the build overlay, or
// as a directory with -w); instrumented packages register their counters
// with it and it writes them as a coverage profile.
//
// A program writes its profile to the file named by GOREWRITE_COVERPROFILE
// (and its branch profile to GOREWRITE_BRANCHPROFILE) when main returns or
// panics, when instrumented code calls os.Exit, when a test binary's tests
// end, and on SIGINT or SIGTERM. Without those variables it writes nothing
// and changes nothing: no signal is handled.
//
// Runs add up: when the file exists, its counts and this run's are merged
// (summed in count and atomic mode, or-ed in set mode), under a lock file,
// so several processes can share one profile.
//
// The package is compiled as part of the user's module, under its Go
// version: it uses nothing newer than Go 1.16. Its state is package-level
// because it is the process's one registry of counters.
package coverrt

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/ioutil"
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
	mu          sync.Mutex
	mode        = "set"
	blocks      []*counters
	branches    []*counters
	profilePath = os.Getenv(ProfileEnv)
	branchPath  = os.Getenv(BranchEnv)
	testMode    bool
	testPkg     string
	appSignals  = map[os.Signal]bool{}
	appAll      bool
)

func init() {
	if profilePath == "" && branchPath == "" {
		return
	}
	// Relative names are relative to where the program started.
	if abs, err := filepath.Abs(profilePath); err == nil && profilePath != "" {
		profilePath = abs
	}
	if abs, err := filepath.Abs(branchPath); err == nil && branchPath != "" {
		branchPath = abs
	}
	var sigs []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		for sig := range ch {
			Flush()
			mu.Lock()
			handled := appAll || appSignals[sig]
			mu.Unlock()
			if handled {
				continue // the program shuts down itself and flushes again
			}
			// End the way the signal would have ended the program.
			signal.Reset(sig)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(sig)
			}
			time.Sleep(time.Second)
			os.Exit(2)
		}
	}()
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
// reports only that package's counters, as go test -cover does.
func TestBinary(pkg string) {
	mu.Lock()
	testMode, testPkg = true, pkg
	mu.Unlock()
}

// RunTests runs a test binary's tests and writes the profile.
func RunTests(run func() int) int {
	code := run()
	Flush()
	return code
}

// Exit wraps os.Exit: the profile is written before the program exits.
func Exit(exit func(int)) func(int) {
	return func(code int) {
		Flush()
		exit(code)
	}
}

// Notify wraps signal.Notify, noting the signals the program handles
// itself: on those the runtime writes the profile and lets the program
// shut down.
func Notify(notify func(chan<- os.Signal, ...os.Signal)) func(chan<- os.Signal, ...os.Signal) {
	return func(c chan<- os.Signal, sig ...os.Signal) {
		noteSignals(sig)
		notify(c, sig...)
	}
}

// NotifyContext wraps signal.NotifyContext like Notify.
func NotifyContext(notify func(context.Context, ...os.Signal) (context.Context, context.CancelFunc)) func(context.Context, ...os.Signal) (context.Context, context.CancelFunc) {
	return func(parent context.Context, sig ...os.Signal) (context.Context, context.CancelFunc) {
		noteSignals(sig)
		return notify(parent, sig...)
	}
}

func noteSignals(sig []os.Signal) {
	mu.Lock()
	defer mu.Unlock()
	if len(sig) == 0 {
		appAll = true
	}
	for _, s := range sig {
		appSignals[s] = true
	}
}

// Flush adds the counts since the last flush to the profiles.
func Flush() {
	mu.Lock()
	defer mu.Unlock()
	if profilePath != "" {
		if err := merge(profilePath, "mode: ", collect(blocks, true)); err != nil {
			fmt.Fprintf(os.Stderr, "gorewrite cover: writing profile: %v\n", err)
		}
	}
	if branchPath != "" && len(branches) > 0 {
		if err := merge(branchPath, "branchmode: ", collect(branches, false)); err != nil {
			fmt.Fprintf(os.Stderr, "gorewrite cover: writing branch profile: %v\n", err)
		}
	}
}

// collect returns the counts since the last flush, by profile line key.
func collect(list []*counters, stmts bool) map[string]uint32 {
	out := map[string]uint32{}
	for _, c := range list {
		if testMode && testPkg != "" && c.pkg != testPkg {
			continue
		}
		for i := range c.counts {
			m := c.meta[6*i : 6*i+6]
			key := fmt.Sprintf("%s:%d.%d,%d.%d %d", c.files[m[0]], m[1], m[2], m[3], m[4], m[5])
			v := atomic.LoadUint32(&c.counts[i])
			delta := v - c.last[i]
			if mode == "set" {
				delta = v
			}
			c.last[i] = v
			out[key] += delta
			if mode == "set" && out[key] > 1 {
				out[key] = 1
			}
		}
	}
	_ = stmts
	return out
}

// merge adds counts to the profile at path under a lock file, replacing
// the file atomically.
func merge(path, header string, counts map[string]uint32) error {
	unlock, err := lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := ioutil.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	total := map[string]uint32{}
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
			n, err := strconv.ParseUint(line[i+1:], 10, 32)
			if err != nil {
				return fmt.Errorf("%s: bad line %q", path, line)
			}
			total[line[:i]] = uint32(n)
		}
	}
	for k, v := range counts {
		if mode == "set" {
			if v > 0 {
				total[k] = 1
			} else if _, ok := total[k]; !ok {
				total[k] = 0
			}
			continue
		}
		total[k] += v
	}
	keys := make([]string, 0, len(total))
	for k := range total {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	var b bytes.Buffer
	b.WriteString(header + mode + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, total[k])
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
	os.Chmod(tmp.Name(), 0o644)
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// lock takes path.lock, waiting for another process to release it; a lock
// older than a minute is left over from a killed process and is broken.
func lock(path string) (func(), error) {
	name := path + ".lock"
	deadline := time.Now().Add(2 * time.Minute)
	for {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !os.IsExist(err) {
			return nil, err
		}
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Minute {
			os.Remove(name)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: still locked after two minutes", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// keyLess orders profile lines by file, then by the numbers of the extent.
func keyLess(a, b string) bool {
	fa, na := splitKey(a)
	fb, nb := splitKey(b)
	if fa != fb {
		return fa < fb
	}
	for i := 0; i < len(na) && i < len(nb); i++ {
		if na[i] != nb[i] {
			return na[i] < nb[i]
		}
	}
	return len(na) < len(nb)
}

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
