package mutate

import (
	"time"
)

// Status is a mutant's fate, named as in Stryker's
// mutation-testing-report-schema.
type Status string

const (
	// Killed: a covering test failed (or panicked) with the mutant applied.
	Killed Status = "Killed"
	// Survived: every covering test passed with the mutant applied.
	Survived Status = "Survived"
	// NoCoverage: no test runs the mutated code; the mutant is not run.
	NoCoverage Status = "NoCoverage"
	// Timeout: the covering tests did not finish in time.
	Timeout Status = "Timeout"
	// CompileError: the mutant type-checked but its test binary did not
	// build. Mutants that do not type-check are never listed at all.
	CompileError Status = "CompileError"
	// RuntimeError: the test binary ended abnormally with no test
	// reporting a failure (a fatal runtime error, a signal, os.Exit).
	RuntimeError Status = "RuntimeError"
	// Ignored: suppressed by a //gorewrite:ignore directive.
	Ignored Status = "Ignored"
	// Pending: not run (yet): --list, or a run that was interrupted.
	Pending Status = "Pending"
)

// Position is a 1-based line and column (in bytes, as go/token counts
// them) in a source file.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// A Mutant is one small change to one package's source.
type Mutant struct {
	// ID is stable across runs: it is derived from the operator, the
	// file, the enclosing function, the original and new text and the
	// occurrence of that change within the function, not from line
	// numbers, so edits elsewhere do not change it.
	ID       string
	Operator string // the operator's stable name, such as ARITHMETIC_BASE
	Package  string // import path
	File     string // absolute file name
	RelFile  string // file name relative to the report's root, with slashes
	Func     string // enclosing function ("Name", "Type.Name") or "" at package level

	// The change: the bytes [Offset, EndOffset) of File, which span
	// Start..End, are replaced by Replacement.
	Offset, EndOffset int
	Start, End        Position
	Original          string
	Replacement       string

	Status       Status
	StatusReason string
	// CoveredBy are the IDs of the tests that run the mutated code (see
	// Test.ID); KilledBy the ones that failed with the mutant applied.
	CoveredBy []string
	KilledBy  []string
	// DecidedBy are the tests that decided a Timeout (they ran past the
	// ceiling) or a RuntimeError (their run crashed).
	DecidedBy []string
	// Duration is how long building and testing the mutant took.
	Duration time.Duration
	// Alone says why the mutant was tested in a binary of its own rather
	// than switched on in its package's schema ("overlay strategy" when
	// that was asked for); empty when the schema held it, or it was not
	// tested.
	Alone string
	// Reused says the status is an earlier run's, which still holds
	// (see Incremental).
	Reused bool

	// coverAt, when set, is where coverage is read instead of Start: a
	// position and a byte offset in File.
	coverAt       Position
	coverAtOffset int

	// sites are where the mutant switches in the schema (see schema.go):
	// one, or for a mutant of a constant declaration the places its
	// change is felt; none when it cannot switch, and then fallback says
	// why. schemaID is its number in a run's schema, 0 when it is built
	// alone.
	sites    []*site
	fallback string
	schemaID int
	// In an incremental run (incremental.go): only, when set, are the
	// covering tests to run (by ID), the others having passed with the
	// mutant in the earlier run and being unchanged; prefer are the
	// tests to run first, the ones that killed it then.
	// earlier, with only, is the earlier verdict that stands unless the
	// tests run again find a stronger one (see combine).
	only    map[string]bool
	prefer  []string
	earlier *verdict
	// uses, when set, are where coverage is read instead of Start or
	// coverAt: the places a mutant of a constant declaration changes.
	// unused says it changes only exported constants the package does
	// not use: no test of the package covers it.
	uses   []usePoint
	unused bool
}

// A Test is one top-level test, example or fuzz target of a package.
type Test struct {
	ID      string // "importpath.TestName": unique across packages
	Name    string // TestName, as -test.run matches it
	Package string
	// File is the test file declaring it, relative to the report's root,
	// and Line the line of its declaration ("" and 0 when unknown).
	File string
	Line int
	// Hash fingerprints its code (see fingerprint.go): its function, the
	// package's other test code and its testdata.
	Hash string
	// Baseline is the test's duration in a run of its own, with coverage
	// probes, as the timeouts are derived from it.
	Baseline time.Duration
	// Failed says the test failed without any mutant: it is not used to
	// judge mutants.
	Failed bool
}

// Thresholds are the score bounds a report viewer colors by, in percent.
type Thresholds struct {
	High float64
	Low  float64
}

// Report is the result of a run (or of merged runs).
type Report struct {
	// Root is the directory file names are relative to (the main
	// module's), absolute.
	Root string
	// Dir, when set, is the working directory: the text summary names
	// files relative to it (../ included), as mutate --list does, so that
	// its diffs apply from there. Empty, it uses RelFile.
	Dir string
	// Sources holds the original content of every file with mutants,
	// keyed by RelFile.
	Sources map[string][]byte
	// Mutants are ordered by file, position, operator and ID.
	Mutants []*Mutant
	// Tests are ordered by ID.
	Tests      []*Test
	Thresholds Thresholds
	// Elapsed is the run's wall time.
	Elapsed time.Duration
	// Shard is the part of the mutants a --shard run tested (zero: not a
	// shard run), so that merge can tell a missing or repeated shard.
	Shard Shard
	// Key fingerprints the run's settings and Functions the mutated
	// packages' code, by function (see fingerprint.go), so that the
	// report can serve an incremental run.
	Key       string
	Functions map[string]string
	// TestSources holds the content of the test files, keyed as
	// Test.File.
	TestSources map[string][]byte
	// Stopped, when set, says why the run stopped before it tested every
	// mutant ("interrupted", "--max-time 20m0s ran out"): the summary
	// gives it as the reason its Pending mutants were not tested.
	Stopped string
}

// Score is the mutation score as Stryker defines it, and its report app
// computes it from the same JSON: the detected mutants (Killed, Timeout)
// in percent of the valid ones (detected, Survived, NoCoverage).
// CompileError and RuntimeError are left out as invalid, Ignored and
// Pending as not judged. A timeout counts as detected: a change that
// makes the tests hang would not pass CI. ok is false when there is
// nothing to score.
func Score(mutants []*Mutant) (score float64, ok bool) {
	var detected, valid int
	for _, m := range mutants {
		switch m.Status {
		case Killed, Timeout:
			detected++
			valid++
		case Survived, NoCoverage:
			valid++
		}
	}
	if valid == 0 {
		return 0, false
	}
	return 100 * float64(detected) / float64(valid), true
}

// MutantCoverage is the share, in percent, of the mutants that tests cover:
// the ones not NoCoverage, among those neither Ignored nor CompileError.
func MutantCoverage(mutants []*Mutant) (pct float64, ok bool) {
	var covered, total int
	for _, m := range mutants {
		switch m.Status {
		case Ignored, CompileError, Pending:
			continue
		case NoCoverage:
			total++
		default:
			covered++
			total++
		}
	}
	if total == 0 {
		return 0, false
	}
	return 100 * float64(covered) / float64(total), true
}
