// Command gofmtcmp compares gorewrite's pattern rewrite with gofmt -r on a
// source tree (by default all of $GOROOT/src), in one run on one machine:
//
//   - wall time of both tools listing the changed files (-l), alternating
//     runs, median of -runs, and the ratio gorewrite/gofmt;
//   - whether they change the same files;
//   - for each changed file, whether the rewritten sources are byte-identical,
//     and for each difference which kind it is.
//
// It is a benchmark, run by make bench, not a test.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	rule := flag.String("rule", "a + b -> a * b", "the rewrite rule")
	root := flag.String("root", filepath.Join(runtime.GOROOT(), "src"), "the tree to rewrite")
	bin := flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	runs := flag.Int("runs", 3, "timed runs of each tool")
	show := flag.Int("show", 3, "differences to print per kind")
	flag.Parse()

	// Timing: both tools list the files they would change.
	var ours, theirs []time.Duration
	var oursList, theirsList []string
	var oursRSS, theirsRSS int64
	for i := 0; i < *runs; i++ {
		d, out, rss := timed(*bin, "rewrite", "-e", *rule, "-l", "--include-generated", *root)
		ours, oursList, oursRSS = append(ours, d), lines(out), max(oursRSS, rss)
		d, out, rss = timed("gofmt", "-r", *rule, "-l", *root)
		theirs, theirsList, theirsRSS = append(theirs, d), lines(out), max(theirsRSS, rss)
	}
	mo, mt := median(ours), median(theirs)
	fmt.Printf("rule %q over %s, GOMAXPROCS=%d\n", *rule, *root, runtime.GOMAXPROCS(0))
	fmt.Printf("wall time, median of %d: gorewrite -l %v, gofmt -r -l %v, ratio %.2f\n", *runs, mo.Round(time.Millisecond), mt.Round(time.Millisecond), mo.Seconds()/mt.Seconds())
	fmt.Printf("peak RSS: gorewrite %d MB, gofmt -r %d MB\n", oursRSS>>10, theirsRSS>>10)

	// Same files? gofmt -r -l also lists files that are merely not
	// gofmt-formatted; gofmt -l alone tells which.
	_, unformattedOut, _ := timed("gofmt", "-l", *root)
	unformatted := set(lines(unformattedOut))
	oursSet, theirsSet := set(oursList), set(theirsList)
	var onlyOurs, onlyTheirs, onlyTheirsFormatting []string
	for _, f := range oursList {
		if !theirsSet[f] {
			onlyOurs = append(onlyOurs, f)
		}
	}
	for _, f := range theirsList {
		if !oursSet[f] {
			if unformatted[f] {
				onlyTheirsFormatting = append(onlyTheirsFormatting, f)
			} else {
				onlyTheirs = append(onlyTheirs, f)
			}
		}
	}
	fmt.Printf("files changed: gorewrite %d, gofmt -r %d (%d of them only reformatted, no match)\n", len(oursList), len(theirsList), len(onlyTheirsFormatting))
	fmt.Printf("files only gorewrite changes: %d; only gofmt -r changes (with a match): %d\n", len(onlyOurs), len(onlyTheirs))
	for _, f := range append(onlyOurs, onlyTheirs...) {
		fmt.Println("  ", f)
	}

	// Compare the outputs file by file.
	type result struct {
		file, kind string
		diff       string
	}
	results := make([]result, len(oursList))
	var wg sync.WaitGroup
	sem := make(chan bool, runtime.GOMAXPROCS(0))
	for i, f := range oursList {
		wg.Add(1)
		sem <- true
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o, err1 := exec.Command(*bin, "rewrite", "-e", *rule, "--include-generated", f).Output()
			t, err2 := exec.Command("gofmt", "-r", *rule, f).Output()
			src, _ := os.ReadFile(f)
			r := result{file: f}
			switch {
			case err1 != nil || err2 != nil:
				r.kind = fmt.Sprintf("error (gorewrite: %v, gofmt: %v)", err1, err2)
			case bytes.Equal(o, t):
				r.kind = "identical"
			default:
				r.kind = classify(src, o, t)
				r.diff = udiff(t, o)
			}
			results[i] = r
		}()
	}
	wg.Wait()
	byKind := map[string][]result{}
	for _, r := range results {
		byKind[r.kind] = append(byKind[r.kind], r)
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return len(byKind[kinds[i]]) > len(byKind[kinds[j]]) })
	n := len(results)
	same := len(byKind["identical"])
	fmt.Printf("outputs: %d of %d byte-identical (%.2f%%)\n", same, n, 100*float64(same)/float64(max(n, 1)))
	for _, k := range kinds {
		if k == "identical" {
			continue
		}
		fmt.Printf("  %4d  %s\n", len(byKind[k]), k)
	}
	unexplained := 0
	for _, k := range kinds {
		if k == "identical" {
			continue
		}
		if strings.HasPrefix(k, "unexplained") || strings.HasPrefix(k, "error") {
			unexplained += len(byKind[k])
		}
		for i, r := range byKind[k] {
			if i == *show {
				break
			}
			fmt.Printf("\n== %s: %s (- gofmt -r, + gorewrite)\n%s", k, r.file, r.diff)
		}
	}
	fmt.Printf("\nidentical or explained: %.2f%%; unexplained: %d\n", 100*float64(n-unexplained)/float64(max(n, 1)), unexplained)
}

// classify names the kind of a difference between gorewrite's output o and
// gofmt -r's t for the original src.
func classify(src, o, t []byte) string {
	if clean, err := format.Source(src); err == nil && !bytes.Equal(clean, src) {
		if same, _ := format.Source(o); bytes.Equal(same, t) {
			return "original not gofmt-clean: gofmt -r reformats untouched lines, gorewrite only edited ones (same once formatted)"
		}
		return "original not gofmt-clean: gofmt -r reformats untouched lines, gorewrite only edited ones"
	}
	oc, tc := comments(o), comments(t)
	if len(tc) < len(oc) && subset(tc, oc) && len(oc) == len(comments(src)) {
		return "win: gofmt -r drops comments gorewrite keeps"
	}
	if bytes.Equal(dropBlankLines(o), dropBlankLines(t)) {
		return "win: gofmt -r inserts blank lines into multi-line expressions"
	}
	if strip(o) == strip(t) {
		if parensOnly(o, t) {
			return "parenthesization differs, same syntax tree"
		}
		return "unexplained: spacing"
	}
	return "unexplained"
}

func comments(src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments)
	if err != nil {
		return nil
	}
	var out []string
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			out = append(out, c.Text)
		}
	}
	return out
}

func subset(a, b []string) bool {
	count := map[string]int{}
	for _, s := range b {
		count[s]++
	}
	for _, s := range a {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

func dropBlankLines(b []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

func strip(b []byte) string {
	return strings.Join(strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(string(b))), " ")
}

// parensOnly reports whether o and t parse to the same tree when
// parentheses are ignored.
func parensOnly(o, t []byte) bool {
	fo, err1 := parser.ParseFile(token.NewFileSet(), "", o, 0)
	ft, err2 := parser.ParseFile(token.NewFileSet(), "", t, 0)
	if err1 != nil || err2 != nil {
		return false
	}
	var so, st strings.Builder
	ast.Fprint(&so, nil, unparen(fo), ast.NotNilFilter)
	ast.Fprint(&st, nil, unparen(ft), ast.NotNilFilter)
	return positionless(so.String()) == positionless(st.String())
}

func unparen(f *ast.File) *ast.File {
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok {
			b.X, b.Y = ast.Unparen(b.X), ast.Unparen(b.Y)
		}
		return true
	})
	return f
}

func positionless(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.Contains(l, "Pos:") && !strings.Contains(l, "Lparen") && !strings.Contains(l, "Rparen") {
			out = append(out, strings.TrimLeft(l, " .0123456789"))
		}
	}
	return strings.Join(out, "\n")
}

func udiff(a, b []byte) string {
	fa, _ := os.CreateTemp("", "gofmtcmp-a")
	fb, _ := os.CreateTemp("", "gofmtcmp-b")
	defer os.Remove(fa.Name())
	defer os.Remove(fb.Name())
	fa.Write(a)
	fb.Write(b)
	fa.Close()
	fb.Close()
	out, _ := exec.Command("diff", "-u", fa.Name(), fb.Name()).Output()
	if i := bytes.Index(out, []byte("@@")); i >= 0 {
		out = out[i:]
	}
	return string(out)
}

// timed runs a command and returns its wall time, its output and its peak
// resident set size in KB.
func timed(name string, args ...string) (time.Duration, []byte, int64) {
	start := time.Now()
	cmd := exec.Command(name, args...)
	out, _ := cmd.Output() // both exit non-zero on the broken files under testdata
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return time.Since(start), out, rss
}

func lines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
