package mutate

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
)

var allStd = flag.Bool("allstd", false, "TestBatchedChecks and TestSureChecks: every package of the standard library")

// TestBatchedChecks: type-checking candidates in batches (one per function
// body) keeps exactly the mutants that checking each alone keeps, on
// standard-library packages and this project's.
func TestBatchedChecks(t *testing.T) {
	patterns := []string{"strconv", "strings", "sort", "container/...", "text/tabwriter", "github.com/gorewrite/gorewrite/rewrite/swap"}
	if testing.Short() {
		patterns = []string{"strconv", "container/...", "github.com/gorewrite/gorewrite/rewrite/swap"}
	}
	if *allStd {
		patterns = []string{"std"}
	}
	compareChecks(t, patterns, checkAlone, checkBatched)
}

// TestSureChecks: taking the candidates whose types prove them (see
// sure.go) without a check keeps exactly the mutants that type-checking
// every candidate keeps. A sure mutant that does not compile shows here as
// kept; one the checks would keep and the fast path lost, as lost.
func TestSureChecks(t *testing.T) {
	patterns := []string{"strconv", "strings", "bytes", "sort", "container/...", "encoding/hex", "text/tabwriter",
		"go/scanner", "math/big", "math/bits", "unicode/utf8", "time", "regexp/syntax", "compress/flate",
		"github.com/gorewrite/gorewrite/rewrite/swap", "github.com/gorewrite/gorewrite/rewrite/mutate"}
	if testing.Short() {
		patterns = []string{"strconv", "bytes", "container/...", "encoding/hex", "text/tabwriter", "go/scanner"}
	}
	if *allStd {
		patterns = []string{"std"}
	}
	compareChecks(t, patterns, checkBatched, checkFast)
}

// TestSureTricky: the changes whose compiling depends on what is around
// them (a constant divisor, a type parameter's type set, a break with no
// loop, tokens that join) keep their checks.
func TestSureTricky(t *testing.T) {
	const src = `package p

import "strconv"

var pkgVar int

func g() (int, error) { return pkgVar, nil }

func r1() (int, error) {
	x, err := g()
	if err != nil {
		return 0, err
	}
	return x, err
}

func r2() error { return strconv.ErrRange }

func r3() *int {
	nil := 1
	_ = nil
	return &pkgVar
}

func r4() (n int, ok bool) {
	y, b := 2, true
	y = 3
	if b {
		return y, b
	}
	return y, !b
}

func r8() int {
	y := 1
	y = 2
	return y
}

func r10(x int) int {
	for i := 0; ; i++ {
		if i > x {
			continue
		}
		return i
	}
}

func r11(x int) int {
	for {
		switch {
		case x > 0:
			continue
		}
		return x
	}
}

type T struct{ a int }

func r9() T {
	e := T{1}
	_ = e
	T := 1
	_ = T
	return e
}

func r5() int { return func() int { v := 1; return v }() }

func r6(a int) int {
	var k int
	for k = range 3 {
	}
	return k
}

func r7(a int) int {
	switch v := any(a).(type) {
	case int:
		return v
	}
	return a
}

type num interface{ ~int | ~string }

func gen[T num](a, b T) T { return a + b }

func gen2[T ~int | ~float64](a, b T) T { return a*b - a/b }

func f(x, y int, s string, c complex128, fl float64, ok bool) int {
	_ = x * 0
	_ = x * y
	_ = x % 1
	z := x
	z *= 0
	z *= y
	z %= y
	z <<= y
	s += s
	var arr [2 * 3]int
	_ = arr
	switch x {
	case 1 + 2, 1 - 2, x + 1, x - 1:
	}
	switch {
	case x < 1, x <= 1:
	}
	if!ok {
	}
	if !(x > 0) && ok || !ok {
	}
	_ = x<=-y
	_ = x+-y
	_ = x-+y
	_ = x*-y
	_ = x/ -y
	_ = s + s
	_ = c == c
	_ = fl / 0
	_ = fl * 0
	for {
		switch {
		case x > 0:
			break
		}
		select {
		default:
			break
		}
		if x > 2 {
			continue
		}
		break
	}
	switch {
	default:
		break
	}
L:
	switch {
	default:
		for {
			break L
		}
	}
M:
	for {
		func() {
			for {
				break
			}
		}()
		break M
	}
	const k = 1<<3 - 1
	_ = x << 70
	_ = 1 << uint(x)
	var u uint8 = 1<<uint(x) + 255
	z++
	z--
	return z + int(u) - k
}
`
	ops, err := ParseOperators("all")
	if err != nil {
		t.Fatal(err)
	}
	total, sure := 0, 0
	rule := compareRule(t, ops, checkBatched, checkFast, &total, &sure)
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, []*rewrite.Rule{rule}, "/tricky/p.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errs {
		t.Errorf("%v", e)
	}
	if total < 70 || sure < 30 {
		t.Errorf("%d mutants, %d sure candidates: too few for the test to mean much", total, sure)
	}
	t.Logf("%d mutants agree; %d candidates sure", total, sure)
}

// compareChecks enumerates the packages' mutants, with every operator,
// checking candidates both ways, and requires the same mutants.
func compareChecks(t *testing.T, patterns []string, want, got checking) {
	t.Helper()
	ops, err := ParseOperators("all")
	if err != nil {
		t.Fatal(err)
	}
	total, sure := 0, 0
	rule := compareRule(t, ops, want, got, &total, &sure)
	err = rewrite.Run(context.Background(), rewrite.Config{}, []*rewrite.Rule{rule}, patterns, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%s: %v", r.Filename, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < 1000 {
		t.Errorf("only %d mutants: the corpus did not load", total)
	}
	t.Logf("%d mutants agree; %d candidates sure", total, sure)
}

// compareRule is a rule that enumerates each package's mutants both ways
// and reports the differences, counting into total the mutants and into
// sure the candidates the fast path takes unchecked.
func compareRule(t *testing.T, ops map[string]bool, want, got checking, total, sure *int) *rewrite.Rule {
	var mu sync.Mutex
	return &rewrite.Rule{Name: "compare-checks", Doc: "compare", NeedsTypes: true, Run: func(pass *rewrite.Pass) error {
		fast, err := packageMutants(pass, ops, got)
		if err != nil {
			return err
		}
		checked, err := packageMutants(pass, ops, want)
		if err != nil {
			return err
		}
		key := func(m *Mutant) string {
			return fmt.Sprintf("%s:%d-%d %s %q", m.File, m.Offset, m.EndOffset, m.Operator, m.Replacement)
		}
		kept := make(map[string]bool)
		for _, m := range fast.Mutants {
			kept[key(m)] = true
		}
		n := fast.Stats.Candidates - fast.Stats.Checked
		mu.Lock()
		defer mu.Unlock()
		*total += len(checked.Mutants)
		*sure += n
		for _, m := range checked.Mutants {
			if !kept[key(m)] {
				t.Errorf("lost %s", key(m))
			}
			delete(kept, key(m))
		}
		for k := range kept {
			t.Errorf("kept %s, which does not type-check", k)
		}
		// Only how many were checked differs.
		fast.Stats.Checked = checked.Stats.Checked
		if fast.Stats != checked.Stats {
			t.Errorf("%s: stats %+v, checked %+v", pass.Pkg.Path(), fast.Stats, checked.Stats)
		}
		return nil
	}}
}

// FuzzEnumerate checks, on any file that type-checks alone, that every
// mutant enumerated type-checks when applied, that its recorded original
// text is the file's, and that IDs are unique.
func FuzzEnumerate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.go")
	for _, name := range seeds {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, src := range golden.Inputs(f, "../swap/testdata", "../pattern/testdata") {
		f.Add(src)
	}
	ops, err := ParseOperators("all")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var found []*Mutant
		rule := NewRule(ops, func(fd Found) { found = append(found, fd.Mutants...) })
		const name = "/fuzz/in.go"
		res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{rule}, name, src)
		if err != nil || len(res.Errs) > 0 {
			return // does not parse or type-check alone
		}
		AssignIDs(found, "/fuzz")
		ids := make(map[string]bool)
		for _, m := range found {
			if ids[m.ID] {
				t.Errorf("ID %s twice", m.ID)
			}
			ids[m.ID] = true
			if m.Offset < 0 || m.EndOffset > len(src) || m.Offset > m.EndOffset || string(src[m.Offset:m.EndOffset]) != m.Original {
				t.Fatalf("%s %s: range %d-%d does not hold %q", m.Location(), m.Operator, m.Offset, m.EndOffset, m.Original)
			}
			out := m.Apply(src)
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("%s %s %s does not parse: %v\n%s", m.Location(), m.Operator, m.Change(), err, out)
			}
			conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), FakeImportC: true}
			if _, err := conf.Check(file.Name.Name, fset, []*ast.File{file}, nil); err != nil {
				t.Errorf("%s %s %s does not type-check: %v", m.Location(), m.Operator, m.Change(), err)
			}
		}
		checkSchema(t, name, src, found)
	})
}

// checkSchema checks that the schema of a one-file package parses and
// type-checks with its helper file, and moves no line.
func checkSchema(t *testing.T, name string, src []byte, found []*Mutant) {
	for i, m := range found {
		m.schemaID = 0
		if len(m.sites) > 0 {
			m.schemaID = i + 1
		}
	}
	sites := sortedSites(found)
	if len(sites) == 0 {
		return
	}
	out, switched := renderFile(src, sites, nil, schemaNumber)
	if len(switched) != len(sites) {
		t.Errorf("%d of %d sites switched", len(switched), len(sites))
	}
	if bytes.Count(out, []byte("\n")) != bytes.Count(src, []byte("\n")) {
		t.Errorf("the schema moves lines:\n%s", out)
	}
	helpers := map[string]bool{}
	for _, s := range sites {
		if s.helper != "" {
			helpers[s.helper] = true
		}
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("the schema does not parse: %v\n%s", err, out)
	}
	hf, err := parser.ParseFile(fset, "/fuzz/00_gorewrite_schemata.go", helperFile(sites[0].pkg, sortedKeys(helpers)), 0)
	if err != nil {
		t.Fatalf("the helper file does not parse: %v", err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), FakeImportC: true}
	if _, err := conf.Check(file.Name.Name, fset, []*ast.File{file, hf}, nil); err != nil {
		t.Errorf("the schema does not type-check: %v\n%s", err, out)
	}
}
