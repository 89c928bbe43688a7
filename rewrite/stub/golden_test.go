package stub_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/stub"
	"github.com/gorewrite/gorewrite/rewrite/stub/record"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files from the actual results")

// TestGolden runs the cases in testdata/*.txtar. A case is a module:
//
//	-- args --          options, one per line: --all, --fuzz, --parallel,
//	                    --exported, --external, --only=RE, --exclude=RE,
//	                    --force=NAME, --compare=cmp, --template=NAME
//	-- go.mod --, -- *.go --   the module (a single package)
//	-- want/NAME --     each test file written, whole
//	-- diff --          the unified diff of all of them
//	-- skipped --       the functions left out, one per line (optional)
//	-- record.jsonl --  recorded calls (--record), as the recorder logs
//	                    them; args may add --max-cases=N
//
// Each case also checks that the files written vet and pass go test (when
// the go command is there), that running again changes nothing, and that
// an existing file's bytes are all kept.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatal("no cases", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var opts stub.Options
	opts.Exists = func(name string) bool { _, err := os.Stat(name); return err == nil }
	opts.Compare = "reflect"
	var template string
	for _, f := range ar.Files {
		switch {
		case f.Name == "args":
			for _, l := range strings.Fields(string(f.Data)) {
				name, val, _ := strings.Cut(l, "=")
				switch name {
				case "--all":
					opts.All = true
				case "--fuzz":
					opts.Fuzz = true
				case "--parallel":
					opts.Parallel = true
				case "--exported":
					opts.Exported = true
				case "--external":
					opts.PreferExternal = true
				case "--only":
					opts.Only = regexp.MustCompile(val)
				case "--exclude":
					opts.Exclude = regexp.MustCompile(val)
				case "--force":
					opts.Force = append(opts.Force, val)
				case "--compare":
					opts.Compare = val
				case "--template":
					template = val
				case "--max-cases":
					opts.MaxCases, _ = strconv.Atoi(val)
				default:
					t.Fatalf("unknown arg %q", l)
				}
			}
		case f.Name == "diff" || f.Name == "skipped" || strings.HasPrefix(f.Name, "want/"):
		default:
			name := filepath.Join(dir, filepath.FromSlash(f.Name))
			os.MkdirAll(filepath.Dir(name), 0o777)
			if err := os.WriteFile(name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if log := filepath.Join(dir, "record.jsonl"); opts.Exists(log) {
		if opts.Recorded, err = record.ReadRuns([][]string{{log}}); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Templates, err = stub.LoadTemplates(template); err != nil {
		t.Fatal(err)
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	opts.Requires = func(path string) bool {
		return strings.HasPrefix(path, "github.com/google/go-cmp/") && bytes.Contains(gomod, []byte("github.com/google/go-cmp"))
	}

	outs, skipped := generate(t, dir, opts)
	var diff strings.Builder
	got := make(map[string][]byte)
	for _, o := range outs {
		rel, _ := filepath.Rel(dir, o.Name)
		got["want/"+filepath.ToSlash(rel)] = o.New
		d := rewrite.UnifiedDiff(rel, o.Old, o.New)
		if o.Created {
			d = "--- /dev/null\n" + d[strings.Index(d, "\n")+1:]
		}
		diff.WriteString(d)
		if o.Old != nil {
			// Existing bytes are kept: the diff only adds lines.
			for _, l := range strings.Split(rewrite.UnifiedDiff(rel, o.Old, o.New), "\n")[2:] {
				// A single import becomes a block when another is added.
				if strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "-import ") {
					if len(opts.Force) == 0 {
						t.Errorf("%s: a line of the existing file was removed: %q", rel, l)
					}
				}
			}
		}
	}
	check := func(name string, got []byte) {
		t.Helper()
		for i, f := range ar.Files {
			if f.Name == name {
				if d := cmp.Diff(string(f.Data), string(got)); d != "" {
					if *update {
						ar.Files[i].Data = got
						return
					}
					t.Errorf("%s mismatch (-want +got):\n%s", name, d)
				}
				return
			}
		}
		if *update {
			ar.Files = append(ar.Files, txtar.File{Name: name, Data: got})
			return
		}
		if len(got) > 0 {
			t.Errorf("no %s section; got:\n%s", name, got)
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	}) {
		check(name, got[name])
	}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want/") && got[f.Name] == nil && !*update {
			t.Errorf("%s: expected, not written", f.Name)
		}
	}
	check("diff", []byte(diff.String()))
	check("skipped", []byte(strings.Join(skipped, "")))
	if *update {
		ar.Files = slices.DeleteFunc(ar.Files, func(f txtar.File) bool {
			return strings.HasPrefix(f.Name, "want/") && got[f.Name] == nil
		})
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Write, then the module must vet and pass, and a second run must
	// change nothing.
	for _, o := range outs {
		if err := os.WriteFile(o.Name, o.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("go"); err == nil && len(outs) > 0 {
		for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
			c := exec.Command("go", args...)
			c.Dir = dir
			c.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
			if out, err := c.CombinedOutput(); err != nil {
				t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
	}
	opts.Force = nil
	again, _ := generate(t, dir, opts)
	for _, o := range again {
		t.Errorf("second run changed %s:\n%s", filepath.Base(o.Name), rewrite.UnifiedDiff(filepath.Base(o.Name), o.Old, o.New))
	}
}

// generate loads the module in dir and generates its tests.
func generate(t *testing.T, dir string, opts stub.Options) ([]*stub.FileOut, []string) {
	t.Helper()
	var c stub.Collector
	cfg := rewrite.Config{Dir: dir, Tests: true, Env: append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")}
	err := rewrite.Run(context.Background(), cfg, []*rewrite.Rule{c.Rule()}, []string{"./..."}, func(r *rewrite.FileResult) error {
		for _, err := range r.Errs {
			t.Errorf("load: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var outs []*stub.FileOut
	var skipped []string
	for _, pkg := range c.Packages() {
		res := stub.Generate(context.Background(), pkg, opts)
		for _, err := range res.Errs {
			t.Errorf("generate: %v", err)
		}
		for _, s := range res.Skipped {
			rel, _ := filepath.Rel(dir, s.Pos.Filename)
			s.Pos.Filename = filepath.ToSlash(rel)
			skipped = append(skipped, s.Pos.String()+": "+s.Func+": "+s.Reason+"\n")
		}
		outs = append(outs, res.Files...)
	}
	return outs, skipped
}
