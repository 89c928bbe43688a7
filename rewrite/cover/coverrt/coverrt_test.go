package coverrt

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// reset gives a test a fresh registry writing to a profile in a temporary
// directory.
func reset(t *testing.T, m string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	mode, blocks, branches = m, nil, nil
	testMode, testPkg, split = false, "", false
	profilePath = filepath.Join(t.TempDir(), "cover.out")
	branchPath = ""
	return profilePath
}

func TestFlushAddsDeltas(t *testing.T) {
	path := reset(t, "count")
	counts := make([]uint32, 2)
	Blocks("p", counts, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1, 0, 5, 1, 6, 2, 2})
	counts[0] = 3
	Flush()
	counts[0] = 5 // two more since the last flush
	counts[1] = 1
	Flush()
	want := "mode: count\np/a.go:1.2,3.4 1 5\np/a.go:5.1,6.2 2 1\n"
	if got := read(t, path); got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

func TestRunsAddUp(t *testing.T) {
	path := reset(t, "count")
	if err := os.WriteFile(path, []byte("mode: count\np/a.go:1.2,3.4 1 7\nq/b.go:1.1,1.9 1 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	counts := []uint32{1}
	Blocks("p", counts, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1})
	Flush()
	want := "mode: count\np/a.go:1.2,3.4 1 8\nq/b.go:1.1,1.9 1 2\n"
	if got := read(t, path); got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

func TestSetModeOrs(t *testing.T) {
	path := reset(t, "set")
	os.WriteFile(path, []byte("mode: set\np/a.go:1.2,3.4 1 1\np/a.go:5.1,6.2 2 0\n"), 0o644)
	counts := []uint32{0, 1}
	Blocks("p", counts, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1, 0, 5, 1, 6, 2, 2})
	Flush()
	Flush()
	want := "mode: set\np/a.go:1.2,3.4 1 1\np/a.go:5.1,6.2 2 1\n"
	if got := read(t, path); got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

func TestModeMismatchKeepsFile(t *testing.T) {
	path := reset(t, "count")
	old := "mode: set\np/a.go:1.2,3.4 1 1\n"
	os.WriteFile(path, []byte(old), 0o644)
	Blocks("p", []uint32{4}, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1})
	if err := merge(path, "mode: ", collect(blocks)); err == nil || !strings.Contains(err.Error(), "set") {
		t.Errorf("merge into a set profile in count mode: %v", err)
	}
	if got := read(t, path); got != old {
		t.Errorf("profile changed to:\n%s", got)
	}
}

func TestTestBinaryReportsItsPackage(t *testing.T) {
	path := reset(t, "set")
	Blocks("p", []uint32{1}, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1})
	Blocks("q", []uint32{1}, []string{"q/b.go"}, []uint32{0, 1, 2, 3, 4, 1})
	TestBinary("q")
	if code := RunTests(func() int { return 3 }); code != 3 {
		t.Errorf("RunTests = %d, want the tests' code", code)
	}
	want := "mode: set\nq/b.go:1.2,3.4 1 1\n"
	if got := read(t, path); got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

// TestConcurrentProcesses stands for processes sharing one profile: merges
// under the lock lose no count.
func TestConcurrentMerges(t *testing.T) {
	path := reset(t, "count")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if err := merge(path, "mode: ", map[string]uint64{"p/a.go:1.2,3.4 1": 1}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got, want := read(t, path), "mode: count\np/a.go:1.2,3.4 1 80\n"; got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock left: %v", err)
	}
}

func TestKeyOrder(t *testing.T) {
	keys := []string{"b.go:10.1,11.2 1", "a.go:9.1,9.5 1", "b.go:2.1,3.1 1", "b.go:2.1,2.9 1"}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	want := []string{"a.go:9.1,9.5 1", "b.go:2.1,2.9 1", "b.go:2.1,3.1 1", "b.go:10.1,11.2 1"}
	if strings.Join(keys, "|") != strings.Join(want, "|") {
		t.Errorf("order %q, want %q", keys, want)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestStaleLock: a lock left by a process that is gone is broken at once.
func TestStaleLock(t *testing.T) {
	path := reset(t, "count")
	// A pid that cannot be running: beyond the kernel's limit.
	os.WriteFile(path+".lock", []byte("2147483647\n"), 0o644)
	done := make(chan error, 1)
	go func() { done <- merge(path, "mode: ", map[string]uint64{"p/a.go:1.2,3.4 1": 2}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stale lock not broken")
	}
	if got, want := read(t, path), "mode: count\np/a.go:1.2,3.4 1 2\n"; got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

// TestProfilePaths: the variables win; without them a GOCOVERDIR that
// gorewrite marked is used (a test's subprocess whose environment kept
// only GOCOVERDIR); an unmarked one is not.
func TestProfilePaths(t *testing.T) {
	marked, plain := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(marked, RunMarker), nil, 0o644)
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		env           func(string) string
		profile, rest string
	}{
		{env(ProfileEnv, "/x/p.out", "GOCOVERDIR", marked), "/x/p.out", ""},
		{env("GOCOVERDIR", marked), filepath.Join(marked, "profile.out"), filepath.Join(marked, "branch.out")},
		{env("GOCOVERDIR", plain), "", ""},
		{env(), "", ""},
	} {
		p, b, _ := profilePaths(tc.env)
		if p != tc.profile || b != tc.rest {
			t.Errorf("profilePaths = %q, %q; want %q, %q", p, b, tc.profile, tc.rest)
		}
	}
}

// TestSplit: in gorewrite cover's runs each process writes its own file.
func TestSplit(t *testing.T) {
	path := reset(t, "count")
	split = true
	Blocks("p", []uint32{2}, []string{"p/a.go"}, []uint32{0, 1, 2, 3, 4, 1})
	Flush()
	if got, want := read(t, path+"."+strconv.Itoa(os.Getpid())), "mode: count\np/a.go:1.2,3.4 1 2\n"; got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}
