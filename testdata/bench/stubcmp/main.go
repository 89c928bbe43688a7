// Command stubcmp measures gorewrite stub against gotests
// (github.com/cweill/gotests, v1.8.0 by default), in one run on this
// machine: the time to generate test stubs for every function and method of
// every package of real modules, and how many of the generated tests
// compile.
//
// Each module (MODULE@VERSION from the module proxy) is copied out of the
// module cache, made writable, its dependencies downloaded and go.mod tidied;
// go vet ./... on that pristine copy warms the build cache. The defaults:
// github.com/google/uuid (methods, existing tests a stub's name can collide
// with, files for other platforms), github.com/spf13/pflag (one large
// package, variadics), github.com/samber/lo (generics; v1.51.0, as its
// releases ship no tests and later ones ship examples that do not build) and
// golang.org/x/mod (many packages, types holding mutexes, external test
// packages, a main package).
//
// Each run of a tool gets a fresh copy of the pristine module:
//
//   - gorewrite stub -w --all ./... in the module root, once;
//   - gotests -all -w FILE... once per package directory, with all its
//     non-test .go files (how it is used from go generate or a Makefile; its
//     own PATH/... walks into testdata). The wall time is the sum.
//
// The directories are those ./... matches: not testdata, vendor, hidden or
// _ directories, nor nested modules. The wall time shown is the median of
// -runs; the memory is the largest resident set of any one process of the
// tool's process trees. gotests is built once, beforehand.
//
// Then, on the last run's copy: a generated test is a top-level func Test...
// or Fuzz... of a _test.go file that the pristine copy lacks, counted by file
// and name (one name declared twice in a file counts twice, as the compiler
// rejects it). Every package directory with a new or changed _test.go file
// is checked: go test -short -vet=off (does it build; do its tests pass, as
// the generated tables are empty), with every compiler error (-gcflags=-e),
// then go vet when it builds (findings the pristine copy lacks). The
// generated tests that compile are those of packages that build; "with
// errors" counts the generated tests a compiler error points into, which
// tells one bad stub from many. The same checks on the pristine copy tell
// what was broken before. Build errors are shown, -show lines per package.
//
// It is a benchmark, not a test. It writes only under a temporary
// directory, removed at the end (-keep keeps it).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	gorewrite = flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	gotests   = flag.String("gotests", "v1.8.0", "the version of github.com/cweill/gotests to build")
	modules   = flag.String("modules", "github.com/google/uuid@v1.6.0,github.com/spf13/pflag@v1.0.9,github.com/samber/lo@v1.51.0,golang.org/x/mod@v0.42.0",
		"comma-separated MODULE@VERSION, from the module proxy")
	runs    = flag.Int("runs", 1, "timed runs of each tool on each module, alternating; wall time is the median, counts are the last run's")
	timeout = flag.Duration("timeout", 10*time.Minute, "limit on one tool process, and on one go test")
	show    = flag.Int("show", 4, "lines of errors shown per package (and twice as many of each tool's messages)")
	keep    = flag.Bool("keep", false, "keep the temporary directory (the copies) and print its path")
)

const gotestsPkg = "github.com/cweill/gotests/gotests"

// gotestsSums pins go.sum for gotests v1.8.0 and its dependencies: the
// checksum database, through the module proxy, answers 404 for
// github.com/cweill/gotests v1.8.0 here, so go install fails. These are the
// hashes of what the proxy serves, taken once. Other versions go through the
// checksum database (GONOSUMDB=github.com/cweill/gotests skips it).
var gotestsSums = map[string]string{"v1.8.0": `github.com/cweill/gotests v1.8.0 h1:j7lEVL3SzfZ+HS59LcKVGExWl82cpZXbR6S2CrH2vrc=
github.com/cweill/gotests v1.8.0/go.mod h1:ec4OTmXWVUEIznSTBJcO5s9df8C+4NGiEaUuVJW1pL0=
golang.org/x/mod v0.29.0 h1:HV8lRxZC4l2cr3Zq1LvtOsi/ThTgWnUk/y64QSs8GwA=
golang.org/x/mod v0.29.0/go.mod h1:NyhrlYXJ2H4eJiRy/WDBO6HMqZQ6q9nk4JzS3NuCK+w=
golang.org/x/sync v0.17.0 h1:l60nONMj9l5drqw6jlhIELNv9I0A4OFgRsG9k2oT9Ug=
golang.org/x/sync v0.17.0/go.mod h1:9KTHXmSnoGruLpwFjVSX0lNNA75CykiMECbovNTZqGI=
golang.org/x/tools v0.38.0 h1:Hx2Xv8hISq8Lm16jvBZ2VQf+RLmbd7wVUsALibYI/IQ=
golang.org/x/tools v0.38.0/go.mod h1:yEsQ/d/YK8cjh0L6rZlY8tgtlKiBNTL14pGDJPJpYQs=
`}

// errPos is the position a compiler error starts with (an indented line
// continues the one before).
var errPos = regexp.MustCompile(`^(\S+\.go):(\d+):\d+: `)

func main() {
	flag.Parse()
	log.SetFlags(0)
	os.Exit(run())
}

// A toolRun is one tool's result on one module.
type toolRun struct {
	tool      string
	available bool
	walls     []time.Duration
	maxRSS    int64
	procs     int      // processes started in the last run
	failed    []string // non-zero exits, timeouts
	messages  []string // the last run's output, less gotests' "Generated TestX"
	copy      string   // the last run's copy, evaluated
	ev        *evaluation
}

func (r *toolRun) wall() time.Duration {
	if len(r.walls) == 0 {
		return 0
	}
	ds := slices.Clone(r.walls)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// An evaluation is what a tool left in its copy.
type evaluation struct {
	generated, removed, newFiles int
	names                        map[string]bool // package dir + "." + name of each generated test (the name alone in the root)
	sourceChanged                []string
	pkgs                         []*pkgResult
}

type pkgResult struct {
	dir           string // slash-separated, relative to the module root
	newTests      int
	broken, other int      // when it does not build: generated tests with errors, errors elsewhere
	check, before pkgCheck // before: the same checks on the pristine copy
}

type pkgCheck struct {
	built, passed bool
	errLines      []string // compiler errors, or the failing tests
	vet           []string // go vet's findings, when it builds
}

// compiling counts the generated tests of packages that build.
func (e *evaluation) compiling() (tests int) {
	for _, p := range e.pkgs {
		if p.check.built {
			tests += p.newTests
		}
	}
	return tests
}

type bench struct {
	ctx       context.Context
	tmp       string
	env       []string
	gorewrite string // "" when it has no stub command
	gotests   string
	failed    bool
	baseline  map[[2]string]pkgCheck // by pristine copy and package dir
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{ctx: ctx, baseline: make(map[[2]string]pkgCheck)}
	var mods []string
	for _, m := range strings.Split(*modules, ",") {
		if m = strings.TrimSpace(m); m != "" && !strings.Contains(m, "@") {
			log.Printf("stubcmp: -modules: %q: want MODULE@VERSION", m)
			return 2
		} else if m != "" {
			mods = append(mods, m)
		}
	}
	var err error
	if b.tmp, err = os.MkdirTemp("", "stubcmp-"); err != nil {
		log.Print(err)
		return 1
	}
	if *keep {
		fmt.Printf("stubcmp: keeping %s\n", b.tmp)
	} else {
		defer os.RemoveAll(b.tmp)
	}
	os.Mkdir(filepath.Join(b.tmp, "tmp"), 0o777)
	// GOTOOLCHAIN=local: a module asking for a newer Go fails rather than
	// downloading a toolchain in the middle of a timing.
	b.env = append(os.Environ(), "TMPDIR="+filepath.Join(b.tmp, "tmp"), "GOTOOLCHAIN=local")

	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Printf("stubcmp: %s, %d CPUs, %d run(s) of each tool\n", strings.TrimSpace(string(goVersion)), runtime.NumCPU(), *runs)
	if l, err := os.ReadFile("/proc/loadavg"); err == nil && len(strings.Fields(string(l))) >= 3 {
		fmt.Printf("load average: %s (the timings assume a machine otherwise idle)\n", strings.Join(strings.Fields(string(l))[:3], " "))
	}
	if abs, err := filepath.Abs(*gorewrite); err != nil {
		log.Print(err)
		return 1
	} else if out, err := exec.Command(abs, "stub", "--help").CombinedOutput(); err != nil || !bytes.Contains(out, []byte("--all")) {
		fmt.Printf("gorewrite: %s stub --help does not show an --all flag: measuring gotests only\n", abs)
		b.failed = true
	} else {
		b.gorewrite = abs
	}
	start := time.Now()
	if err := b.buildGotests(); err != nil {
		log.Printf("stubcmp: building gotests %s: %v", *gotests, err)
		return 1
	}
	fmt.Printf("gotests: %s (built in %.1fs)\n", *gotests, time.Since(start).Seconds())

	var rows [][2]*toolRun
	for i, m := range mods {
		if ctx.Err() == nil {
			grw, gt := b.module(i, m)
			rows = append(rows, [2]*toolRun{grw, gt})
		}
	}
	printSummary(mods, rows)
	if ctx.Err() != nil {
		fmt.Println("stubcmp: interrupted")
		return 130
	}
	if b.failed {
		return 1
	}
	return 0
}

// buildGotests builds gotests in a module of its own, go.sum pinned where
// gotestsSums has the version.
func (b *bench) buildGotests() error {
	dir := filepath.Join(b.tmp, "gotests-build")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module stubcmp.tools\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), []byte(gotestsSums[*gotests]), 0o644)
	b.gotests = filepath.Join(b.tmp, "bin", "gotests")
	for _, args := range [][]string{{"go", "get", gotestsPkg + "@" + *gotests}, {"go", "build", "-o", b.gotests, gotestsPkg}} {
		cmd := b.command(dir, args...)
		cmd.Env = append(cmd.Env, "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, indent(lastN(lines(string(out)), 10)))
		}
	}
	return nil
}

// module prepares one module, runs both tools on fresh copies of it and
// prints what they generated.
func (b *bench) module(i int, mod string) (grw, gt *toolRun) {
	fmt.Printf("\n== %s ==\n", mod)
	grw = &toolRun{tool: "gorewrite stub", available: b.gorewrite != ""}
	gt = &toolRun{tool: "gotests " + *gotests, available: true}
	pristine := filepath.Join(b.tmp, fmt.Sprintf("m%d-pristine", i))
	dirs, err := b.prepare(mod, pristine)
	if err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		return grw, gt
	}
	fmt.Printf("  %d package directories\n", len(dirs))
	for r := range *runs {
		order := []*toolRun{grw, gt}
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, tr := range order {
			if !tr.available || b.ctx.Err() != nil {
				continue
			}
			if tr.copy != "" {
				os.RemoveAll(tr.copy) // only the last run's copy is evaluated
			}
			tr.copy = filepath.Join(b.tmp, fmt.Sprintf("m%d-%s-%d", i, strings.Fields(tr.tool)[0], r))
			if err := copyTree(pristine, tr.copy); err != nil {
				tr.failed = append(tr.failed, err.Error())
				continue
			}
			tr.messages, tr.procs = nil, 0
			tr.walls = append(tr.walls, 0)
			if tr == grw {
				b.timeTool(tr, r, []string{b.gorewrite, "stub", "-w", "--all", "./..."})
			} else {
				for _, d := range dirs {
					files, _ := filepath.Glob(filepath.Join(tr.copy, d, "*.go"))
					files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
					b.timeTool(tr, r, append([]string{b.gotests, "-all", "-w"}, files...))
				}
			}
			fmt.Printf("  run %d: %s: %.2fs (%d process(es))\n", r+1, tr.tool, tr.walls[r].Seconds(), tr.procs)
		}
	}
	for _, tr := range []*toolRun{grw, gt} {
		if tr.copy != "" && b.ctx.Err() == nil {
			tr.ev = b.evaluate(pristine, tr.copy)
		}
		b.failed = b.failed || len(tr.failed) > 0
	}
	report(grw, gt)
	return grw, gt
}

// prepare copies a module out of the module cache to dir, with its
// dependencies downloaded and go.mod tidy, warms the build cache and
// returns its package directories.
func (b *bench) prepare(mod, dir string) ([]string, error) {
	out, err := b.command(b.tmp, "go", "mod", "download", "-json", mod).Output()
	var info struct{ Dir, Error string }
	json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		return nil, fmt.Errorf("go mod download %s: %v %s", mod, err, info.Error)
	}
	if err := copyTree(info.Dir, dir); err != nil {
		return nil, err
	}
	for _, args := range [][]string{{"go", "mod", "download"}, {"go", "mod", "tidy"}} {
		if out, err := b.command(dir, args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, indent(lastN(lines(string(out)), 10)))
		}
	}
	if out, err := b.command(dir, "go", "vet", "./...").CombinedOutput(); err != nil {
		fmt.Printf("  note: go vet ./... fails on the pristine copy (see \"before\" below):\n%s", indent(lastN(lines(string(out)), *show)))
	}
	var dirs []string
	err = walk(dir, func(rel string) {
		if d := filepath.ToSlash(filepath.Dir(rel)); !strings.HasSuffix(rel, "_test.go") && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	})
	if err == nil && len(dirs) == 0 {
		err = fmt.Errorf("no package in %s", mod)
	}
	return dirs, err
}

// walk calls fn with the path, relative to root, of each .go file of the
// directories ./... matches.
func walk(root string, fn func(rel string)) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		n := d.Name()
		ignored := strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")
		if d.IsDir() {
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil || ignored || n == "testdata" || n == "vendor" {
				return filepath.SkipDir
			}
		} else if strings.HasSuffix(n, ".go") && !ignored && d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			fn(rel)
		}
		return nil
	})
}

func (b *bench) command(dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(b.ctx, args[0], args[1:]...)
	cmd.Dir, cmd.Env = dir, slices.Clone(b.env)
	return cmd
}

// timeTool runs one tool process in the run's copy, adds its wall time to
// run r's, and keeps its output and failures.
func (b *bench) timeTool(tr *toolRun, r int, args []string) {
	ctx, cancel := context.WithTimeout(b.ctx, *timeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = tr.copy, b.env, &stdout, &stderr
	// Its own process group, killed on timeout and after it ends, so
	// nothing it started (go list, for goimports or go/packages) lingers.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	tr.walls[r] += time.Since(start)
	tr.procs++
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	// The rusage of a waited-for child covers the descendants it waited
	// for: the largest resident set of any one of them.
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss := int64(ru.Maxrss) * 1024 // kilobytes on Linux
			if runtime.GOOS == "darwin" {
				rss = int64(ru.Maxrss)
			}
			tr.maxRSS = max(tr.maxRSS, rss)
		}
	}
	// gotests reports errors on standard output among its progress lines.
	for _, l := range lines(stdout.String() + "\n" + stderr.String()) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Generated Test") {
			tr.messages = append(tr.messages, l)
		}
	}
	what := strings.Join(args[1:min(len(args), 5)], " ")
	if len(args) > 5 {
		what += fmt.Sprintf(" (+%d files)", len(args)-5)
	}
	if ctx.Err() == context.DeadlineExceeded {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %s: killed after -timeout %v", r+1, what, *timeout))
	} else if err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %s: %v", r+1, what, err))
	}
}

// scan reads the .go files under root (those walk visits): their content,
// and the top-level Test and Fuzz functions of the _test.go files, by
// slash-separated file and name, with the lines each declaration spans in
// source order.
func scan(root string) (map[string]string, map[[2]string][][2]int) {
	files := make(map[string]string)
	tests := make(map[[2]string][][2]int)
	walk(root, func(rel string) {
		src, err := os.ReadFile(filepath.Join(root, rel))
		rel = filepath.ToSlash(rel)
		if files[rel] = string(src); err != nil || !strings.HasSuffix(rel, "_test.go") {
			return
		}
		fset := token.NewFileSet()
		// A file that does not parse fails the build of its package.
		f, _ := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && (isTest(fn.Name.Name, "Test") || isTest(fn.Name.Name, "Fuzz")) {
				k := [2]string{rel, fn.Name.Name}
				tests[k] = append(tests[k], [2]int{fset.Position(fn.Pos()).Line, fset.Position(fn.End()).Line})
			}
		}
	})
	return files, tests
}

// isTest reports whether go test runs name with that prefix: the prefix
// alone or followed by something other than a lower-case letter.
func isTest(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	r, _ := utf8.DecodeRuneInString(rest)
	return ok && (rest == "" || !unicode.IsLower(r))
}

// evaluate counts the tests a tool generated in copy and checks each
// package it changed.
func (b *bench) evaluate(pristine, copy string) *evaluation {
	ev := &evaluation{names: make(map[string]bool)}
	oldFiles, before := scan(pristine)
	newFiles, after := scan(copy)
	perDir := make(map[string]int)
	// Where the new declarations are, to tell which a compiler error is
	// in. Of several of one name in a file the last are new: both tools
	// append.
	type span struct {
		name     string
		from, to int
	}
	spans := make(map[string][]span)
	for k, s := range after {
		if n := len(s) - len(before[k]); n > 0 {
			ev.generated += n
			dir := filepath.ToSlash(filepath.Dir(k[0]))
			perDir[dir] += n
			ev.names[strings.TrimPrefix(dir+"."+k[1], "..")] = true
			for _, l := range s[len(before[k]):] {
				spans[k[0]] = append(spans[k[0]], span{k[1], l[0], l[1]})
			}
		}
	}
	for k, s := range before {
		ev.removed += max(0, len(s)-len(after[k]))
	}
	// Check every directory with a new or changed _test.go file, even
	// with no new test in it: a bad import edit breaks a package too.
	var dirs []string
	for f, src := range newFiles {
		if old, ok := oldFiles[f]; ok && old == src {
			continue
		} else if !strings.HasSuffix(f, "_test.go") {
			ev.sourceChanged = append(ev.sourceChanged, f)
		} else if d := filepath.ToSlash(filepath.Dir(f)); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
		if _, ok := oldFiles[f]; !ok {
			ev.newFiles++
		}
	}
	slices.Sort(dirs)
	for _, d := range dirs {
		if b.ctx.Err() != nil {
			break
		}
		base, ok := b.baseline[[2]string{pristine, d}]
		if !ok {
			base = b.check(pristine, d)
			b.baseline[[2]string{pristine, d}] = base
		}
		p := &pkgResult{dir: d, newTests: perDir[d], check: b.check(copy, d), before: base}
		ev.pkgs = append(ev.pkgs, p)
		// An error is in a generated test if its position or that of
		// an indented line after it is: "X redeclared" can point at the
		// old X, "other declaration of X" at the new.
		broken := make(map[string]bool)
		pending := false // the last error is in no generated test so far
		for _, l := range p.check.errLines {
			m := errPos.FindStringSubmatch(strings.TrimSpace(l))
			cont := strings.HasPrefix(l, "\t")
			if m == nil || p.check.built || cont && !pending {
				continue
			}
			if !cont && pending {
				p.other++
			}
			file := m[1] // relative to the module root (./x.go for its package), or absolute
			if !filepath.IsAbs(file) {
				file = filepath.Join(copy, file)
			}
			file, _ = filepath.Rel(copy, file)
			file = filepath.ToSlash(file)
			line, _ := strconv.Atoi(m[2])
			i := slices.IndexFunc(spans[file], func(s span) bool { return s.from <= line && line <= s.to })
			if pending = i < 0; i >= 0 {
				broken[file+"."+spans[file][i].name] = true
			}
		}
		if pending {
			p.other++
		}
		p.broken = len(broken)
	}
	return ev
}

// check builds and runs the tests of the package in root's directory dir
// (vet off: go test's share of vet would fail a build that works), every
// compiler error reported (-gcflags=-e, not ten), then vets it when it
// builds.
func (b *bench) check(root, dir string) pkgCheck {
	out, err := b.command(root, "go", "test", "-short", "-count=1", "-vet=off", "-gcflags=-e", "-timeout", timeout.String(), "./"+dir).CombinedOutput()
	s := string(out)
	c := pkgCheck{built: !strings.Contains(s, "[build failed]") && !strings.Contains(s, "[setup failed]"), passed: err == nil}
	for _, l := range lines(s) {
		if err != nil && (c.built && (strings.HasPrefix(l, "--- FAIL") || strings.HasPrefix(l, "panic:")) || !c.built && strings.Contains(l, ".go:")) {
			c.errLines = append(c.errLines, l)
		}
	}
	if err != nil && len(c.errLines) == 0 {
		c.errLines = lines(s)
	}
	if c.built {
		out, _ := b.command(root, "go", "vet", "./"+dir).CombinedOutput()
		for _, l := range lines(string(out)) {
			if strings.Contains(l, ".go:") && !strings.HasPrefix(l, "#") {
				c.vet = append(c.vet, strings.TrimSpace(l))
			}
		}
	}
	return c
}

// report prints one module's figures.
func report(grw, gt *toolRun) {
	for _, tr := range []*toolRun{grw, gt} {
		for _, f := range tr.failed {
			fmt.Printf("  %s FAILED: %s\n", tr.tool, f)
		}
		if len(tr.messages) > 0 {
			fmt.Printf("  %s: %d line(s) of messages, such as:\n%s", tr.tool, len(tr.messages), indent(firstN(tr.messages, 2**show)))
		}
		if ev := tr.ev; ev != nil && ev.removed+len(ev.sourceChanged) > 0 {
			slices.Sort(ev.sourceChanged)
			fmt.Printf("  %s REMOVED %d test function(s) and CHANGED non-test files: %v\n", tr.tool, ev.removed, firstN(ev.sourceChanged, 10))
		}
	}

	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "tool\twall\tmax RSS\ttests generated\tcompile\twith errors\tnew files\tpkgs changed\tbuild\tvet clean\tgo test pass\t\n")
	for _, tr := range []*toolRun{grw, gt} {
		ev := tr.ev
		if ev == nil { // every cell, or tabwriter aligns the rows below apart
			fmt.Fprintf(tw, "%s\t(not run)\t%s\n", tr.tool, strings.Repeat("-\t", 9))
			continue
		}
		built, vetClean, passed, broken := 0, 0, 0, 0
		for _, p := range ev.pkgs {
			broken += p.broken
			if p.check.built {
				built++
			}
			if p.check.built && len(newFindings(p)) == 0 {
				vetClean++
			}
			if p.check.passed {
				passed++
			}
		}
		rss := "-"
		if tr.maxRSS > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(tr.maxRSS)/(1<<20))
		}
		fmt.Fprintf(tw, "%s\t%.2fs\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", tr.tool, tr.wall().Seconds(), rss,
			ev.generated, ev.compiling(), broken, ev.newFiles, len(ev.pkgs), built, vetClean, passed)
	}
	tw.Flush()
	if *runs > 1 {
		round := func(ds []time.Duration) (out []time.Duration) {
			for _, d := range ds {
				out = append(out, d.Round(10*time.Millisecond))
			}
			return out
		}
		fmt.Printf("  wall times: gorewrite %v; gotests %v (median shown)\n", round(grw.walls), round(gt.walls))
	}
	if grw.wall() > 0 && gt.wall() > 0 {
		fmt.Printf("  gotests/gorewrite wall time: %.2fx\n", gt.wall().Seconds()/grw.wall().Seconds())
	}

	// Per package, what went wrong, and whether it was so before.
	for _, tr := range []*toolRun{grw, gt} {
		if tr.ev == nil {
			continue
		}
		for _, p := range tr.ev.pkgs {
			what, errs := "tests fail", p.check.errLines
			switch {
			case !p.check.built:
				what = fmt.Sprintf("does not build: errors in %d generated tests, %d elsewhere", p.broken, p.other)
			case p.check.passed && len(newFindings(p)) > 0:
				what, errs = "new go vet findings", newFindings(p)
			case p.check.passed:
				continue
			}
			if !p.before.built {
				what += " (did not build before either)"
			} else if !p.before.passed {
				what += " (tests failed before too)"
			}
			fmt.Printf("  %s: %s (%d new tests): %s; %d lines:\n%s", tr.tool, p.dir, p.newTests, what, len(errs), indent(firstN(errs, *show)))
		}
	}

	// How far the two agree on what to generate, by package and name.
	if grw.ev != nil && gt.ev != nil {
		only := func(a, b map[string]bool) (o []string) {
			for n := range a {
				if !b[n] {
					o = append(o, n)
				}
			}
			slices.Sort(o)
			return o
		}
		onlyGrw, onlyGt := only(grw.ev.names, gt.ev.names), only(gt.ev.names, grw.ev.names)
		fmt.Printf("  tests (package and name) both generate: %d; only gorewrite: %d; only gotests: %d\n",
			len(grw.ev.names)-len(onlyGrw), len(onlyGrw), len(onlyGt))
		for _, l := range [][]string{onlyGrw, onlyGt} {
			if len(l) > 0 {
				fmt.Printf("      e.g. %s\n", strings.Join(firstN(l, 2**show), " "))
			}
		}
	}
}

// newFindings are a package's go vet findings the pristine copy lacks.
func newFindings(p *pkgResult) []string {
	return slices.DeleteFunc(slices.Clone(p.check.vet), func(f string) bool { return slices.Contains(p.before.vet, f) })
}

func printSummary(mods []string, rows [][2]*toolRun) {
	fmt.Println("\n== Summary (generated tests that compile / generated; wall time) ==")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "module\tgorewrite\twall\tgotests\twall\tgotests/gorewrite time\t\n")
	var sums [2]time.Duration
	cell := func(tr *toolRun) string {
		if tr.ev == nil {
			return "(not run)\t-"
		}
		s := fmt.Sprintf("%d/%d", tr.ev.compiling(), tr.ev.generated)
		if len(tr.failed) > 0 {
			s += " (FAILED)"
		}
		return fmt.Sprintf("%s\t%.2fs", s, tr.wall().Seconds())
	}
	for i, r := range rows {
		ratio := "-"
		if r[0].wall() > 0 && r[1].wall() > 0 {
			ratio = fmt.Sprintf("%.2fx", r[1].wall().Seconds()/r[0].wall().Seconds())
			sums[0] += r[0].wall()
			sums[1] += r[1].wall()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", mods[i], cell(r[0]), cell(r[1]), ratio)
	}
	if sums[0] > 0 {
		fmt.Fprintf(tw, "all (where both ran)\t\t%.2fs\t\t%.2fs\t%.2fx\t\n", sums[0].Seconds(), sums[1].Seconds(), sums[1].Seconds()/sums[0].Seconds())
	}
	tw.Flush()
}

// copyTree copies the regular files and directories of src to dst, every
// file and directory writable by its owner (module cache files are not).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		fi, err := d.Info()
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, fi.Mode().Perm()|0o200)
	})
}

func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

func firstN[T any](s []T, n int) []T { return s[:min(len(s), n)] }

func lastN[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }

// indent formats lines for the report, each clipped to 160 characters.
func indent(ls []string) string {
	var sb strings.Builder
	for _, l := range ls {
		if l = strings.TrimSpace(l); utf8.RuneCountInString(l) > 160 {
			l = string([]rune(l)[:157]) + "..."
		}
		sb.WriteString("      " + l + "\n")
	}
	return sb.String()
}
