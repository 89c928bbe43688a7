package cmd_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/cmd"
)

var stubStd = flag.Bool("stubstd", false, "TestStubCompiles: generate tests for every standard-library package of the lists, not a slice")

// Standard-library packages copied into a module named stdcopy. Those with
// tests build and test outside GOROOT (the list of
// rewrite/cover/parity_test.go, plus two); those without are copied without
// their tests, which import internal packages, and stub writes all of them.
// The first few of each list are the slice every run covers.
var (
	stubStdTested = []string{
		"encoding/csv", "text/template/parse", "container/list", "go/constant",
		"text/scanner", "regexp/syntax", "encoding/hex", "encoding/base32",
		"encoding/ascii85", "encoding/pem", "container/ring", "container/heap",
		"go/build/constraint", "go/format", "go/ast", "html",
		"mime/quotedprintable", "image", "image/color", "math/cmplx", "maps",
		"net/mail", "net/textproto", "testing/iotest", "testing/quick", "cmp",
		"text/tabwriter", "unicode/utf8", "encoding/xml", "index/suffixarray",
	}
	stubStdUntested = []string{
		"bufio", "flag",
		"unicode/utf16", "encoding/json", "encoding/binary", "go/token", "go/printer",
		"compress/flate", "compress/gzip", "compress/zlib", "compress/lzw", "compress/bzip2",
		"image/png", "math/bits", "mime", "regexp", "slices", "io", "debug/dwarf",
		"go/doc/comment", "database/sql", "database/sql/driver", "testing/fstest", "testing/slogtest",
	}
)

type stubStdPkg struct {
	path  string
	tests bool // copy its tests too
}

func stubStdWithTests() []stubStdPkg {
	n := 4
	if *stubStd {
		n = len(stubStdTested)
	}
	var pkgs []stubStdPkg
	for _, p := range stubStdTested[:n] {
		pkgs = append(pkgs, stubStdPkg{p, true})
	}
	return pkgs
}

func stubStdSources() []stubStdPkg {
	n := 2
	if *stubStd {
		n = len(stubStdUntested)
	}
	var pkgs []stubStdPkg
	for _, p := range stubStdUntested[:n] {
		pkgs = append(pkgs, stubStdPkg{p, false})
	}
	return pkgs
}

// stubCase is one run of gorewrite stub -w on a copy of a module, followed
// by go vet and go test on the result.
type stubCase struct {
	name    string       // subtest name
	module  string       // directory in testdata/stubmods
	std     []stubStdPkg // or standard-library packages, copied into a module stdcopy
	cgo     bool         // the module uses cgo: skip without a C compiler
	work    []string     // the directory is a go.work workspace of these modules: patterns ./m/...
	args    []string     // stub's flags besides -w, -l and the ./... pattern
	goFlags []string     // for go vet and go test
	proxy   bool         // the module needs downloads: go mod download first, skip if it fails
	minNew  int          // Test functions stub must add, at least: all the module's untested functions but the few it may skip
	want    []string     // Test (and Fuzz) functions that must exist afterwards
	check   func(t *testing.T, r *stubRun)
}

// stubRun is what a case's check sees.
type stubRun struct {
	dir           string
	before, after map[string][]byte // file contents by slash path relative to dir
	changed       []string          // test files created or changed by stub -w
}

func stubCases() []stubCase {
	base := []stubCase{
		{name: "methods", module: "methods", minNew: 33, want: []string{
			"TestNewCounter", "TestCounter_Next", "TestCounter_Value", "TestNewBuffer", "TestBuffer_Write",
			"TestNewClient", "TestClient_Addr", "TestClient_Do", "TestNewPool", "TestPool_Get",
			"TestMatrix_At", "TestGrid_Sum", "Test_newRing", "Test_ring_add", "TestSafeCounter_Inc",
			"TestSafeCounter_Count", "TestStats_Hit", "TestGuarded_Incr", "TestIntList_Sum",
			"TestIntList_Append", "TestRegistry_Names", "TestOp_Apply", "TestSignal_Fire",
			"TestAnimal_Describe", "TestDog_Bark", "TestCat_Lives", "TestLogger_Log",
		}},
		// Parse (the PT interface{ *T; Set(string) error } idiom) may be skipped.
		{name: "generics", module: "generics", minNew: 35, want: []string{
			"TestMap", "TestFilter", "TestIndex", "TestKeys", "TestMax", "TestSum", "TestAbs", "TestClamp",
			"TestZero", "TestMakeSlice", "TestPtr", "TestEqual", "TestUpper", "TestCollect", "Test_reduce",
			"TestNewSet", "TestSet_Add", "TestSet_Has", "TestList_Push", "TestList_Len", "TestTree_Insert",
			"TestCache_Get", "TestCache_Put", "TestStack_Push", "TestStack_Peek", "TestLeast", "TestDup",
		}},
		{name: "params", module: "params", minNew: 35, want: []string{
			"TestMakeT", "TestScale", "Test_t_Double", "Test_got", "Test_want", "TestSum", "TestErrorf",
			"TestPrintf", "TestCallbacks", "TestApply", "TestIgnore", "TestClash", "TestPkgs", "TestKinds",
			"TestDrain", "TestSink", "TestFetch", "TestRetry", "TestDeadline", "TestRender", "TestTee",
			"TestReport", "TestDivMod", "TestAtoi", "TestValidate", "TestCut", "TestThree", "TestAdder",
			"TestGen", "TestConfigure", "TestFirst", "TestRatio", "TestEither",
		}},
		{name: "shadow", module: "shadow", minNew: 9, want: []string{
			"TestClone", "TestSorted", "TestWrite", "TestDescribe", "TestLoad", "Test_cmp", "Test_reflect",
			"Test_context_String", "Test_escape", "Test_greet",
		}},
		{name: "crosspkg", module: "crosspkg", minNew: 18, want: []string{
			"TestPoint_Add", "TestUser_Valid", "TestMeter_Format", "TestLength", "TestLink", "TestMigrate",
			"TestWarm", "TestUnion", "TestFormat", "TestConfigure", "TestNewEngine", "TestNewConn",
			"TestConn_Read", "TestConn_String",
		}, check: stubNoDuplicate("TestDistance")},
		{name: "xtest", module: "xtest", minNew: 12, want: []string{
			"TestToken_String", "TestNew", "TestLexer_Next", "TestDump", "TestLexer_Pos",
		}, check: stubNoDuplicate("TestParse")},
		{name: "partial", module: "partial", minNew: 9, want: []string{
			"TestQux", "TestBuf_Len", "Test_lower", "TestJoin", "TestSelfStat", "Test_pidPath",
		}, check: stubCheckPartial},
		// Nothing for cmd/legacy, which parses flags in init.
		{name: "special", module: "special", minNew: 12, want: []string{
			"TestColor_Hex", "TestTest", "TestTestHelper", "TestFuzz", "TestBenchmark", "TestRegistered", "TestNow",
		}, check: stubCheckSpecial},
		{name: "withcmp", module: "withcmp", minNew: 7, want: []string{
			"TestIndex", "TestFind", "TestNewStore", "TestStore_Take", "Test_cmp", "TestLatest", "TestKeys",
		}, check: stubImports("github.com/google/go-cmp/cmp")},
		{name: "withtestify", module: "withtestify", proxy: true, minNew: 6, want: []string{
			"TestAdd", "TestParseList", "TestCheck", "TestAcc_Add", "TestAcc_Stats",
		}},
		// Add, with C types, cannot be called from a test file.
		{name: "cgo", module: "cgo", cgo: true, minNew: 1, want: []string{"TestTwice"}},
		{name: "workspace", module: "workspace", work: []string{"app", "lib"}, minNew: 2, want: []string{
			"TestNorm", "TestPoint_Add",
		}},
		{name: "std", std: stubStdWithTests(), minNew: 1, check: stubEveryPackage},
		{name: "stdsrc", std: stubStdSources(), minNew: 1, check: stubEveryPackage},
	}
	var cases []stubCase
	for _, c := range base {
		c.args = []string{"--all"}
		cases = append(cases, c)
	}
	variant := func(name, module string, args []string, change func(*stubCase)) {
		for _, c := range base {
			if c.name == module {
				c.name = name + "/" + module
				c.args = args
				if change != nil {
					change(&c)
				}
				cases = append(cases, c)
				return
			}
		}
		panic("no module " + module)
	}
	fuzz := []string{"params", "generics"}
	if !testing.Short() {
		fuzz = append(fuzz, "methods", "shadow", "crosspkg", "partial", "special", "stdsrc")
	}
	for _, m := range fuzz {
		variant("fuzz+parallel", m, []string{"--all", "--fuzz", "--parallel"}, func(c *stubCase) {
			c.check = stubCheckFuzz(m == "params")
		})
	}
	variant("testify", "withtestify", []string{"--all", "--template", "testify"}, func(c *stubCase) {
		c.check = stubImports("github.com/stretchr/testify/")
	})
	variant("cmp", "withcmp", []string{"--all", "--compare", "cmp"}, nil)
	variant("tags", "partial", []string{"--all", "--tags", "integration"}, func(c *stubCase) {
		c.check = stubCheckTags
		c.goFlags = []string{"-tags=integration"}
		c.want = slices.Concat(c.want, []string{"TestSlow"})
	})
	// Without --all: only what no test mentions yet.
	variant("default", "partial", nil, func(c *stubCase) {
		c.minNew, c.want = 3, []string{"TestBuf_Len", "Test_lower", "TestJoin"}
	})
	return cases
}

// TestStubCompiles runs gorewrite stub -w --all on copies of the modules in
// testdata/stubmods and of standard-library packages, then go vet and go
// test on the result: the generated tests compile, vet clean, and pass
// with their empty tables. A second run changes nothing.
func TestStubCompiles(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, c := range stubCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

func (c stubCase) run(t *testing.T) {
	start := time.Now()
	dir := t.TempDir()
	if c.cgo {
		if out, err := stubGo(dir, false, false, "env", "CGO_ENABLED", "CC"); err != nil || !strings.HasPrefix(out, "1\n") {
			t.Skipf("cgo disabled: %s %v", out, err)
		} else if _, err := exec.LookPath(strings.Fields(strings.TrimPrefix(out, "1\n") + " cc")[0]); err != nil {
			t.Skipf("no C compiler: %v", err)
		}
	}
	if c.std != nil {
		stubCopyStd(t, dir, c.std)
	} else {
		stubCopyTree(t, filepath.Join("..", "testdata", "stubmods", c.module), dir)
	}
	if c.proxy {
		if out, err := stubGo(dir, true, false, "mod", "download"); err != nil {
			t.Skipf("go mod download failed (no module proxy?): %v\n%s", err, out)
		}
	}
	patterns := []string{"./..."}
	if c.work != nil {
		patterns = nil
		for _, m := range c.work {
			patterns = append(patterns, "./"+m+"/...")
		}
	}
	gocmd := func(args ...string) (string, error) { return stubGo(dir, false, c.work != nil, args...) }
	before := stubSnapshot(t, dir)

	// -l lists what -w then changes, and writes nothing.
	listOut, listed := stubMain(t, dir, append(append([]string{"stub", "-l"}, c.args...), patterns...))
	if got := stubSnapshot(t, dir); !stubSame(t, before, got) {
		t.Errorf("stub -l changed files")
	}

	stubMain(t, dir, append(append([]string{"stub", "-w"}, c.args...), patterns...))
	after := stubSnapshot(t, dir)
	r := &stubRun{dir: dir, before: before, after: after}
	for _, name := range stubKeys(after) {
		if !bytes.Equal(before[name], after[name]) {
			if !strings.HasSuffix(name, "_test.go") {
				t.Errorf("stub -w changed %s, which is not a test file", name)
				continue
			}
			r.changed = append(r.changed, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			t.Errorf("stub -w removed %s", name)
		}
	}
	var listedFiles []string
	for _, l := range strings.Fields(listOut) {
		if !filepath.IsAbs(l) {
			l = filepath.Join(dir, l)
		}
		rel, err := filepath.Rel(dir, l)
		if err != nil {
			t.Errorf("stub -l printed %q", l)
			continue
		}
		listedFiles = append(listedFiles, filepath.ToSlash(rel))
	}
	slices.Sort(listedFiles)
	if diff := cmp.Diff(r.changed, listedFiles); listed && diff != "" {
		t.Errorf("stub -l lists other files than those stub -w writes (-written +listed):\n%s", diff)
	}
	for _, name := range r.changed {
		if f, err := format.Source(after[name]); err == nil && !bytes.Equal(f, after[name]) {
			t.Errorf("%s is not gofmt-clean (-stub +gofmt):\n%s", name,
				cmp.Diff(strings.Split(string(after[name]), "\n"), strings.Split(string(f), "\n")))
		}
	}
	stubPreserved(t, before, after)
	stubHeaders(t, r)

	oldTests, oldN := stubTests(t, before)
	newTests, newN := stubTests(t, after)
	var added []string
	for key, n := range newTests {
		if n > oldTests[key] {
			added = append(added, key)
		}
		if n > 1 {
			t.Errorf("%s declared %d times", key, n)
		}
	}
	slices.Sort(added)
	t.Logf("stub added %d test functions (%d before, %d after) in %d files", newN-oldN, oldN, newN, len(r.changed))
	if newN-oldN < c.minNew {
		t.Errorf("stub added %d test functions, want at least %d; added:\n%s", newN-oldN, c.minNew, strings.Join(added, "\n"))
	}
	for _, w := range c.want {
		found := false
		for key := range newTests {
			if strings.HasSuffix(key, " "+w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no test function %s after stub", w)
		}
	}
	if c.check != nil {
		c.check(t, r)
	}
	t.Logf("stub done after %v", time.Since(start).Round(time.Millisecond))

	for _, args := range [][]string{
		append(append([]string{"vet"}, c.goFlags...), patterns...),
		append(append([]string{"test", "-count=1"}, c.goFlags...), patterns...),
	} {
		if out, err := gocmd(args...); err != nil {
			t.Errorf("go %s: %v\n%s%s", strings.Join(args, " "), err, out, stubExcerpts(dir, out))
		}
	}
	t.Logf("go vet and go test done after %v", time.Since(start).Round(time.Millisecond))

	// A second run changes nothing: every function has its test now.
	stubMain(t, dir, append(append([]string{"stub", "-w"}, c.args...), patterns...))
	again := stubSnapshot(t, dir)
	for _, name := range stubKeys(again) {
		if _, ok := after[name]; !ok {
			t.Errorf("second stub -w created %s", name)
		} else if !bytes.Equal(after[name], again[name]) {
			t.Errorf("second stub -w changed %s (-first +second):\n%s", name,
				cmp.Diff(strings.Split(string(after[name]), "\n"), strings.Split(string(again[name]), "\n")))
		}
	}
	t.Logf("done after %v", time.Since(start).Round(time.Millisecond))
}

// stubMain runs gorewrite in dir and reports an error unless it exits 0:
// the test goes on, to show what was written.
func stubMain(t *testing.T, dir string, args []string) (stdout string, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code := cmd.Main(ctx, args, strings.NewReader(""), &out, &errOut, dir)
	if errOut.Len() > 0 {
		t.Logf("gorewrite %s: stderr:\n%s", strings.Join(args, " "), errOut.String())
	}
	if code != cmd.ExitOK {
		t.Errorf("gorewrite %s: exit code %d, want 0; stdout:\n%s", strings.Join(args, " "), code, out.String())
	}
	return out.String(), code == cmd.ExitOK
}

// stubGo runs the go command in dir, without downloads unless proxy and
// outside workspaces unless work.
func stubGo(dir string, proxy, work bool, args ...string) (string, error) {
	c := exec.Command("go", args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	if !proxy {
		c.Env = append(c.Env, "GOPROXY=off")
	}
	if !work {
		c.Env = append(c.Env, "GOWORK=off")
	}
	out, err := c.CombinedOutput()
	return string(out), err
}

var stubGOROOT = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	return strings.TrimSpace(string(out)), err
})

// stubCopyStd copies standard-library packages into dir, a module named
// stdcopy: their Go files, and their tests and testdata if asked.
func stubCopyStd(t *testing.T, dir string, pkgs []stubStdPkg) {
	goroot, err := stubGOROOT()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module stdcopy\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		from := filepath.Join(goroot, "src", filepath.FromSlash(p.path))
		to := filepath.Join(dir, filepath.FromSlash(p.path))
		entries, err := os.ReadDir(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			switch {
			case e.Name() == "testdata" && e.IsDir() && p.tests:
				stubCopyTree(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
			case !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && (p.tests || !strings.HasSuffix(e.Name(), "_test.go")):
				stubCopyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
			}
		}
	}
}

func stubCopyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o777)
		}
		stubCopyFile(t, path, filepath.Join(to, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func stubCopyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o666); err != nil {
		t.Fatal(err)
	}
}

// stubSnapshot reads every file under dir.
func stubSnapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func stubKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func stubSame(t *testing.T, a, b map[string][]byte) bool {
	t.Helper()
	same := len(a) == len(b)
	for _, k := range stubKeys(b) {
		if !bytes.Equal(a[k], b[k]) {
			t.Logf("%s differs", k)
			same = false
		}
	}
	return same
}

// stubTests counts the Test and Fuzz functions of the test files by
// package directory: keys are "dir Name".
func stubTests(t *testing.T, files map[string][]byte) (map[string]int, int) {
	t.Helper()
	counts := map[string]int{}
	n := 0
	for _, name := range stubKeys(files) {
		if !strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, files[name], parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Type.Params.NumFields() != 1 {
				continue
			}
			if strings.HasPrefix(fd.Name.Name, "Test") || strings.HasPrefix(fd.Name.Name, "Fuzz") {
				counts[stubDir(name)+" "+fd.Name.Name]++
				if strings.HasPrefix(fd.Name.Name, "Test") && fd.Name.Name != "TestMain" {
					n++
				}
			}
		}
	}
	return counts, n
}

func stubDir(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return "."
}

// stubPreserved checks that existing test files keep their header, package
// clause and every declaration byte for byte.
func stubPreserved(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for _, name := range stubKeys(before) {
		if !strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, out := before[name], after[name]
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		tf := fset.File(f.Pos())
		if head := src[:tf.Offset(f.Name.End())]; !bytes.HasPrefix(out, head) {
			t.Errorf("%s: header, build constraint or package clause changed; was:\n%s\nnow:\n%s", name, head, out[:min(len(out), len(head)+40)])
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			text := src[tf.Offset(d.Pos()):tf.Offset(d.End())]
			if !bytes.Contains(out, text) {
				t.Errorf("%s: declaration changed or lost:\n%s", name, text)
			}
		}
	}
}

var stubBuildLine = regexp.MustCompile(`(?m)^//go:build .*$`)

// stubHeaders checks that a test file created for x.go, x_test.go, has
// x.go's build constraint and copyright header.
func stubHeaders(t *testing.T, r *stubRun) {
	t.Helper()
	for _, name := range r.changed {
		if r.before[name] != nil {
			continue
		}
		src := r.before[strings.TrimSuffix(name, "_test.go")+".go"]
		if src == nil {
			continue
		}
		out := r.after[name]
		if c := stubBuildLine.Find(src); c != nil && !bytes.Contains(out, c) {
			t.Errorf("%s lacks its source file's %s", name, c)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil || len(f.Comments) == 0 || f.Comments[0] == f.Doc {
			continue
		}
		if h := f.Comments[0].Text(); strings.Contains(h, "Copyright") && !strings.Contains(stubCommentText(out), h) {
			t.Errorf("%s lacks its source file's header:\n%s", name, h)
		}
	}
}

func stubCommentText(src []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, c := range f.Comments {
		b.WriteString(c.Text())
	}
	return b.String()
}

var stubPosRE = regexp.MustCompile(`(?m)(\S+_test\.go):(\d+)(?::\d+)?: `)

// stubExcerpts prints the generated declarations that go vet or go test
// complain about.
func stubExcerpts(dir, out string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, m := range stubPosRE.FindAllStringSubmatch(out, -1) {
		file := strings.TrimPrefix(m[1], "./")
		line, _ := strconv.Atoi(m[2])
		path := filepath.Join(dir, file)
		if _, err := os.Stat(path); err != nil {
			matches, _ := filepath.Glob(filepath.Join(dir, "*", file))
			more, _ := filepath.Glob(filepath.Join(dir, "*", "*", file))
			matches = append(matches, more...)
			if len(matches) != 1 {
				continue
			}
			path = matches[0]
		}
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		fset := token.NewFileSet()
		f, _ := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		from, to := line-4, line+4
		if f != nil {
			for _, d := range f.Decls {
				if fset.Position(d.Pos()).Line <= line && line <= fset.Position(d.End()).Line {
					from, to = fset.Position(d.Pos()).Line, fset.Position(d.End()).Line
					if to-from > 60 {
						from, to = max(from, line-10), min(to, line+10)
					}
				}
			}
		}
		key := fmt.Sprintf("%s:%d", path, from)
		if seen[key] {
			continue
		}
		seen[key] = true
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "\n--- %s:%d-%d\n", rel, from, to)
		for i, l := range strings.Split(string(src), "\n") {
			if i+1 >= from && i+1 <= to {
				fmt.Fprintf(&b, "%5d  %s\n", i+1, l)
			}
		}
	}
	return b.String()
}

// stubNoDuplicate checks that tests already there are not generated again:
// each name is declared once per package (stubTests' counts say so too).
func stubNoDuplicate(names ...string) func(*testing.T, *stubRun) {
	return func(t *testing.T, r *stubRun) {
		counts, _ := stubTests(t, r.after)
		for _, n := range names {
			for key, c := range counts {
				if strings.HasSuffix(key, " "+n) && c > 1 {
					t.Errorf("%s generated although it exists", key)
				}
			}
		}
	}
}

// stubImports checks that some changed test file imports a path with the
// given prefix.
func stubImports(prefix string) func(*testing.T, *stubRun) {
	return func(t *testing.T, r *stubRun) {
		for _, name := range r.changed {
			f, err := parser.ParseFile(token.NewFileSet(), name, r.after[name], parser.ImportsOnly)
			if err != nil {
				continue
			}
			for _, imp := range f.Imports {
				if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, prefix) {
					return
				}
			}
		}
		t.Errorf("no generated test file imports %s...", prefix)
	}
}

// stubCheckPartial: the tests of procfs.go (//go:build linux) and slow.go
// (//go:build integration) are only built where their functions are.
func stubCheckPartial(t *testing.T, r *stubRun) {
	stubOnlyWhere(t, r, []string{"SelfStat(", "pidPath("}, build.Context{GOOS: "darwin", GOARCH: "arm64", Compiler: "gc"})
	stubOnlyWhere(t, r, []string{"SelfStat(", "pidPath("}, build.Context{GOOS: "windows", GOARCH: "amd64", Compiler: "gc"})
	stubNoDuplicate("TestReverse", "TestBuf_Write", "TestExists", "TestMain")(t, r)
}

func stubCheckTags(t *testing.T, r *stubRun) {
	stubCheckPartial(t, r)
	stubOnlyWhere(t, r, []string{"Slow("}, build.Context{GOOS: "linux", GOARCH: "amd64", Compiler: "gc"})
}

// stubOnlyWhere checks that no test file built in ctx calls the functions.
func stubOnlyWhere(t *testing.T, r *stubRun, calls []string, ctx build.Context) {
	t.Helper()
	ctx.CgoEnabled = false
	ctx.ReleaseTags = build.Default.ReleaseTags
	for _, name := range r.changed {
		data := r.after[name]
		ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		ok, err := ctx.MatchFile(filepath.Join(r.dir, filepath.Dir(name)), filepath.Base(name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !ok {
			continue
		}
		for _, c := range calls {
			if bytes.Contains(data, []byte(c)) {
				t.Errorf("%s is built for GOOS=%s tags=%v but calls %s", name, ctx.GOOS, ctx.BuildTags, c)
			}
		}
	}
}

// stubCheckSpecial: nothing for init, main or _, nor for the generated
// file's String method (the file itself must be left alone, as every
// non-test file).
func stubCheckSpecial(t *testing.T, r *stubRun) {
	counts, _ := stubTests(t, r.after)
	for key := range counts {
		name := key[strings.IndexByte(key, ' ')+1:]
		switch name {
		case "Test_", "Test_init", "Test_main", "TestQueue__", "Test_Queue__", "TestColor_String":
			t.Errorf("%s generated", key)
		}
	}
	for _, name := range r.changed {
		if strings.HasPrefix(name, "color_string") {
			t.Errorf("stub wrote %s, a test file for a generated file", name)
		}
	}
}

// stubCheckFuzz: fuzz targets generated (params has functions of string and
// int parameters), and t.Parallel in the tests.
func stubCheckFuzz(wantFuzz bool) func(*testing.T, *stubRun) {
	return func(t *testing.T, r *stubRun) {
		counts, _ := stubTests(t, r.after)
		old, _ := stubTests(t, r.before)
		fuzz := 0
		for key, n := range counts {
			if strings.Contains(key, " Fuzz") && n > old[key] {
				fuzz++
			}
		}
		t.Logf("%d fuzz targets added", fuzz)
		if wantFuzz && fuzz == 0 {
			t.Errorf("stub --fuzz added no fuzz target")
		}
		parallel := false
		for _, name := range r.changed {
			parallel = parallel || bytes.Contains(r.after[name], []byte("t.Parallel()"))
		}
		if !parallel {
			t.Errorf("stub --parallel: no t.Parallel() in the generated tests")
		}
	}
}

// stubEveryPackage: every std package copied gets new tests.
func stubEveryPackage(t *testing.T, r *stubRun) {
	dirs := map[string]bool{}
	for name := range r.before {
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.Contains(name, "testdata/") {
			dirs[stubDir(name)] = true
		}
	}
	old, _ := stubTests(t, r.before)
	counts, _ := stubTests(t, r.after)
	for d := range dirs {
		added := 0
		for key, n := range counts {
			if strings.HasPrefix(key, d+" ") && n > old[key] {
				added++
			}
		}
		if added == 0 {
			t.Errorf("no test added in %s", d)
		}
	}
}
