// Package mutate is gorewrite's mutation testing: it enumerates small
// changes to a package's code (mutants) with a catalogue of operators,
// keeps the ones that type-check, runs the tests that cover each one
// against it, and reports which changes the tests did not notice.
//
// The pieces, in the order a run uses them:
//
//   - operators.go: the catalogue; each operator has a stable name.
//   - enumerate.go: a typed rewrite.Rule that finds the sites in a package,
//     type-checks every mutant alone, and gives each a stable ID.
//   - ignore.go, scope.go: //gorewrite:ignore directives, --diff and --shard.
//   - run.go: per-test coverage and timings from one instrumented test
//     binary per package, then each mutant built through go test -overlay
//     and its covering tests run, fastest first, in parallel workers. The
//     user's files are never written.
//   - report*.go: the text summary, Stryker's mutation-testing-report-schema
//     JSON (and merging shards of it), a self-contained HTML page, and
//     GitHub annotations.
package mutate
