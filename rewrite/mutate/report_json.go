package mutate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// reportSchemaVersion is the major version of Stryker's
// mutation-testing-report-schema that WriteJSON writes and ReadJSON reads.
const reportSchemaVersion = "2"

// The JSON report follows the schema's field names and types. What
// gorewrite needs to read a report back without loss and the schema has
// no field for sits in one "gorewrite" object per level: the schema sets
// no additionalProperties, so other properties are allowed, and viewers
// ignore them. All durations are in milliseconds, as the schema's are.

type jsonReport struct {
	SchemaVersion string                   `json:"schemaVersion"`
	Thresholds    *jsonThresholds          `json:"thresholds"`
	ProjectRoot   string                   `json:"projectRoot,omitempty"`
	Files         map[string]*jsonFile     `json:"files"`
	TestFiles     map[string]*jsonTestFile `json:"testFiles,omitempty"`
	Framework     *jsonFramework           `json:"framework,omitempty"`
	Gorewrite     *jsonReportExt           `json:"gorewrite,omitempty"`
}

// jsonThresholds are integers in the schema.
type jsonThresholds struct {
	High float64 `json:"high"`
	Low  float64 `json:"low"`
}

type jsonFramework struct {
	Name string `json:"name"`
}

type jsonReportExt struct {
	Elapsed float64 `json:"elapsed,omitempty"`
	// Shard is "K/N" in a --shard run's report.
	Shard string `json:"shard,omitempty"`
	// Key and Functions are Report.Key and Report.Functions, for
	// incremental runs.
	Key       string            `json:"key,omitempty"`
	Functions map[string]string `json:"functions,omitempty"`
}

type jsonFile struct {
	Language string        `json:"language"`
	Source   string        `json:"source"`
	Mutants  []*jsonMutant `json:"mutants"`
}

type jsonMutant struct {
	ID           string         `json:"id"`
	MutatorName  string         `json:"mutatorName"`
	Replacement  string         `json:"replacement"`
	Location     *jsonLocation  `json:"location"`
	Status       Status         `json:"status"`
	StatusReason string         `json:"statusReason,omitempty"`
	CoveredBy    []string       `json:"coveredBy,omitempty"`
	KilledBy     []string       `json:"killedBy,omitempty"`
	Duration     float64        `json:"duration,omitempty"`
	Gorewrite    *jsonMutantExt `json:"gorewrite,omitempty"`
}

// jsonLocation holds 1-based columns counted in UTF-16 code units, as the
// viewer indexes the (JavaScript) source string.
type jsonLocation struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

type jsonMutantExt struct {
	Package   string `json:"package"`
	File      string `json:"file"`
	Func      string `json:"func,omitempty"`
	Offset    int    `json:"offset"`
	EndOffset int    `json:"endOffset"`
	Original  string `json:"original"`
	// BuiltAlone is Mutant.Alone.
	BuiltAlone string `json:"builtAlone,omitempty"`
	// Reused says the status is an earlier run's (--incremental).
	Reused bool `json:"reused,omitempty"`
	// DecidedBy is Mutant.DecidedBy.
	DecidedBy []string `json:"decidedBy,omitempty"`
}

type jsonTestFile struct {
	Source string      `json:"source,omitempty"`
	Tests  []*jsonTest `json:"tests"`
}

type jsonTest struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Location  *jsonTestLine `json:"location,omitempty"`
	Gorewrite *jsonTestExt  `json:"gorewrite,omitempty"`
}

// jsonTestLine is a test's location: the schema's open location, a start
// only.
type jsonTestLine struct {
	Start Position `json:"start"`
}

type jsonTestExt struct {
	Package  string  `json:"package"`
	Baseline float64 `json:"baseline,omitempty"`
	Failed   bool    `json:"failed,omitempty"`
	// Hash is Test.Hash.
	Hash string `json:"hash,omitempty"`
	// NoFile marks a test whose file is unknown, listed under its
	// package's import path instead, as the schema allows "class names"
	// as testFiles keys.
	NoFile bool `json:"noFile,omitempty"`
}

// WriteJSON writes r as a Stryker mutation-testing-report-schema report,
// which Stryker's HTML viewer and dashboard read, and which ReadJSON reads
// back for merging shards. The output is deterministic: maps are written
// with sorted keys and slices in the Report's order.
func WriteJSON(w io.Writer, r *Report) error {
	jr, err := toJSONReport(r)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}

func toJSONReport(r *Report) (*jsonReport, error) {
	jr := &jsonReport{
		SchemaVersion: reportSchemaVersion,
		Thresholds:    &jsonThresholds{High: schemaPercent(r.Thresholds.High), Low: schemaPercent(r.Thresholds.Low)},
		ProjectRoot:   r.Root,
		Files:         make(map[string]*jsonFile),
		Framework:     &jsonFramework{Name: "gorewrite"},
	}
	if r.Elapsed != 0 || r.Shard != (Shard{}) || r.Key != "" || len(r.Functions) > 0 {
		jr.Gorewrite = &jsonReportExt{Elapsed: millis(r.Elapsed), Key: r.Key, Functions: r.Functions}
		if r.Shard != (Shard{}) {
			jr.Gorewrite.Shard = r.Shard.String()
		}
	}
	for rel, src := range r.Sources {
		jr.Files[rel] = &jsonFile{Language: "go", Source: string(src), Mutants: []*jsonMutant{}}
	}
	cols := make(map[string]columnMap)
	for _, m := range r.Mutants {
		f, ok := jr.Files[m.RelFile]
		if !ok {
			return nil, fmt.Errorf("writing mutation report: no source for %s (mutant %s)", m.RelFile, m.ID)
		}
		cm, ok := cols[m.RelFile]
		if !ok {
			cm = newColumnMap(r.Sources[m.RelFile])
			cols[m.RelFile] = cm
		}
		jm, err := toJSONMutant(m, cm)
		if err != nil {
			return nil, fmt.Errorf("writing mutation report: %s: mutant %s: %w", m.RelFile, m.ID, err)
		}
		f.Mutants = append(f.Mutants, jm)
	}
	jr.TestFiles = toJSONTestFiles(r.Tests)
	// Every test file, those without tests (helpers) too: an incremental
	// run compares them all.
	for name, src := range r.TestSources {
		if jr.TestFiles == nil {
			jr.TestFiles = make(map[string]*jsonTestFile)
		}
		tf := jr.TestFiles[name]
		if tf == nil {
			tf = &jsonTestFile{Tests: []*jsonTest{}}
			jr.TestFiles[name] = tf
		}
		tf.Source = string(src)
	}
	return jr, nil
}

// schemaPercent makes a threshold valid for the schema, which wants an
// integer from 0 to 100.
func schemaPercent(p float64) float64 {
	return math.Min(100, math.Max(0, math.Round(p)))
}

func toJSONMutant(m *Mutant, cm columnMap) (*jsonMutant, error) {
	start, err := cm.toUTF16(m.Start)
	if err != nil {
		return nil, err
	}
	end, err := cm.toUTF16(m.End)
	if err != nil {
		return nil, err
	}
	return &jsonMutant{
		ID:           m.ID,
		MutatorName:  m.Operator,
		Replacement:  m.Replacement,
		Location:     &jsonLocation{Start: start, End: end},
		Status:       m.Status,
		StatusReason: m.StatusReason,
		CoveredBy:    m.CoveredBy,
		KilledBy:     m.KilledBy,
		Duration:     millis(m.Duration),
		Gorewrite: &jsonMutantExt{
			Package:    m.Package,
			File:       m.File,
			Func:       m.Func,
			Offset:     m.Offset,
			EndOffset:  m.EndOffset,
			Original:   m.Original,
			BuiltAlone: m.Alone,
			Reused:     m.Reused,
			DecidedBy:  m.DecidedBy,
		},
	}, nil
}

// toJSONTestFiles groups tests by file, keeping their order within each.
func toJSONTestFiles(tests []*Test) map[string]*jsonTestFile {
	if len(tests) == 0 {
		return nil
	}
	files := make(map[string]*jsonTestFile)
	for _, t := range tests {
		key := t.File
		ext := &jsonTestExt{Package: t.Package, Baseline: millis(t.Baseline), Failed: t.Failed, Hash: t.Hash}
		if key == "" {
			key, ext.NoFile = t.Package, true
		}
		tf := files[key]
		if tf == nil {
			tf = &jsonTestFile{}
			files[key] = tf
		}
		jt := &jsonTest{ID: t.ID, Name: t.Name, Gorewrite: ext}
		if t.Line > 0 {
			jt.Location = &jsonTestLine{Start: Position{Line: t.Line, Column: 1}}
		}
		tf.Tests = append(tf.Tests, jt)
	}
	return files
}

// ReadJSON reads a report WriteJSON wrote. It also reads other tools'
// reports of the same schema version, deriving what it can of the
// gorewrite fields (offsets, original text, absolute file names) from the
// sources and the project root.
func ReadJSON(rd io.Reader) (*Report, error) {
	var jr jsonReport
	if err := json.NewDecoder(rd).Decode(&jr); err != nil {
		return nil, fmt.Errorf("reading mutation report: %w", err)
	}
	if err := checkJSONReport(&jr); err != nil {
		return nil, fmt.Errorf("reading mutation report: %w", err)
	}
	r := &Report{
		Root:       jr.ProjectRoot,
		Sources:    make(map[string][]byte, len(jr.Files)),
		Thresholds: Thresholds{High: jr.Thresholds.High, Low: jr.Thresholds.Low},
	}
	if jr.Gorewrite != nil {
		r.Elapsed = fromMillis(jr.Gorewrite.Elapsed)
		r.Key, r.Functions = jr.Gorewrite.Key, jr.Gorewrite.Functions
		if jr.Gorewrite.Shard != "" {
			sh, err := ParseShard(jr.Gorewrite.Shard)
			if err != nil {
				return nil, fmt.Errorf("reading mutation report: shard %q: want K/N with 1 <= K <= N", jr.Gorewrite.Shard)
			}
			r.Shard = sh
		}
	}
	for rel, f := range jr.Files {
		if f == nil {
			return nil, fmt.Errorf("reading mutation report: %s: not a file result", rel)
		}
		r.Sources[rel] = []byte(f.Source)
		cm := newColumnMap(r.Sources[rel])
		for _, jm := range f.Mutants {
			m, err := fromJSONMutant(jm, rel, r.Root, cm)
			if err != nil {
				return nil, fmt.Errorf("reading mutation report: %s: %w", rel, err)
			}
			r.Mutants = append(r.Mutants, m)
		}
	}
	for key, tf := range jr.TestFiles {
		if tf == nil {
			return nil, fmt.Errorf("reading mutation report: test file %s: not a test file", key)
		}
		for _, jt := range tf.Tests {
			r.Tests = append(r.Tests, fromJSONTest(jt, key))
		}
		if tf.Source != "" {
			if r.TestSources == nil {
				r.TestSources = make(map[string][]byte)
			}
			r.TestSources[key] = []byte(tf.Source)
		}
	}
	Sort(r.Mutants)
	sortTestsByID(r.Tests)
	return r, nil
}

// checkJSONReport rejects documents that are not reports of the schema
// version we know, with the reason.
func checkJSONReport(jr *jsonReport) error {
	switch major, _, _ := strings.Cut(jr.SchemaVersion, "."); {
	case jr.SchemaVersion == "":
		return errors.New("not a mutation testing report: no schemaVersion")
	case major != reportSchemaVersion:
		return fmt.Errorf("unsupported schemaVersion %q (want %s)", jr.SchemaVersion, reportSchemaVersion)
	case jr.Files == nil:
		return errors.New("not a mutation testing report: no files")
	case jr.Thresholds == nil:
		return errors.New("not a mutation testing report: no thresholds")
	}
	return nil
}

func fromJSONMutant(jm *jsonMutant, rel, root string, cm columnMap) (*Mutant, error) {
	if jm == nil || jm.ID == "" || jm.Location == nil {
		return nil, errors.New("mutant without id or location")
	}
	if !knownStatus(jm.Status) {
		return nil, fmt.Errorf("mutant %s: unknown status %q", jm.ID, jm.Status)
	}
	start, err := cm.toBytes(jm.Location.Start)
	if err != nil {
		return nil, fmt.Errorf("mutant %s: %w", jm.ID, err)
	}
	end, err := cm.toBytes(jm.Location.End)
	if err != nil {
		return nil, fmt.Errorf("mutant %s: %w", jm.ID, err)
	}
	m := &Mutant{
		ID:           jm.ID,
		Operator:     jm.MutatorName,
		RelFile:      rel,
		Start:        start,
		End:          end,
		Replacement:  jm.Replacement,
		Status:       jm.Status,
		StatusReason: jm.StatusReason,
		CoveredBy:    jm.CoveredBy,
		KilledBy:     jm.KilledBy,
		Duration:     fromMillis(jm.Duration),
	}
	if ext := jm.Gorewrite; ext != nil {
		m.Package, m.File, m.Func, m.Alone, m.Reused, m.DecidedBy = ext.Package, ext.File, ext.Func, ext.BuiltAlone, ext.Reused, ext.DecidedBy
		m.Offset, m.EndOffset, m.Original = ext.Offset, ext.EndOffset, ext.Original
		return m, nil
	}
	// Another tool's report: what the schema has is enough for the rest.
	m.File = filepath.Join(root, filepath.FromSlash(rel))
	m.Offset, m.EndOffset = cm.offset(start), cm.offset(end)
	if m.EndOffset < m.Offset {
		return nil, fmt.Errorf("mutant %s: location ends before it starts", jm.ID)
	}
	m.Original = string(cm.src[m.Offset:m.EndOffset])
	return m, nil
}

func fromJSONTest(jt *jsonTest, key string) *Test {
	t := &Test{ID: jt.ID, Name: jt.Name, File: key}
	if jt.Location != nil {
		t.Line = jt.Location.Start.Line
	}
	if ext := jt.Gorewrite; ext != nil {
		t.Package = ext.Package
		t.Baseline = fromMillis(ext.Baseline)
		t.Failed, t.Hash = ext.Failed, ext.Hash
		if ext.NoFile {
			t.File = ""
		}
	}
	return t
}

func knownStatus(s Status) bool {
	switch s {
	case Killed, Survived, NoCoverage, Timeout, CompileError, RuntimeError, Ignored, Pending:
		return true
	}
	return false
}

func sortTestsByID(tests []*Test) {
	slices.SortStableFunc(tests, func(a, b *Test) int { return strings.Compare(a.ID, b.ID) })
}

// millis converts to the schema's unit. A float64 holds a duration's
// nanoseconds exactly enough for fromMillis to give them back for any
// duration under a few weeks.
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMillis(ms float64) time.Duration {
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// Merge joins the reports of shards of one run (or of runs over disjoint
// packages) into one. Files, mutants (by ID) and tests (by ID) are united.
// A mutant one shard left Pending takes the status another decided; two
// different decided statuses, or two different sources for one file, are
// errors, as they mean the reports are not of the same code. Root and
// thresholds come from the first report; elapsed times add up, as the
// shards' work does.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("merging mutation reports: no reports")
	}
	out := &Report{
		Root:       reports[0].Root,
		Sources:    make(map[string][]byte),
		Thresholds: reports[0].Thresholds,
	}
	mutants := make(map[string]*Mutant)
	tests := make(map[string]*Test)
	for _, r := range reports {
		if err := mergeSources(out.Sources, r.Sources); err != nil {
			return nil, err
		}
		if err := mergeMutants(mutants, r.Mutants); err != nil {
			return nil, err
		}
		mergeTests(tests, r.Tests)
		out.Elapsed += r.Elapsed
		mergeFingerprints(out, r, r == reports[0])
	}
	for _, m := range mutants {
		out.Mutants = append(out.Mutants, m)
	}
	for _, t := range tests {
		out.Tests = append(out.Tests, t)
	}
	Sort(out.Mutants)
	sortTestsByID(out.Tests)
	return out, nil
}

// mergeFingerprints carries the fingerprints of r (see Report.Key) into
// out, so that a merged report serves an incremental run: the key when
// every report has the same one (else none: nothing is reused), the
// functions and test sources of all.
func mergeFingerprints(out, r *Report, first bool) {
	if first {
		out.Key = r.Key
	} else if out.Key != r.Key {
		out.Key = ""
	}
	for k, v := range r.Functions {
		if out.Functions == nil {
			out.Functions = make(map[string]string)
		}
		out.Functions[k] = v
	}
	for k, v := range r.TestSources {
		if out.TestSources == nil {
			out.TestSources = make(map[string][]byte)
		}
		out.TestSources[k] = v
	}
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// CheckShards checks that reports, read from the files names, are
// different shards of one run before they are merged: Merge alone takes a
// report given twice for the same results, and the merged score would
// silently leave out a shard's mutants or count them twice. Shards of
// different N, the same shard twice, and two reports that decided the
// same mutant (the same shard, whatever they say) are errors naming both
// files. (A mutant one report left Pending, an interrupted run's, may be
// decided in another.) It returns the shards of the run that no report
// holds, in order; reports without a shard (not --shard runs) take part
// in the check for repeated mutants only.
func CheckShards(names []string, reports []*Report) (missing []Shard, err error) {
	var n int
	var nFrom string
	byShard := make(map[Shard]string)
	for i, r := range reports {
		if r.Shard == (Shard{}) {
			continue
		}
		switch {
		case n == 0:
			n, nFrom = r.Shard.N, names[i]
		case r.Shard.N != n:
			return nil, fmt.Errorf("%s is a shard of %d, %s of %d: not shards of one run", nFrom, n, names[i], r.Shard.N)
		}
		if have, ok := byShard[r.Shard]; ok {
			return nil, fmt.Errorf("%s and %s are both shard %s", have, names[i], r.Shard)
		}
		byShard[r.Shard] = names[i]
	}
	decidedIn := make(map[string]int) // by mutant ID, the report's index
	for i, r := range reports {
		for _, m := range r.Mutants {
			if m.Status == Pending {
				continue
			}
			if have, ok := decidedIn[m.ID]; ok {
				return nil, fmt.Errorf("%s and %s both hold mutant %s: the same shard twice?", names[have], names[i], m.ID)
			}
			decidedIn[m.ID] = i
		}
	}
	for k := 1; k <= n; k++ {
		if _, ok := byShard[Shard{k, n}]; !ok {
			missing = append(missing, Shard{k, n})
		}
	}
	return missing, nil
}

func mergeSources(into, from map[string][]byte) error {
	for rel, src := range from {
		if have, ok := into[rel]; ok && !bytes.Equal(have, src) {
			return fmt.Errorf("merging mutation reports: %s: the reports saw different source", rel)
		}
		into[rel] = src
	}
	return nil
}

// mergeMutants adds copies of from to into, so the merged report does
// not share mutants with its inputs.
func mergeMutants(into map[string]*Mutant, from []*Mutant) error {
	for _, m := range from {
		have, ok := into[m.ID]
		switch {
		case !ok || have.Status == Pending:
			c := *m
			into[m.ID] = &c
		case m.Status == Pending || m.Status == have.Status:
			// Nothing new.
		default:
			return fmt.Errorf("merging mutation reports: mutant %s (%s:%d) is %s in one report and %s in another",
				m.ID, m.RelFile, m.Start.Line, have.Status, m.Status)
		}
	}
	return nil
}

// mergeTests keeps the first of equal tests, but a test that failed
// without mutants in any shard is marked Failed: it was not used to judge
// that shard's mutants, and it is flaky.
func mergeTests(into map[string]*Test, from []*Test) {
	for _, t := range from {
		if have, ok := into[t.ID]; ok {
			have.Failed = have.Failed || t.Failed
			continue
		}
		c := *t
		into[t.ID] = &c
	}
}

// A columnMap converts one file's positions between go/token's byte
// columns and the UTF-16 columns of the schema's viewer, which indexes a
// JavaScript string: a byte column would put the highlight of a mutant
// after a non-ASCII character off by the character's extra bytes.
type columnMap struct {
	src        []byte
	lineStarts []int
}

func newColumnMap(src []byte) columnMap {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return columnMap{src: src, lineStarts: starts}
}

// line returns line n (1-based) without its newline.
func (c columnMap) line(n int) ([]byte, error) {
	if n < 1 || n > len(c.lineStarts) {
		return nil, fmt.Errorf("line %d out of range (the source has %d)", n, len(c.lineStarts))
	}
	end := len(c.src)
	if n < len(c.lineStarts) {
		end = c.lineStarts[n] - 1
	}
	return c.src[c.lineStarts[n-1]:end], nil
}

func (c columnMap) toUTF16(p Position) (Position, error) {
	line, err := c.line(p.Line)
	if err != nil {
		return p, err
	}
	units, i := 0, 0
	for i < p.Column-1 && i < len(line) {
		r, size := utf8.DecodeRune(line[i:])
		units += utf16.RuneLen(r) // an invalid byte becomes one U+FFFD in JSON
		i += size
	}
	if p.Column < 1 || i != p.Column-1 {
		return p, fmt.Errorf("%d:%d: column out of range or inside a character", p.Line, p.Column)
	}
	return Position{Line: p.Line, Column: units + 1}, nil
}

func (c columnMap) toBytes(p Position) (Position, error) {
	line, err := c.line(p.Line)
	if err != nil {
		return p, err
	}
	units, i := 0, 0
	for units < p.Column-1 && i < len(line) {
		r, size := utf8.DecodeRune(line[i:])
		units += utf16.RuneLen(r)
		i += size
	}
	if p.Column < 1 || units != p.Column-1 {
		return p, fmt.Errorf("%d:%d: column out of range or inside a character", p.Line, p.Column)
	}
	return Position{Line: p.Line, Column: i + 1}, nil
}

// offset returns the byte offset of a valid position with a byte column.
func (c columnMap) offset(p Position) int {
	return c.lineStarts[p.Line-1] + p.Column - 1
}
