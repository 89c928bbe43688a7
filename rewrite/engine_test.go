package rewrite_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
)

// plusToTimes is a small syntactic rule for engine tests: a + b -> a * b.
var plusToTimes = &rewrite.Rule{
	Name: "times",
	Doc:  "replace + by *",
	Run: func(p *rewrite.Pass) error {
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.ADD {
					c := *b
					c.Op = token.MUL
					p.ReplaceNode(b, &c)
				}
				return true
			})
		}
		return nil
	},
}

func runSource(t *testing.T, src string, rules ...*rewrite.Rule) *rewrite.FileResult {
	t.Helper()
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, rules, "x.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestOverlappingEdits(t *testing.T) {
	a := &rewrite.Rule{Name: "first", Doc: "x", Run: func(p *rewrite.Pass) error {
		f := p.Files[0]
		ret := f.Decls[0].(*ast.FuncDecl).Body.List[0].(*ast.ReturnStmt)
		p.Replace(ret.Results[0].Pos(), ret.Results[0].End(), "1")
		return nil
	}}
	b := &rewrite.Rule{Name: "second", Doc: "x", Run: func(p *rewrite.Pass) error {
		f := p.Files[0]
		ret := f.Decls[0].(*ast.FuncDecl).Body.List[0].(*ast.ReturnStmt)
		bin := ret.Results[0].(*ast.BinaryExpr)
		p.Replace(bin.Y.Pos(), bin.Y.End(), "2")
		return nil
	}}
	res := runSource(t, "package p\n\nfunc f(a, b int) int {\n\treturn a + b\n}\n", a, b)
	if res.Changed() {
		t.Errorf("conflicting edits applied:\n%s", res.Out)
	}
	if len(res.Errs) != 1 {
		t.Fatalf("errors: %v", res.Errs)
	}
	msg := res.Errs[0].Error()
	for _, want := range []string{"x.go:4:13:", "conflicting edits", "rule first: replace 5 bytes with \"1\" at 4:9-4:14", "rule second: replace 1 byte with \"2\" at 4:13-4:14"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestRulePanicLeavesFileAlone(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.go", "boom.go", "c.go"} {
		src := "package p\n\nfunc f(a, b int) int { return a + b }\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	boom := &rewrite.Rule{Name: "boom", Doc: "panics on boom.go", Run: func(p *rewrite.Pass) error {
		if strings.HasSuffix(p.Fset.Position(p.Files[0].Pos()).Filename, "boom.go") {
			var m map[string]int
			m["x"]++ // a nil map write: panic
		}
		return nil
	}}
	var changed []string
	var errs []string
	err := rewrite.Run(context.Background(), rewrite.Config{Dir: dir}, []*rewrite.Rule{plusToTimes, boom}, []string{"."}, func(r *rewrite.FileResult) error {
		if r.Changed() {
			changed = append(changed, filepath.Base(r.Filename))
		}
		for _, e := range r.Errs {
			errs = append(errs, e.Error())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(changed, []string{"a.go", "c.go"}) {
		t.Errorf("changed %v, want a.go and c.go", changed)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "boom.go") || !strings.Contains(errs[0], "rule boom panicked: assignment to entry in nil map") {
		t.Errorf("errors: %q", errs)
	}
}

func TestRuleErrorDropsItsEdits(t *testing.T) {
	failing := &rewrite.Rule{Name: "failing", Doc: "x", Run: func(p *rewrite.Pass) error {
		p.Insert(p.Files[0].Name.End(), "x")
		return errors.New("cannot go on")
	}}
	res := runSource(t, "package p\n", failing)
	if res.Changed() {
		t.Errorf("edits of a failed rule applied:\n%s", res.Out)
	}
	if len(res.Errs) != 1 || res.Errs[0].Error() != "x.go: rule failing: cannot go on" {
		t.Errorf("errors: %v", res.Errs)
	}
}

// TestDeterministicOrder runs many files on many workers: results come in
// the same order every time, the order of the file names.
func TestDeterministicOrder(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := range 200 {
		name := fmt.Sprintf("f%03d.go", i)
		src := fmt.Sprintf("package p\n\nfunc f%d(a, b int) int { return a + b }\n", i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	for range 3 {
		var got []string
		err := rewrite.Run(context.Background(), rewrite.Config{Dir: dir, Workers: 8}, []*rewrite.Rule{plusToTimes}, []string{dir}, func(r *rewrite.FileResult) error {
			got = append(got, filepath.Base(r.Filename))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("order (-want +got):\n%s", d)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	res := runSource(t, "package p\n\nvar s = \"\xff\"\n", plusToTimes)
	if len(res.Errs) == 0 || !strings.HasPrefix(res.Errs[0].Error(), "x.go:3:") {
		t.Errorf("errors: %v", res.Errs)
	}
}

func TestUnreadableFile(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions do not stop this user")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "secret.go")
	if err := os.WriteFile(name, []byte("package p\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	var errs []string
	rewrite.Run(context.Background(), rewrite.Config{Dir: dir}, []*rewrite.Rule{plusToTimes}, []string{"secret.go"}, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			errs = append(errs, e.(*rewrite.Error).RelativeTo(dir))
		}
		return nil
	})
	if !slices.Equal(errs, []string{"secret.go: open: permission denied"}) {
		t.Errorf("errors: %q", errs)
	}
}

func TestAddImport(t *testing.T) {
	// A rule that calls strings.ToUpper(x) in place of upper(x).
	upper := &rewrite.Rule{Name: "upper", Doc: "x", Run: func(p *rewrite.Pass) error {
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if ok && isIdent(call.Fun, "upper") {
					name := p.AddImport(f, "strings", call.Pos())
					p.ReplaceNode(call.Fun, &ast.SelectorExpr{X: ast.NewIdent(name), Sel: ast.NewIdent("ToUpper")})
				}
				return true
			})
		}
		return nil
	}}
	tests := []struct{ name, in, want string }{
		{"no imports", "package p\n\nvar s = upper(\"x\")\n",
			"package p\n\nimport \"strings\"\n\nvar s = strings.ToUpper(\"x\")\n"},
		{"existing import reused", "package p\n\nimport \"strings\"\n\nvar s, t = upper(\"x\"), strings.ToLower(\"y\")\n",
			"package p\n\nimport \"strings\"\n\nvar s, t = strings.ToUpper(\"x\"), strings.ToLower(\"y\")\n"},
		{"existing alias reused", "package p\n\nimport str \"strings\"\n\nvar s, t = upper(\"x\"), str.ToLower(\"y\")\n",
			"package p\n\nimport str \"strings\"\n\nvar s, t = str.ToUpper(\"x\"), str.ToLower(\"y\")\n"},
		{"name taken: alias", "package p\n\nfunc f(strings []string) string { return upper(strings[0]) }\n",
			"package p\n\nimport strings2 \"strings\"\n\nfunc f(strings []string) string { return strings2.ToUpper(strings[0]) }\n"},
		{"a field of that name hides nothing", "package p\n\nimport \"strings\"\n\ntype T struct{ strings []string }\n\nvar s, t = upper(\"x\"), strings.ToLower(\"y\")\n",
			"package p\n\nimport \"strings\"\n\ntype T struct{ strings []string }\n\nvar s, t = strings.ToUpper(\"x\"), strings.ToLower(\"y\")\n"},
		{"joins a single import", "package p\n\nimport \"fmt\"\n\nvar s = fmt.Sprint(upper(\"x\"))\n",
			"package p\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nvar s = fmt.Sprint(strings.ToUpper(\"x\"))\n"},
		{"not into import C", "package p\n\n// #include <stdio.h>\nimport \"C\"\n\nvar s = upper(\"x\")\n",
			"package p\n\nimport \"strings\"\n\n// #include <stdio.h>\nimport \"C\"\n\nvar s = strings.ToUpper(\"x\")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSource(t, tt.in, upper)
			if len(res.Errs) > 0 {
				t.Fatal(res.Errs)
			}
			if d := cmp.Diff(tt.want, string(res.Out)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestAddPackageImport checks imports of packages whose names the rule
// knows: an alias where the name is not the path's last element, imports
// of other modules in the group of others, and names reserved by Reserve.
func TestAddPackageImport(t *testing.T) {
	rule := func(reserve []string, pkgs ...*types.Package) *rewrite.Rule {
		return &rewrite.Rule{Name: "imp", Doc: "x", Run: func(p *rewrite.Pass) error {
			f := p.Files[0]
			p.Reserve(reserve...)
			var uses []string
			for _, pkg := range pkgs {
				uses = append(uses, p.AddPackageImport(f, pkg, f.FileEnd)+".X")
			}
			p.Insert(f.FileEnd, "\nvar _ = []any{"+strings.Join(uses, ", ")+"}\n")
			return nil
		}}
	}
	tests := []struct {
		name, in string
		reserve  []string
		pkgs     []*types.Package
		want     string
	}{
		{"names", "package p\n", nil,
			[]*types.Package{types.NewPackage("example.com/e/v2", "ee"), types.NewPackage("example.com/m/v3", "m"),
				types.NewPackage("example.com/go-units", "units"), types.NewPackage("os", "os")},
			"package p\n\nimport (\n\t\"os\"\n\n\tee \"example.com/e/v2\"\n\t\"example.com/go-units\"\n\t\"example.com/m/v3\"\n)\n\nvar _ = []any{ee.X, m.X, units.X, os.X}\n"},
		{"groups", "package p\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/a\"\n)\n\nvar _, _ = fmt.Sprint, a.X\n", nil,
			[]*types.Package{types.NewPackage("example.com/b", "b"), types.NewPackage("os", "os")},
			"package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"example.com/a\"\n\t\"example.com/b\"\n)\n\nvar _, _ = fmt.Sprint, a.X\n\nvar _ = []any{b.X, os.X}\n"},
		{"joins a single import, grouped", "package p\n\nimport \"testing\"\n\nvar _ = testing.Short\n", nil,
			[]*types.Package{types.NewPackage("example.com/my-util", "util"), types.NewPackage("reflect", "reflect")},
			"package p\n\nimport (\n\t\"reflect\"\n\t\"testing\"\n\n\tutil \"example.com/my-util\"\n)\n\nvar _ = testing.Short\n\nvar _ = []any{util.X, reflect.X}\n"},
		{"reserved", "package p\n", []string{"strings"},
			[]*types.Package{types.NewPackage("strings", "strings")},
			"package p\n\nimport strings2 \"strings\"\n\nvar _ = []any{strings2.X}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSource(t, tt.in, rule(tt.reserve, tt.pkgs...))
			if len(res.Errs) > 0 {
				t.Fatal(res.Errs)
			}
			if d := cmp.Diff(tt.want, string(res.Out)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestStatementEdits checks insertion and deletion of statements through
// ReplaceNode on a block: untouched statements and comments stay.
func TestStatementEdits(t *testing.T) {
	rule := &rewrite.Rule{Name: "stmts", Doc: "x", Run: func(p *rewrite.Pass) error {
		body := p.Files[0].Decls[0].(*ast.FuncDecl).Body
		var list []ast.Stmt
		for _, s := range body.List {
			if es, ok := s.(*ast.ExprStmt); ok {
				if call, ok := es.X.(*ast.CallExpr); ok && isIdent(call.Fun, "debug") {
					continue // drop debug() calls
				}
			}
			list = append(list, s)
		}
		list = append(list, &ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent("done")}})
		nb := *body
		nb.List = list
		p.ReplaceNode(body, &nb)
		return nil
	}}
	in := `package p

func f() {
	a() // first
	debug()
	// about b
	b()
	debug()
}
`
	want := `package p

func f() {
	a() // first
	// about b
	b()
	done()
}
`
	res := runSource(t, in, rule)
	if len(res.Errs) > 0 {
		t.Fatal(res.Errs)
	}
	if d := cmp.Diff(want, string(res.Out)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestGeneratedSkipped(t *testing.T) {
	src := "// Code generated by x. DO NOT EDIT.\n\npackage p\n\nvar x = 1 + 2\n"
	res := runSource(t, src, plusToTimes)
	if res.Changed() || res.Skipped == "" {
		t.Errorf("generated file: changed %v, skipped %q", res.Changed(), res.Skipped)
	}
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{plusToTimes}, "x.go", []byte(src))
	if err != nil || !res.Changed() {
		t.Errorf("--include-generated: changed %v, err %v", res.Changed(), err)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x.go")
	old, new := []byte("package p\n"), []byte("package q\n")
	if err := os.WriteFile(name, old, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := rewrite.WriteFile(name, old, new); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	fi, _ := os.Stat(name)
	if string(got) != string(new) || fi.Mode().Perm() != 0o640 {
		t.Errorf("after WriteFile: %q, mode %v", got, fi.Mode())
	}

	// The file changed since it was read: not written.
	if err := rewrite.WriteFile(name, old, []byte("package r\n")); !errors.Is(err, rewrite.ErrFileChanged) {
		t.Errorf("stale write: err %v", err)
	}
	got, _ = os.ReadFile(name)
	if string(got) != string(new) {
		t.Errorf("stale write changed the file: %q", got)
	}

	// Through a symbolic link, the target is replaced and the link kept.
	link := filepath.Join(dir, "link.go")
	if err := os.Symlink(name, link); err != nil {
		t.Fatal(err)
	}
	if err := rewrite.WriteFile(link, new, old); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced by a file")
	}
	got, _ = os.ReadFile(name)
	if string(got) != string(old) {
		t.Errorf("target not written: %q", got)
	}

	// A read-only file is refused, even to root.
	os.Chmod(name, 0o444)
	if err := rewrite.WriteFile(name, old, new); !errors.Is(err, rewrite.ErrReadOnly) {
		t.Errorf("read-only file: err %v", err)
	}
	if got, _ = os.ReadFile(name); string(got) != string(old) {
		t.Errorf("read-only file written: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestCRLFKept(t *testing.T) {
	src := "package p\r\n\r\n// c\r\nfunc f(a, b int) int {\r\n\treturn a + b\r\n}\r\n"
	want := "package p\r\n\r\n// c\r\nfunc f(a, b int) int {\r\n\treturn a * b\r\n}\r\n"
	res := runSource(t, src, plusToTimes)
	if string(res.Out) != want {
		t.Errorf("got %q, want %q", res.Out, want)
	}
}

// TestConstantChanges: a changed constant declaration is felt wherever the
// constants it changes, directly or through other constants, are used, and
// not where a larger constant expression keeps its value.
func TestConstantChanges(t *testing.T) {
	const src = `package p

const (
	a   = 2 * 3
	b   = a + 1
	Exp = b * 2
	c   = a * 0
)

var x = b + 1

func f(n int) int { return n*a + c }
`
	var got, exported []string
	rule := &rewrite.Rule{Name: "consts", Doc: "x", NeedsTypes: true, Run: func(p *rewrite.Pass) error {
		f := p.Files[0]
		tf := p.Fset.File(f.FileStart)
		mul := tf.Pos(strings.Index(src, "2 * 3") + 2)
		changes, exp, errs, err := p.ConstantChanges([]rewrite.Edit{{Pos: mul, End: mul + 1, New: "/"}})
		if err != nil || len(errs) > 0 {
			return fmt.Errorf("%v %v", err, errs)
		}
		for _, ch := range changes {
			e := ch.Path[0]
			if _, isFile := ch.Path[len(ch.Path)-1].(*ast.File); !isFile {
				t.Errorf("path of %s does not end at the file", src[tf.Offset(e.Pos()):tf.Offset(e.End())])
			}
			got = append(got, fmt.Sprintf("%s: %s -> %s", src[tf.Offset(e.Pos()):tf.Offset(e.End())], ch.Old.Value, ch.New))
		}
		exported = exp
		// An edit that does not type-check reports its errors instead.
		if _, _, errs, err := p.ConstantChanges([]rewrite.Edit{{Pos: mul, End: mul + 1, New: "+ \"\" +"}}); err != nil || len(errs) == 0 {
			t.Errorf("a type error gave no errors (err %v)", err)
		}
		return nil
	}}
	if res := runSource(t, src, rule); len(res.Errs) > 0 {
		t.Fatal(res.Errs)
	}
	want := []string{
		"2 * 3: 6 -> 0", "a + 1: 7 -> 1", "a: 6 -> 0", "b * 2: 14 -> 2", "b: 7 -> 1",
		"a: 6 -> 0", // in a * 0, which stays 0 and is not listed
		"b + 1: 8 -> 2", "b: 7 -> 1",
		"a: 6 -> 0", // in n*a
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Exp"}, exported); d != "" {
		t.Errorf("exported (-want +got):\n%s", d)
	}
}
