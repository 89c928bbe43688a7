// Package mutate is gorewrite's mutation testing: it enumerates small
// changes to a package's code (mutants) with a catalogue of operators,
// keeps the ones that type-check, runs the tests that cover each one
// against it, and reports which changes the tests did not notice.
//
// The pieces, in the order a run uses them:
//
//   - operators.go: the catalogue; each operator has a stable name.
//   - enumerate.go: a typed rewrite.Rule that finds the sites in a package
//     and type-checks every mutant alone.
//   - ignore.go, scope.go: //gorewrite:ignore directives; stable IDs,
//     --since and --shard.
//   - schema.go: mutant schemata. Each mutation site of a package is
//     rewritten to switch, on the active mutant's number, between the
//     original code and its mutants, keeping Go's evaluation order and
//     short-circuits; the sites are type-checked together during
//     enumeration, and what cannot switch (constants that must stay constant,
//     what does not type-check) is left to be built alone.
//   - testbinaries.go: which test binaries test which mutants: every
//     package of the module whose tests link a mutated package (or only
//     the mutated packages' own, with OwnTests).
//   - coverage.go: per-test coverage and timings, from those test
//     binaries, instrumented in the mutated packages, whose tests run one
//     at a time. With schemata, the same binaries hold the mutated
//     packages' switched mutants (schemarun.go renders the switches
//     around the probes).
//   - fingerprint.go, incremental.go: hashes of the code a verdict
//     depends on, and the reuse of an earlier run's verdicts that still
//     hold (--incremental).
//   - run.go: each mutant switched on in those binaries (or, with the overlay
//     strategy and for what the schema left out, built through go test
//     -overlay) and its covering tests run, the fastest alone first, in
//     parallel workers; kills are checked against the unmutated code.
//     testrun.go runs a test binary and reads its output.
//   - verdict.go: the rules that decide a status from what the tests did
//     (first limit, confirming run with the ceiling, reproduced kill,
//     flaky test, build failure), apart from the running of processes.
//   - sandbox.go: the copy of the module tests run in, so that a mutant
//     writing files cannot reach the user's; relocate.go makes test
//     binaries name the copy's files, so tests see one tree.
//   - report*.go: the text summary, Stryker's mutation-testing-report-schema
//     JSON (and merging shards of it), a self-contained HTML page, and
//     GitHub annotations.
package mutate
