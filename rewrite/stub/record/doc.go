// Package record records the calls a package's tests make, for gorewrite
// stub --record, which writes them as rows of the functions' test tables
// (characterization tests: they pin down what the code does today).
//
//   - inject.go: the hooks, added through the cover engine's overlay (the
//     user's files are not written): on the opening brace line of each
//     function with results, a deferred call of the recorder
//     (coverrt/literal) that writes the receiver and arguments as Go
//     literals at entry and the results at exit. Unnamed parameters and
//     results get names on their own line, so no line moves.
//   - run.go: go test runs twice with the hooks, each process writing a
//     log of JSON lines.
//   - calls.go: the logs read back: calls of each function, deduplicated,
//     with the calls whose results differ for the same inputs (within a
//     run or between the two) dropped and reported as unstable.
package record
