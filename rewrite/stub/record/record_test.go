package record

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal"
)

// TestRecord records the calls calc's test makes and checks each
// function's: inputs written at entry, results at exit, what cannot be
// written skipped with the reason, panicking calls left out, and the
// calls whose results differ dropped.
func TestRecord(t *testing.T) {
	dir, _ := filepath.Abs("testdata/mod")
	var out bytes.Buffer
	res, err := Record(context.Background(), Config{Config: cover.Config{Dir: dir, Patterns: []string{"./..."}}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || res.BuildFailed {
		t.Fatalf("exit %d:\n%s", res.ExitCode, out.String())
	}
	got := map[string][]string{}
	for _, fn := range res.Calls.Sorted() {
		var lines []string
		for _, c := range fn.Calls {
			q := func(s string) string {
				return literal.Unmark(s, func(path string) string {
					if path == "example.com/rec/calc" {
						return ""
					}
					return path[strings.LastIndex(path, "/")+1:]
				})
			}
			var args, results []string
			for _, a := range c.Args {
				if a == literal.Placeholder {
					a = "<ctx>"
				}
				args = append(args, q(a))
			}
			for _, r := range c.Results {
				results = append(results, q(r))
			}
			line := "(" + strings.Join(args, ", ") + ") = " + strings.Join(results, ", ")
			if c.Recv != "" {
				line = q(c.Recv) + "." + line
			}
			if c.Unexported {
				line += " [unexported]"
			}
			if c.ErrMsg != "" {
				line += " [" + c.ErrMsg + "]"
			}
			lines = append(lines, line)
		}
		if fn.Unstable > 0 {
			lines = append(lines, "unstable")
		}
		for _, s := range fn.Skipped {
			lines = append(lines, "skipped: "+s)
		}
		got[fn.Name] = lines
	}
	want := map[string][]string{
		"Add":         {"(1, 2) = 3", "(2, 2) = 4"},
		"Div":         {`(1, 0) = 0, errors.New("division by zero") [division by zero]`, "(7, 2) = 3, nil"},
		"Acc.Add":     {`Acc{Name: "x"}.(2) = 2`, `Acc{n: 2, Name: "x"}.(3) = 5 [unexported]`},
		"Point.Scale": {"Point{X: 1, Y: 2}.(3) = Point{X: 3, Y: 6}"},
		"Words":       {`("a b a") = []string{"a", "b", "a"}, map[string]int{"a": 2, "b": 1}`},
		"Stamp":       {"unstable"},
		"Roll":        {"unstable"},
		"Greet":       {`(<ctx>, "bob") = "hello bob"`},
		"Must":        {"(2) = 2"},
		"Drain":       {"skipped: argument 1: a chan: no Go literal for it"},
		"Blank":       {`(1, "ab") = "abab", nil`},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	// Each call of Div took branch outcomes of its file, not the same.
	div := res.Calls.Funcs[Key("example.com/rec/calc", "Div")]
	if div == nil || len(div.Calls) != 2 || len(div.Calls[0].Branches) == 0 || len(div.Calls[1].Branches) == 0 ||
		cmp.Equal(div.Calls[0].Branches, div.Calls[1].Branches) {
		t.Errorf("Div's calls should take different branch outcomes: %+v", div)
	}
}

func TestErrLine(t *testing.T) {
	for _, line := range []string{
		"./x_test.go:12:3: undefined: Foo",
		"vet: parser/parser_test.go:8:2: \"text\" imported and not used",
		"# example.com/p\n  x_test.go:1:2: oops",
	} {
		if !errLine.MatchString(line) {
			t.Errorf("no position found in %q", line)
		}
	}
}
