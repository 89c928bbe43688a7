// Command covercmp measures gorewrite cover against the tools a user would
// otherwise run, in one run on this machine:
//
//   - instrumenting: gorewrite cover --overlay over every non-test file of a
//     copy of $GOROOT/src, against cmd/cover (go tool cover -mode=count) run
//     file by file over the same files with as many workers;
//   - test time: gorewrite cover against go test -cover on copies of
//     standard-library packages, in set and count mode, warm build cache,
//     -count=1 both.
//
// It prints files per second, wall times and ratios. make bench runs it.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

var (
	gorewrite = flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	workers   = flag.Int("workers", runtime.GOMAXPROCS(0), "parallel cover processes for the per-file baseline")
	runs      = flag.Int("runs", 3, "timed runs of each test command")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	bin, err := filepath.Abs(*gorewrite)
	if err != nil {
		log.Fatal(err)
	}
	goroot := goEnv("GOROOT")
	fmt.Printf("covercmp: %s, %d CPUs\n\n", strings.TrimSpace(string(must(exec.Command("go", "version").Output()))), runtime.NumCPU())
	instrumenting(bin, goroot)
	testTime(bin, goroot)
}

func goEnv(name string) string {
	return strings.TrimSpace(string(must(exec.Command("go", "env", name).Output())))
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}

// instrumenting copies the non-test Go files of $GOROOT/src into a module
// and instruments all of it.
func instrumenting(bin, goroot string) {
	mod := must(os.MkdirTemp("", "covercmp-std-"))
	defer os.RemoveAll(mod)
	src := filepath.Join(goroot, "src")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || n == "vendor" || strings.HasPrefix(n, "_") || strings.HasPrefix(n, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(mod, rel)
		os.MkdirAll(filepath.Dir(to), 0o777)
		return os.WriteFile(to, must(os.ReadFile(path)), 0o666)
	})
	if err != nil {
		log.Fatal(err)
	}
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module stdbench\n\ngo 1.26\n"), 0o666)

	// The files each tool instruments: those of the packages go list
	// finds for this platform.
	list := exec.Command("go", "list", "-e", "-json=Dir,GoFiles,CgoFiles", "./...")
	list.Dir = mod
	out := must(list.Output())
	var files []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Dir               string
			GoFiles, CgoFiles []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		for _, f := range append(p.GoFiles, p.CgoFiles...) {
			files = append(files, filepath.Join(p.Dir, f))
		}
	}

	ov := filepath.Join(mod, "..", filepath.Base(mod)+"-overlay")
	defer os.RemoveAll(ov)
	start := time.Now()
	cmd := exec.Command(bin, "cover", "--include-generated", "--mode", "count", "--overlay", ov, "./...")
	cmd.Dir = mod
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		// Packages that do not parse are reported; the rest is written.
		fmt.Fprintf(os.Stderr, "gorewrite cover: %v\n%s", err, lastLines(stderr.String(), 5))
	}
	ours := time.Since(start)
	var overlay struct{ Replace map[string]string }
	json.Unmarshal(must(os.ReadFile(filepath.Join(ov, "overlay.json"))), &overlay)

	tool := filepath.Join(goEnv("GOTOOLDIR"), "cover")
	start = time.Now()
	var wg sync.WaitGroup
	jobs := make(chan string)
	var mu sync.Mutex
	failed := 0
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				if err := exec.Command(tool, "-mode=count", "-var=GoCover", "-o", os.DevNull, f).Run(); err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	theirs := time.Since(start)

	fmt.Printf("Instrumenting every non-test file of $GOROOT/src (%d files, %d packages' worth):\n", len(files), strings.Count(string(out), "\"Dir\""))
	fmt.Printf("  gorewrite cover --overlay (one process, go list included)  %7.2fs  %7.0f files/s  (%d files written)\n", ours.Seconds(), float64(len(files))/ours.Seconds(), len(overlay.Replace))
	fmt.Printf("  go tool cover -mode=count, file by file, %d workers         %7.2fs  %7.0f files/s  (%d failed)\n", *workers, theirs.Seconds(), float64(len(files))/theirs.Seconds(), failed)
	fmt.Printf("  ratio gorewrite/cover: %.2f (time)\n\n", ours.Seconds()/theirs.Seconds())
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n") + "\n"
}

// stdPackages build and test outside GOROOT (see rewrite/cover's parity
// test).
var stdPackages = []string{
	"encoding/csv", "text/template/parse", "text/scanner", "regexp/syntax", "go/constant",
	"container/list", "encoding/hex", "encoding/base32", "encoding/ascii85", "encoding/pem",
	"container/ring", "container/heap", "go/build/constraint", "go/format", "go/ast", "html",
	"mime/quotedprintable", "image", "image/color", "math/cmplx", "maps", "net/mail",
	"net/textproto", "testing/iotest", "testing/quick", "cmp", "text/tabwriter", "unicode/utf8",
}

// testTime compares test runs with probes.
func testTime(bin, goroot string) {
	mod := must(os.MkdirTemp("", "covercmp-test-"))
	defer os.RemoveAll(mod)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module stdcopy\n\ngo 1.26\n"), 0o666)
	for _, p := range stdPackages {
		from := filepath.Join(goroot, "src", filepath.FromSlash(p))
		to := filepath.Join(mod, filepath.FromSlash(p))
		filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(from, path)
			if d.IsDir() {
				if rel != "." && !strings.HasPrefix(filepath.ToSlash(rel), "testdata") {
					return filepath.SkipDir
				}
				return os.MkdirAll(filepath.Join(to, rel), 0o777)
			}
			return os.WriteFile(filepath.Join(to, rel), must(os.ReadFile(path)), 0o666)
		})
	}
	fmt.Printf("Test time, %d standard-library packages copied into a module, warm build cache, median of %d runs:\n", len(stdPackages), *runs)
	for _, mode := range []string{"set", "count"} {
		prof := filepath.Join(mod, "..", filepath.Base(mod)+".out")
		defer os.Remove(prof)
		goTest := []string{"go", "test", "-count=1", "-covermode=" + mode, "-coverprofile=" + prof, "./..."}
		ours := []string{bin, "cover", "--mode", mode, "-o", prof, "./..."}
		timeIt(mod, goTest) // warm the build cache
		timeIt(mod, ours)
		var a, b []time.Duration
		for range *runs {
			a = append(a, timeIt(mod, goTest))
			b = append(b, timeIt(mod, ours))
		}
		ma, mb := median(a), median(b)
		fmt.Printf("  %-5s go test -cover %6.2fs   gorewrite cover %6.2fs   ratio %.2f\n", mode, ma.Seconds(), mb.Seconds(), mb.Seconds()/ma.Seconds())
	}
}

func timeIt(dir string, args []string) time.Duration {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "FAIL") {
				fmt.Fprintln(os.Stderr, sc.Text())
			}
		}
		log.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}
