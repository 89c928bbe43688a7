package literal_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal/internal/fixture"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"golang.org/x/tools/txtar"
)

const home = "github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal/internal/fixture"

func cycle() *fixture.Node {
	n := &fixture.Node{N: 1}
	n.Next = &fixture.Node{N: 2, Next: n}
	return n
}

// cases are values of every kind the writer knows, written as code of the
// fixture package.
var cases = []struct {
	name string
	v    any
}{
	{"int", 42},
	{"negative int8", int8(-3)},
	{"uint", uint(7)},
	{"float", 2.5},
	{"whole float", 3.0},
	{"float32", float32(0.1)},
	{"nan", math.NaN()},
	{"inf", math.Inf(-1)},
	{"complex", complex(1, -2)},
	{"string", "héllo\n\"world\""},
	{"bool", true},
	{"named int", fixture.Color(3)},
	{"named string", fixture.Name("x")},
	{"named float", fixture.Ratio(0.5)},
	{"bytes", []byte("ab\x00")},
	{"nil slice", []int(nil)},
	{"slice", []string{"a", "b"}},
	{"array", [3]int{1, 2, 3}},
	{"map sorted", map[int]string{10: "ten", 2: "two", 1: "one"}},
	{"map of any", map[string]any{"b": 1, "a": fixture.Color(2), "c": nil, "d": uint(3), "e": (*fixture.Point)(nil), "f": []byte("x")}},
	{"struct", fixture.Point{X: 1, Y: 2}},
	{"elements without their type", []fixture.Point{{X: 1, Y: 2}, {}}},
	{"pointer elements without &T", []*fixture.Point{{X: 1}, nil}},
	{"nested slices", [][]int{{1}, {2, 3}}},
	{"pointer to a nil slice", new([]int)},
	{"pointer to a nil map in a slice", []*map[string]int{new(map[string]int)}},
	{"map of structs", map[fixture.Point]fixture.Point{{X: 1}: {Y: 2}}},
	{"elements of an interface type keep theirs", []any{fixture.Point{X: 1}, []int{1}}},
	{"zero struct", fixture.Point{}},
	{"pointer", &fixture.Point{X: 1}},
	{"nil pointer", (*fixture.Point)(nil)},
	{"generic", fixture.Pair[string, int]{Key: "k", Val: 1}},
	{"time", time.Date(2024, time.March, 1, 12, 30, 0, 5, time.UTC)},
	{"time zone", time.Date(2024, time.March, 1, 12, 30, 0, 0, time.FixedZone("CET", 3600))},
	{"duration", 1500 * time.Millisecond},
	{"duration hours", 2 * time.Hour},
	{"error", errors.New("not found")},
	{"wrapped error", fmt.Errorf("open: %w", os.ErrNotExist)},
	{"anonymous struct", struct{ A int }{A: 1}},
	{"nested", fixture.Order{ID: 1, Items: []string{"x"}, Tags: map[string]int{"t": 1}, Where: &fixture.Point{Y: 2},
		At: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), Wait: time.Second, Any: 3, Err: errors.New("e"), Counter: 9}},
	{"unexported field, own package", fixture.WithSecret("s")},
	// What has no literal.
	{"channel", make(chan int)},
	{"func", func() {}},
	{"cycle", cycle()},
	{"pointer to int", new(int)},
	{"other package's unexported field", time.NewTimer(time.Hour)},
	{"other package's unexported type", reflect.ValueOf(0).Type()},
}

func TestMaxLen(t *testing.T) {
	w := &literal.Writer{Home: home, MaxLen: 20}
	for _, v := range []any{strings.Repeat("x", 21), make([]int, 11), []string{"aaaaaaaa", "bbbbbbbb", "cccc"}} {
		if s, err := w.Write(reflect.ValueOf(v)); !errors.Is(err, literal.ErrUnwritable) {
			t.Errorf("Write(%v) = %q, %v; want a literal too long", v, s, err)
		}
	}
	if s, err := w.Write(reflect.ValueOf([]int{1, 2})); err != nil || s != "[]int{1, 2}" {
		t.Errorf("Write([]int{1, 2}) = %q, %v", s, err)
	}
}

// TestGolden writes every case and compares with testdata/literals.txtar
// (-update rewrites it); then it compiles the literals written, as
// declarations of the fixture package, with go vet.
func TestGolden(t *testing.T) {
	w := &literal.Writer{Home: home}
	var got []txtar.File
	var decls []string
	for i, c := range cases {
		lit, err := w.Write(reflect.ValueOf(c.v))
		out := lit
		if err != nil {
			if !errors.Is(err, literal.ErrUnwritable) {
				t.Errorf("%s: %v does not wrap ErrUnwritable", c.name, err)
			}
			out = "error: " + err.Error()
		} else {
			decls = append(decls, fmt.Sprintf("var v%d %s = %s", i, typeOf(t, c.v), lit))
		}
		got = append(got, txtar.File{Name: c.name, Data: []byte(out + "\n")})
	}
	file := filepath.Join("testdata", "literals.txtar")
	if golden.Update() {
		if err := os.WriteFile(file, txtar.Format(&txtar.Archive{Comment: []byte("Each value of literal_test.go's cases, written as Go.\n"), Files: got}), 0o666); err != nil {
			t.Fatal(err)
		}
	} else {
		want, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want.Files, got); d != "" {
			t.Errorf("literals (-want +got):\n%s", d)
		}
	}

	// The literals compile in the fixture package.
	if _, err := exec.LookPath("go"); err != nil {
		return
	}
	dir := t.TempDir()
	src := "package fixture\n\nimport (\n\t\"errors\"\n\t\"math\"\n\t\"time\"\n)\n\nvar _ = errors.New\nvar _ = math.NaN\nvar _ = time.Now\n\n" + strings.Join(decls, "\n") + "\n"
	gen := filepath.Join(dir, "zz_literals.go")
	if err := os.WriteFile(gen, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("internal", "fixture", "zz_literals.go"))
	overlay := filepath.Join(dir, "overlay.json")
	os.WriteFile(overlay, []byte(fmt.Sprintf(`{"Replace":{%q:%q}}`, abs, gen)), 0o666)
	cmd := exec.Command("go", "vet", "-overlay", overlay, "./internal/fixture")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the literals do not compile: %v\n%s\n%s", err, out, src)
	}
}

// typeOf spells the declared type of a case's variable: the value's own.
func typeOf(t *testing.T, v any) string {
	s := reflect.TypeOf(v).String()
	s = strings.ReplaceAll(s, "fixture.", "")
	s = strings.ReplaceAll(s, "interface {}", "any")
	if strings.Contains(s, "wrapError") || strings.Contains(s, "errorString") {
		return "error"
	}
	return s
}
