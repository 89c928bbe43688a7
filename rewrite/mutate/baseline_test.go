package mutate

import (
	"bytes"
	"strings"
	"testing"
)

func TestBaselineRoundTrip(t *testing.T) {
	r := reportFixture(t)
	var b bytes.Buffer
	if err := WriteBaseline(&b, r); err != nil {
		t.Fatal(err)
	}
	fromList, err := ReadBaseline(&b)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := ReadBaseline(bytes.NewReader(writeJSONString(t, r)))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, m := range r.Mutants {
		if m.Status == Survived || m.Status == NoCoverage {
			want++
			if !fromList[m.ID] || !fromJSON[m.ID] {
				t.Errorf("%s (%s) missing: list %v, report %v", m.ID, m.Status, fromList[m.ID], fromJSON[m.ID])
			}
		}
	}
	if len(fromList) != want || len(fromJSON) != want {
		t.Errorf("%d and %d ids, want %d", len(fromList), len(fromJSON), want)
	}
	d := fromList.Compare(r)
	if len(d.New) != 0 || len(d.Known) != want || len(d.Fixed) != 0 || d.Gone != 0 {
		t.Errorf("a run against its own baseline: %+v", d)
	}
}

func TestBaselineCompare(t *testing.T) {
	r := reportFixture(t)
	var survivor, killed *Mutant
	for _, m := range r.Mutants {
		switch m.Status {
		case Survived:
			survivor = m
		case Killed:
			killed = m
		}
	}
	base := Baseline{killed.ID: true, "0123456789ab": true}
	d := base.Compare(r)
	if len(d.Fixed) != 1 || d.Fixed[0] != killed || d.Gone != 1 {
		t.Errorf("fixed %v, gone %d", d.Fixed, d.Gone)
	}
	found := false
	for _, m := range d.New {
		found = found || m == survivor
	}
	if !found {
		t.Error("a survivor not in the baseline is not new")
	}
}

func TestReadBaselineList(t *testing.T) {
	b, err := ReadBaseline(strings.NewReader("# comment\n\n0123456789ab calc.go:1:2 X a -> b\n  fedcba987654\n"))
	if err != nil || len(b) != 2 || !b["0123456789ab"] || !b["fedcba987654"] {
		t.Errorf("%v, %v", b, err)
	}
	if _, err := ReadBaseline(strings.NewReader("calc.go:1:2\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a line without an id: %v", err)
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"**/*_gen.go", "a/b/x_gen.go", true},
		{"**/*_gen.go", "x_gen.go", true},
		{"**/*_gen.go", "a/x.go", false},
		{"internal/legacy/**", "internal/legacy/a/b.go", true},
		{"internal/legacy/**", "internal/other/b.go", false},
		{"*.go", "a/b.go", false},
		{"a/*/c.go", "a/b/c.go", true},
	} {
		if got := globMatch(c.pattern, c.name); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pattern, c.name, got)
		}
	}
}
