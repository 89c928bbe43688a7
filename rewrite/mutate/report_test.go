package mutate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const reportCalcSrc = `package a

// Add returns a + b; see https://example.com/doc.
func Add(a, b int) int {
	return a + b
}

func Less(a, b int) bool {
	return a < b
}

func Count(xs []int) int {
	n := 0
	for range xs {
		n++
	}
	return n
}
`

// reportTextSrc has a two-byte character (é, one UTF-16 unit) and a four-byte
// one (🙂, two UTF-16 units) before its mutants.
const reportTextSrc = `package b

func Score(name string, n int) int {
	return len("héllo 🙂"+name) * n
}
`

const (
	reportRoot = "/src/proj"
	reportPkgA = "example.com/proj/a"
	reportPkgB = "example.com/proj/b"
)

// fixtureMutant makes a mutant replacing needle, looked for on the given line
// of src, with the positions and offsets enumerate.go would give it.
func fixtureMutant(t *testing.T, src, rel, pkg, fn string, line int, needle, op, repl string, status Status) *Mutant {
	t.Helper()
	lineStart := 0
	for range line - 1 {
		lineStart += strings.IndexByte(src[lineStart:], '\n') + 1
	}
	lineEnd := lineStart + strings.IndexByte(src[lineStart:], '\n')
	i := strings.Index(src[lineStart:lineEnd], needle)
	if i < 0 {
		t.Fatalf("%q is not on line %d of %s", needle, line, rel)
	}
	off := lineStart + i
	return &Mutant{
		ID:          fmt.Sprintf("%s-%d-%s-%s", rel, off, op, repl),
		Operator:    op,
		Package:     pkg,
		File:        filepath.Join(reportRoot, rel),
		RelFile:     rel,
		Func:        fn,
		Offset:      off,
		EndOffset:   off + len(needle),
		Start:       Position{Line: line, Column: i + 1},
		End:         Position{Line: line, Column: i + 1 + len(needle)},
		Original:    needle,
		Replacement: repl,
		Status:      status,
	}
}

// reportFixture is a report with every status but Pending, two packages,
// non-ASCII source and durations that are no whole number of
// milliseconds.
func reportFixture(t *testing.T) *Report {
	t.Helper()
	add := fixtureMutant(t, reportCalcSrc, "a/calc.go", reportPkgA, "Add", 5, "+", "ARITHMETIC_BASE", "-", Survived)
	add.CoveredBy = []string{reportPkgA + ".TestAdd"}
	add.Duration = 1234567891
	less := fixtureMutant(t, reportCalcSrc, "a/calc.go", reportPkgA, "Less", 9, "<", "CONDITIONALS_BOUNDARY", "<=", Killed)
	less.CoveredBy = []string{reportPkgA + ".TestAdd", reportPkgA + ".TestLess"}
	less.KilledBy = []string{reportPkgA + ".TestLess"}
	less.StatusReason = "calc_test.go:12: Less(1, 1) = true, want false"
	less.Duration = 7 * time.Millisecond
	neg := fixtureMutant(t, reportCalcSrc, "a/calc.go", reportPkgA, "Less", 9, "<", "CONDITIONALS_NEGATION", ">=", CompileError)
	neg.StatusReason = "vet: impossible"
	inc := fixtureMutant(t, reportCalcSrc, "a/calc.go", reportPkgA, "Count", 15, "++", "INCREMENT_DECREMENT", "--", NoCoverage)
	rm := fixtureMutant(t, reportCalcSrc, "a/calc.go", reportPkgA, "Count", 15, "n++", "REMOVE_STATEMENT", "", Ignored)
	rm.StatusReason = "//gorewrite:ignore"
	mul := fixtureMutant(t, reportTextSrc, "b/text.go", reportPkgB, "Score", 4, "*", "ARITHMETIC_BASE", "/", Survived)
	mul.CoveredBy = []string{reportPkgB + ".ExampleScore"}
	mul.Duration = 3*time.Second + 1
	plus := fixtureMutant(t, reportTextSrc, "b/text.go", reportPkgB, "Score", 4, "+", "ARITHMETIC_BASE", "-", RuntimeError)
	plus.StatusReason = "panic: boom"
	zero := fixtureMutant(t, reportTextSrc, "b/text.go", reportPkgB, "Score", 4, `len("héllo 🙂"+name) * n`, "RETURN_ZERO", "0", Timeout)
	r := &Report{
		Root:    reportRoot,
		Sources: map[string][]byte{"a/calc.go": []byte(reportCalcSrc), "b/text.go": []byte(reportTextSrc)},
		Mutants: []*Mutant{add, less, neg, inc, rm, mul, plus, zero},
		Tests: []*Test{
			{ID: reportPkgA + ".TestAdd", Name: "TestAdd", Package: reportPkgA, File: "a/calc_test.go", Baseline: 1500123},
			{ID: reportPkgA + ".TestLess", Name: "TestLess", Package: reportPkgA, File: "a/calc_test.go", Baseline: 2 * time.Millisecond},
			{ID: reportPkgB + ".ExampleScore", Name: "ExampleScore", Package: reportPkgB, Baseline: 999},
			{ID: reportPkgB + ".TestFlaky", Name: "TestFlaky", Package: reportPkgB, File: "b/text_test.go", Failed: true},
		},
		Thresholds: Thresholds{High: 80, Low: 60},
		Elapsed:    90*time.Second + 17,
	}
	Sort(r.Mutants)
	return r
}

func writeJSONString(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	return buf.Bytes()
}

func TestJSONRoundTrip(t *testing.T) {
	want := reportFixture(t)
	got, err := ReadJSON(bytes.NewReader(writeJSONString(t, want)))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
		t.Errorf("report changed by WriteJSON and ReadJSON (-want +got):\n%s", diff)
	}
}

func TestJSONDeterministic(t *testing.T) {
	first := writeJSONString(t, reportFixture(t))
	for range 5 {
		if next := writeJSONString(t, reportFixture(t)); !bytes.Equal(first, next) {
			t.Fatalf("WriteJSON gave different output for the same report:\n%s\n----\n%s", first, next)
		}
	}
}

// The required properties of Stryker's mutation-testing-report-schema,
// from packages/report-schema/src/mutation-testing-report-schema.json in
// github.com/stryker-mutator/mutation-testing-elements (schemaVersion 2).
var (
	schemaVersionPattern = regexp.MustCompile(`^([1-2])(\.(([1-9]\d*)|0)){0,2}$`)
	requiredReport       = []string{"schemaVersion", "thresholds", "files"}
	requiredThresholds   = []string{"high", "low"} // integers, 0 to 100
	requiredFile         = []string{"language", "source", "mutants"}
	requiredMutant       = []string{"id", "mutatorName", "location", "status"}
	requiredLocation     = []string{"start", "end"}
	requiredPosition     = []string{"line", "column"} // integers, at least 1
	requiredTestFile     = []string{"tests"}
	requiredTest         = []string{"id", "name"}
	requiredFramework    = []string{"name"}
	schemaStatuses       = []string{"Killed", "Survived", "NoCoverage", "CompileError", "RuntimeError", "Timeout", "Ignored", "Pending"}
)

// jsonObject checks that v is a JSON object with the keys and returns it.
func jsonObject(t *testing.T, where string, v any, keys ...string) map[string]any {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: got %T, want an object", where, v)
	}
	for _, k := range keys {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s: required property %q missing", where, k)
		}
	}
	return obj
}

func jsonInteger(t *testing.T, where string, v any, lo, hi float64) {
	t.Helper()
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) || f < lo || f > hi {
		t.Errorf("%s = %v, want an integer in [%v, %v]", where, v, lo, hi)
	}
}

func jsonString(t *testing.T, where string, v any) {
	t.Helper()
	if _, ok := v.(string); !ok {
		t.Errorf("%s = %v (%T), want a string", where, v, v)
	}
}

func TestJSONSchemaRequired(t *testing.T) {
	r := reportFixture(t)
	r.Thresholds = Thresholds{High: 79.6, Low: -3} // must come out as integers in range
	var doc any
	if err := json.Unmarshal(writeJSONString(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	top := jsonObject(t, "report", doc, requiredReport...)
	if v, _ := top["schemaVersion"].(string); !schemaVersionPattern.MatchString(v) {
		t.Errorf("schemaVersion = %v, want a match of %v", top["schemaVersion"], schemaVersionPattern)
	}
	th := jsonObject(t, "thresholds", top["thresholds"], requiredThresholds...)
	jsonInteger(t, "thresholds.high", th["high"], 80, 80)
	jsonInteger(t, "thresholds.low", th["low"], 0, 0)
	jsonObject(t, "framework", top["framework"], requiredFramework...)

	files := jsonObject(t, "files", top["files"])
	if len(files) != len(r.Sources) {
		t.Errorf("%d files, want %d", len(files), len(r.Sources))
	}
	nMutants := 0
	for name, f := range files {
		file := jsonObject(t, name, f, requiredFile...)
		jsonString(t, name+".language", file["language"])
		jsonString(t, name+".source", file["source"])
		mutants, ok := file["mutants"].([]any)
		if !ok {
			t.Fatalf("%s.mutants = %v, want an array", name, file["mutants"])
		}
		for i, m := range mutants {
			where := fmt.Sprintf("%s.mutants[%d]", name, i)
			mut := jsonObject(t, where, m, requiredMutant...)
			jsonString(t, where+".id", mut["id"])
			jsonString(t, where+".mutatorName", mut["mutatorName"])
			jsonString(t, where+".replacement", mut["replacement"])
			if s, _ := mut["status"].(string); !slices.Contains(schemaStatuses, s) {
				t.Errorf("%s.status = %v, not one of the schema's", where, mut["status"])
			}
			loc := jsonObject(t, where+".location", mut["location"], requiredLocation...)
			for _, k := range requiredLocation {
				p := jsonObject(t, where+".location."+k, loc[k], requiredPosition...)
				jsonInteger(t, where+".location."+k+".line", p["line"], 1, 1e9)
				jsonInteger(t, where+".location."+k+".column", p["column"], 1, 1e9)
			}
			nMutants++
		}
	}
	if nMutants != len(r.Mutants) {
		t.Errorf("%d mutants written, want %d", nMutants, len(r.Mutants))
	}

	nTests := 0
	for name, tf := range jsonObject(t, "testFiles", top["testFiles"]) {
		tests, ok := jsonObject(t, name, tf, requiredTestFile...)["tests"].([]any)
		if !ok {
			t.Fatalf("testFiles[%s].tests is not an array", name)
		}
		for i, test := range tests {
			obj := jsonObject(t, fmt.Sprintf("testFiles[%s].tests[%d]", name, i), test, requiredTest...)
			jsonString(t, "test id", obj["id"])
			jsonString(t, "test name", obj["name"])
			nTests++
		}
	}
	if nTests != len(r.Tests) {
		t.Errorf("%d tests written, want %d", nTests, len(r.Tests))
	}
}

// TestJSONColumns checks that the columns written are UTF-16 columns that
// pick out each mutant's original text from its line the way the
// (JavaScript) viewer slices it.
func TestJSONColumns(t *testing.T) {
	r := reportFixture(t)
	var doc jsonReport
	if err := json.Unmarshal(writeJSONString(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	mul := doc.Files["b/text.go"].Mutants[slices.IndexFunc(doc.Files["b/text.go"].Mutants, func(m *jsonMutant) bool { return m.MutatorName == "ARITHMETIC_BASE" && m.Replacement == "/" })]
	// "\treturn len(\"héllo 🙂\"+name) * n": 32 bytes, 28 runes and 29
	// UTF-16 units come before the '*'.
	if got, want := mul.Location.Start, (Position{Line: 4, Column: 30}); got != want {
		t.Errorf("start of * = %+v, want %+v", got, want)
	}
	for rel, f := range doc.Files {
		lines := strings.Split(f.Source, "\n")
		for _, m := range f.Mutants {
			loc := m.Location
			if loc.Start.Line != loc.End.Line {
				t.Fatalf("%s: the fixture has a multi-line mutant", m.ID)
			}
			units := utf16.Encode([]rune(lines[loc.Start.Line-1]))
			got := string(utf16.Decode(units[loc.Start.Column-1 : loc.End.Column-1]))
			if got != m.Gorewrite.Original {
				t.Errorf("%s: %s: the viewer would mark %q, want %q", rel, m.ID, got, m.Gorewrite.Original)
			}
		}
	}
}

func TestReadJSONOtherTools(t *testing.T) {
	// A minimal report, without gorewrite's fields.
	const doc = `{"schemaVersion": "2.0", "thresholds": {"high": 90, "low": 70}, "projectRoot": "/r",
	  "files": {"x/x.go": {"language": "go", "source": "package x\n\nvar é = 1 + 2\n", "mutants": [
	    {"id": "1", "mutatorName": "ArithmeticOperator", "replacement": "-", "status": "Killed",
	     "location": {"start": {"line": 3, "column": 11}, "end": {"line": 3, "column": 12}}}]}},
	  "testFiles": {"x/x_test.go": {"tests": [{"id": "t1", "name": "TestX"}]}}}`
	got, err := ReadJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	want := &Report{
		Root:    "/r",
		Sources: map[string][]byte{"x/x.go": []byte("package x\n\nvar é = 1 + 2\n")},
		Mutants: []*Mutant{{
			ID: "1", Operator: "ArithmeticOperator", File: filepath.Join("/r", "x", "x.go"), RelFile: "x/x.go",
			Offset: 22, EndOffset: 23, Start: Position{3, 12}, End: Position{3, 13},
			Original: "+", Replacement: "-", Status: Killed,
		}},
		Tests:      []*Test{{ID: "t1", Name: "TestX", File: "x/x_test.go"}},
		Thresholds: Thresholds{High: 90, Low: 70},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
		t.Errorf("ReadJSON (-want +got):\n%s", diff)
	}
}

func TestReadJSONErrors(t *testing.T) {
	const th = `"thresholds": {"high": 80, "low": 60}`
	file := func(loc string) string {
		return `"schemaVersion": "2", ` + th + `, "files": {"b.go": {"language": "go", "source": "package b // 🙂\n",
		  "mutants": [{"id": "m", "mutatorName": "X", "replacement": "", "status": "Survived", "location": ` + loc + `}]}}`
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", `<html></html>`, "invalid character"},
		{"array", `[1, 2]`, "cannot unmarshal"},
		{"empty object", `{}`, "no schemaVersion"},
		{"old version", `{"schemaVersion": "1", ` + th + `, "files": {}}`, `unsupported schemaVersion "1"`},
		{"new version", `{"schemaVersion": "3.0", ` + th + `, "files": {}}`, `unsupported schemaVersion "3.0"`},
		{"no files", `{"schemaVersion": "2", ` + th + `}`, "no files"},
		{"no thresholds", `{"schemaVersion": "2", "files": {}}`, "no thresholds"},
		{"bad status", `{"schemaVersion": "2", ` + th + `, "files": {"b.go": {"language": "go", "source": "",
		  "mutants": [{"id": "m", "mutatorName": "X", "status": "Exploded", "location": {"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 1}}}]}}}`, `unknown status "Exploded"`},
		{"no location", `{` + strings.Replace(file(`null`), `"location": null`, `"x": 1`, 1) + `}`, "without id or location"},
		{"line out of range", `{` + file(`{"start": {"line": 9, "column": 1}, "end": {"line": 9, "column": 2}}`) + `}`, "line 9 out of range"},
		{"column out of range", `{` + file(`{"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 40}}`) + `}`, "1:40: column out of range"},
		{"column inside a surrogate pair", `{` + file(`{"start": {"line": 1, "column": 15}, "end": {"line": 1, "column": 16}}`) + `}`, "1:15: column out of range or inside a character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON: error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// The surrogate pair case is wrong only because of where it points.
	ok := `{` + file(`{"start": {"line": 1, "column": 14}, "end": {"line": 1, "column": 16}}`) + `}`
	if _, err := ReadJSON(strings.NewReader(ok)); err != nil {
		t.Errorf("ReadJSON of a valid location: %v", err)
	}
}

func TestWriteJSONErrors(t *testing.T) {
	r := reportFixture(t)
	delete(r.Sources, "b/text.go")
	if err := WriteJSON(io.Discard, r); err == nil || !strings.Contains(err.Error(), "no source for b/text.go") {
		t.Errorf("WriteJSON without a source: error %v, want one naming the file", err)
	}
	r = reportFixture(t)
	r.Mutants[0].End.Column = 400
	if err := WriteJSON(io.Discard, r); err == nil || !strings.Contains(err.Error(), r.Mutants[0].ID) {
		t.Errorf("WriteJSON of a mutant past its line: error %v, want one naming the mutant", err)
	}
}

// splitShards splits r's mutants and tests into two reports, as two --shard
// runs would give them.
func splitShards(t *testing.T, r *Report) (*Report, *Report) {
	t.Helper()
	a := &Report{Root: r.Root, Sources: map[string][]byte{}, Thresholds: r.Thresholds, Elapsed: time.Second}
	b := &Report{Root: "/elsewhere", Sources: map[string][]byte{}, Thresholds: Thresholds{50, 40}, Elapsed: r.Elapsed - time.Second}
	for i, m := range r.Mutants {
		s := a
		if i%2 == 1 {
			s = b
		}
		s.Mutants = append(s.Mutants, m)
		s.Sources[m.RelFile] = r.Sources[m.RelFile]
	}
	a.Tests = r.Tests[:3]
	b.Tests = r.Tests[1:] // one test in both
	return a, b
}

func TestMerge(t *testing.T) {
	want := reportFixture(t)
	a, b := splitShards(t, reportFixture(t))
	if len(a.Sources) != 2 || len(b.Sources) != 2 {
		t.Fatal("the fixture's shards should share files")
	}
	got, err := Merge(b, a)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	want.Root, want.Thresholds = b.Root, b.Thresholds // from the first
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
		t.Errorf("Merge of shards (-want +got):\n%s", diff)
	}
	got.Mutants[0].Status = Pending
	if slices.ContainsFunc(append(a.Mutants, b.Mutants...), func(m *Mutant) bool { return m.Status == Pending }) {
		t.Error("changing the merged report changed a shard")
	}
}

func TestMergeDuplicates(t *testing.T) {
	r := reportFixture(t)
	got, err := Merge(r, reportFixture(t))
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	want := reportFixture(t)
	want.Elapsed *= 2
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
		t.Errorf("Merge of a report with itself (-want +got):\n%s", diff)
	}
}

func TestMergePending(t *testing.T) {
	pending := reportFixture(t)
	for _, m := range pending.Mutants {
		m.Status, m.KilledBy, m.StatusReason = Pending, nil, ""
	}
	pending.Tests[0].Failed = true
	for _, order := range [][]*Report{{pending, reportFixture(t)}, {reportFixture(t), pending}} {
		got, err := Merge(order...)
		if err != nil {
			t.Fatalf("Merge: %v", err)
		}
		want := reportFixture(t)
		want.Elapsed *= 2
		want.Tests[0].Failed = true // failed in one run: flaky
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
			t.Errorf("Merge with a run that left everything pending (-want +got):\n%s", diff)
		}
	}
}

func TestMergeConflicts(t *testing.T) {
	other := reportFixture(t)
	other.Mutants[1].Status = Survived
	if _, err := Merge(reportFixture(t), other); err == nil || !strings.Contains(err.Error(), other.Mutants[1].ID) ||
		!strings.Contains(err.Error(), "Killed") {
		t.Errorf("Merge of two decided statuses: error %v, want one naming the mutant and both statuses", err)
	}

	edited := reportFixture(t)
	edited.Sources["b/text.go"] = []byte(strings.Replace(reportTextSrc, "* n", "* n ", 1))
	if _, err := Merge(reportFixture(t), edited); err == nil || !strings.Contains(err.Error(), "b/text.go") {
		t.Errorf("Merge of two sources of a file: error %v, want one naming the file", err)
	}

	if _, err := Merge(); err == nil {
		t.Error("Merge of nothing: no error")
	}
}

func writeHTMLString(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return buf.String()
}

// checkWellFormed checks the page's nesting with encoding/xml (the template is
// written to be XML too, and golang.org/x/net/html is no dependency).
func checkWellFormed(t *testing.T, page string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("the page is not well-formed: %v", err)
		}
	}
}

func TestHTML(t *testing.T) {
	r := reportFixture(t)
	r.Mutants[slices.IndexFunc(r.Mutants, func(m *Mutant) bool { return m.Status == RuntimeError })].StatusReason = "<script>alert(1)</script>"
	page := writeHTMLString(t, r)
	checkWellFormed(t, page)

	for _, want := range []string{
		// The source, escaped (html/template escapes + too).
		`<td class="ln">9</td><td class="code">	return a &lt; b</td>`,
		`// Add returns a &#43; b; see https://example.com/doc.`,
		`return len(&#34;héllo 🙂&#34;&#43;name) * n`,
		// Lines by their worst mutant: a survivor over a runtime error and
		// a timeout, a killed mutant over a compile error, no coverage over
		// an ignored one.
		`<tr class="line survived"><td class="ln">5</td>`,
		`<tr class="line survived"><td class="ln">4</td>`,
		`<tr class="line killed"><td class="ln">9</td>`,
		`<tr class="line nocoverage"><td class="ln">15</td>`,
		`<tr class="line"><td class="ln">1</td>`,
		// Notes.
		`<li class="survived"><span class="st">Survived</span> ARITHMETIC_BASE <code>&#43;</code> -&gt; <code>-</code>`,
		`<span class="st">Killed</span> CONDITIONALS_BOUNDARY <code>&lt;</code> -&gt; <code>&lt;=</code>, killed by TestLess`,
		`<span class="st">Ignored</span> REMOVE_STATEMENT <code>n&#43;&#43;</code> -&gt; <code>(removed)</code>`,
		`<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>`,
		// Summary, by Stryker's score: a has 1 detected of 3 valid (the
		// uncovered one counts), 2 covered of 3; b 1 detected (the
		// timeout) of 2 valid.
		`<tr><td class="name">example.com/proj/a</td><td>5</td><td>1</td><td>1</td><td>1</td><td>0</td><td>1</td><td>0</td><td>1</td><td class="bad">33.3%</td><td>66.7%</td></tr>`,
		`<tr><td class="name">example.com/proj/b</td><td>3</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td class="bad">50.0%</td><td>100.0%</td></tr>`,
		`<tr class="total"><td class="name">total</td><td>8</td>`,
		// Files with survivors are open.
		`<details id="file-1" open="open">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, bad := range []string{"a < b", "<script", ">pending<"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %s", bad)
		}
	}
	resource := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//|url\(|@import`)
	if loc := resource.FindStringIndex(page); loc != nil {
		t.Errorf("the page loads a resource: %s", page[loc[0]:loc[1]])
	}
}

func TestHTMLPending(t *testing.T) {
	r := reportFixture(t)
	for _, m := range r.Mutants {
		m.Status = Pending
	}
	page := writeHTMLString(t, r)
	checkWellFormed(t, page)
	for _, want := range []string{`<th>pending</th>`, `<td>8</td><td class="">-</td><td>-</td></tr>`, `<details id="file-1">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	delete(r.Sources, "a/calc.go")
	if err := WriteHTML(io.Discard, r); err == nil || !strings.Contains(err.Error(), "a/calc.go") {
		t.Errorf("WriteHTML without a source: error %v, want one naming the file", err)
	}
}

func TestGitHub(t *testing.T) {
	r := reportFixture(t)
	// Multi-line, with characters to escape in the file name and text.
	r.Sources["dir,x/a:b.go"] = []byte("package x\n\nvar s = fmt.Sprintf(\"%d\",\n\t1)\n")
	r.Mutants = append(r.Mutants, &Mutant{
		ID: "odd", Operator: "RETURN_ZERO", RelFile: "dir,x/a:b.go",
		Start: Position{3, 9}, End: Position{4, 4}, Offset: 19, EndOffset: 39,
		Original: "fmt.Sprintf(\"%d\",\n\t1)", Replacement: `""`, Status: Survived,
	})
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := `::warning file=a/calc.go,line=5,col=11,endLine=5,endColumn=12,title=gorewrite mutate::survived: ARITHMETIC_BASE + -> -
::notice file=a/calc.go,line=15,col=4,endLine=15,endColumn=6,title=gorewrite mutate::no coverage: INCREMENT_DECREMENT ++ -> --
::warning file=b/text.go,line=4,col=33,endLine=4,endColumn=34,title=gorewrite mutate::survived: ARITHMETIC_BASE * -> /
::warning file=dir%2Cx/a%3Ab.go,line=3,endLine=4,title=gorewrite mutate::survived: RETURN_ZERO fmt.Sprintf("%25d", 1) -> ""
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteGitHub (-want +got):\n%s", diff)
	}
}

func TestGitHubEscape(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain text", "plain text", "plain text"},
		{"50% done\r\nnext", "50%25 done%0D%0Anext", "50%25 done%0D%0Anext"},
		{"a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"%3A", "%253A", "%253A"},
	} {
		if got := githubEscapeData(tc.in); got != tc.data {
			t.Errorf("githubEscapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := githubEscapeProperty(tc.in); got != tc.prop {
			t.Errorf("githubEscapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestShortText(t *testing.T) {
	long := strings.Repeat("é", shortTextMax+5)
	for _, tc := range []struct{ in, want string }{
		{"a + b", "a + b"},
		{`"a  b"`, `"a  b"`},
		{"if x {\n\t\ty()\n\t}", "if x { y() }"},
		{"", "(removed)"},
		{long, strings.Repeat("é", shortTextMax-1) + "…"},
	} {
		if got := shortText(tc.in); got != tc.want {
			t.Errorf("shortText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestScore: the score is Stryker's, as its report app computes it: 16
// killed, 8 not covered and 1 survived score 64% (an example of
// mutation-testing-metrics'); timeouts are detected, invalid and
// unjudged statuses do not count.
func TestScore(t *testing.T) {
	var ms []*Mutant
	add := func(s Status, n int) {
		for range n {
			ms = append(ms, &Mutant{Status: s})
		}
	}
	add(Killed, 16)
	add(NoCoverage, 8)
	add(Survived, 1)
	if got, ok := Score(ms); !ok || got != 64 {
		t.Errorf("Score = %v, %v; want 64", got, ok)
	}
	add(Timeout, 5)
	add(CompileError, 3)
	add(RuntimeError, 2)
	add(Ignored, 4)
	add(Pending, 1)
	if got, _ := Score(ms); got != 70 {
		t.Errorf("with 5 timeouts and invalid mutants, Score = %v; want 70 (21/30)", got)
	}
	if _, ok := Score([]*Mutant{{Status: CompileError}}); ok {
		t.Error("a score with no valid mutant")
	}
}

// A shard report records its K/N where the schema allows more, and reads
// it back.
func TestJSONShard(t *testing.T) {
	want := reportFixture(t)
	want.Shard = Shard{2, 4}
	doc := writeJSONString(t, want)
	var raw struct {
		Gorewrite struct{ Shard string } `json:"gorewrite"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil || raw.Gorewrite.Shard != "2/4" {
		t.Fatalf("gorewrite.shard = %q (%v), want 2/4", raw.Gorewrite.Shard, err)
	}
	got, err := ReadJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if got.Shard != want.Shard {
		t.Errorf("shard read back as %v, want %v", got.Shard, want.Shard)
	}
	bad := bytes.Replace(doc, []byte(`"shard": "2/4"`), []byte(`"shard": "5/4"`), 1)
	if _, err := ReadJSON(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "5/4") {
		t.Errorf("ReadJSON of shard 5/4: error %v, want one naming it", err)
	}
}

func TestMergeShards(t *testing.T) {
	shard := func(k, n int, r *Report) *Report {
		c := *r
		c.Shard = Shard{k, n}
		return &c
	}
	a, b := splitShards(t, reportFixture(t))
	missing, err := CheckShards([]string{"a.json", "b.json"}, []*Report{shard(1, 4, a), shard(3, 4, b)})
	if err != nil {
		t.Fatalf("CheckShards: %v", err)
	}
	if want := []Shard{{2, 4}, {4, 4}}; !slices.Equal(missing, want) {
		t.Errorf("missing %v, want %v", missing, want)
	}
	if missing, err := CheckShards([]string{"a.json", "b.json"}, []*Report{shard(2, 2, a), shard(1, 2, b)}); err != nil || len(missing) > 0 {
		t.Errorf("CheckShards of a whole run: missing %v, error %v", missing, err)
	}
	if missing, err := CheckShards([]string{"a.json", "b.json"}, []*Report{shard(0, 0, a), shard(0, 0, b)}); err != nil || len(missing) > 0 {
		t.Errorf("CheckShards of reports that are no shards: missing %v, error %v", missing, err)
	}

	for _, c := range []struct {
		name    string
		reports []*Report
		want    []string
	}{
		{"same shard", []*Report{shard(2, 4, a), shard(1, 4, b), shard(2, 4, reportFixture(t))}, []string{"a.json and c.json are both shard 2/4"}},
		{"mixed N", []*Report{shard(1, 4, a), shard(2, 3, b), reportFixture(t)}, []string{"a.json", "b.json", "4", "3"}},
		// The same mutants under different shard numbers, or none: the
		// same shard twice all the same.
		{"same mutants", []*Report{shard(1, 2, a), shard(0, 0, b), shard(2, 2, reportFixture(t))}, []string{"a.json and c.json both hold mutant " + a.Mutants[0].ID}},
	} {
		_, err := CheckShards([]string{"a.json", "b.json", "c.json"}, c.reports)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want one with %q", c.name, err, w)
			}
		}
	}

	// A run that left its mutants pending is completed by another.
	pending := reportFixture(t)
	for _, m := range pending.Mutants {
		m.Status = Pending
	}
	if _, err := CheckShards([]string{"p.json", "r.json"}, []*Report{pending, reportFixture(t)}); err != nil {
		t.Errorf("CheckShards with a pending run: %v", err)
	}
}

// TestSummaryPending: a stopped run's summary counts its Pending mutants in
// a column of their own and a line saying why, leaves them out of the
// score, and its JSON says "Pending"; GitHub gets one warning for them.
func TestSummaryPending(t *testing.T) {
	r := reportFixture(t)
	var whole bytes.Buffer
	if err := WriteSummary(&whole, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(whole.String(), "pending") {
		t.Errorf("a whole run's summary speaks of pending mutants:\n%s", whole.String())
	}
	// Package b stopped before its mutants were tested.
	for _, m := range r.Mutants {
		if m.Package == reportPkgB {
			m.Status, m.StatusReason, m.KilledBy, m.CoveredBy = Pending, "", nil, nil
		}
	}
	r.Stopped = "interrupted"
	var buf bytes.Buffer
	if err := WriteSummary(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// a: 1 killed, 1 survived, 1 no coverage: 33.3%; b has nothing to score.
	for _, re := range []string{
		`(?m)^\s*package\s+mutants\s+killed\s+survived\s+nocov\s+timeout\s+compileerr\s+runtimeerr\s+ignored\s+pending\s+score\s+coverage$`,
		`(?m)^\s*example.com/proj/a\s+5\s+1\s+1\s+1\s+0\s+1\s+0\s+1\s+0\s+33.3%\s+66.7%$`,
		`(?m)^\s*example.com/proj/b\s+3\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+3\s+-\s+-\s*$`,
		`(?m)^\s*total\s+8\s+1\s+1\s+1\s+0\s+1\s+0\s+1\s+3\s+33.3%\s+66.7%$`,
		`(?m)^3 pending \(not tested: interrupted\)$`,
		`(?m)^1 survived:$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("the summary does not match %s:\n%s", re, out)
		}
	}
	r.Stopped = ""
	buf.Reset()
	WriteSummary(&buf, r)
	if !strings.Contains(buf.String(), "3 pending (not tested: the run was stopped)") {
		t.Errorf("without a reason, the summary says:\n%s", buf.String())
	}

	js := string(writeJSONString(t, r))
	if n := strings.Count(js, `"status": "Pending"`); n != 3 {
		t.Errorf(`the JSON has %d "status": "Pending", want 3`, n)
	}
	back, err := ReadJSON(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	if score, ok := Score(back.Mutants); !ok || fmt.Sprintf("%.1f", score) != "33.3" {
		t.Errorf("score read back: %v %v, want 33.3", score, ok)
	}

	r.Stopped = "--max-time 2s ran out"
	buf.Reset()
	if err := WriteGitHub(&buf, r); err != nil {
		t.Fatal(err)
	}
	if want := "::warning title=gorewrite mutate::incomplete: 3 mutants not tested (--max-time 2s ran out)\n"; !strings.HasSuffix(buf.String(), want) {
		t.Errorf("WriteGitHub ends:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestMergeFingerprints: a merged report serves an incremental run when
// its shards were run with the same settings (the same key); with
// different keys it has none, and nothing is reused from it.
func TestMergeFingerprints(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keyA, keyB string
		want       string
	}{
		{"same settings", "k1", "k1", "k1"},
		{"different settings", "k1", "k2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := splitShards(t, reportFixture(t))
			a.Key, a.Functions, a.TestSources = tc.keyA, map[string]string{"a.go#F": "1"}, map[string][]byte{"a_test.go": []byte("package a")}
			b.Key, b.Functions = tc.keyB, map[string]string{"b.go#G": "2"}
			got, err := Merge(a, b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Key != tc.want {
				t.Errorf("key %q, want %q", got.Key, tc.want)
			}
			if diff := cmp.Diff(map[string]string{"a.go#F": "1", "b.go#G": "2"}, got.Functions); diff != "" {
				t.Errorf("functions (-want +got):\n%s", diff)
			}
			if string(got.TestSources["a_test.go"]) != "package a" {
				t.Errorf("test sources %q", got.TestSources)
			}
		})
	}
}

// TestJSONRoundTripIncremental: what an incremental run reads back from a
// report (fingerprints, test locations and sources, reused statuses)
// survives WriteJSON and ReadJSON.
func TestJSONRoundTripIncremental(t *testing.T) {
	want := reportFixture(t)
	want.Key = "0123abcd"
	want.Functions = map[string]string{"a/calc.go#Add": "aa", "pkg#" + reportPkgA: "bb"}
	want.TestSources = map[string][]byte{"a/calc_test.go": []byte("package a\n"), "a/helpers_test.go": []byte("package a // no tests\n")}
	want.Tests[0].Line, want.Tests[0].Hash = 7, "cc"
	want.Mutants[0].Reused = true
	got, err := ReadJSON(bytes.NewReader(writeJSONString(t, want)))
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Mutant{})); diff != "" {
		t.Errorf("report changed by WriteJSON and ReadJSON (-want +got):\n%s", diff)
	}
}
