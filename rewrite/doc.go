// Package rewrite is the engine behind gorewrite: it loads Go source, runs
// rewrite rules over the syntax trees and turns what the rules ask for into
// minimal, gofmt-clean changes to the original bytes.
//
// # The model
//
// A [Rule] is a value, in the spirit of golang.org/x/tools/go/analysis: a
// name, a one-line doc, whether it needs type information, and a Run
// function. The engine hands each run a [Pass] holding everything the rule
// may look at (the file set, the syntax of the files it may change, and the
// type information when the rule asked for it) and the only ways a rule may
// change anything: [Pass.Replace], [Pass.ReplaceNode], [Pass.Delete],
// [Pass.Insert] and [Pass.AddImport]. Rules never read or write files.
//
// Every change is an [Edit], a byte range of the original source and the
// text that replaces it, like analysis.TextEdit. The engine sorts the edits
// of a file, rejects overlapping ones (naming both), applies them, fixes the
// imports (adding those a rule asked for, removing those its edits left
// unused) and runs go/format. Bytes outside the edits are untouched:
// swapping one operator is a one-line diff and no comment moves.
//
// [Pass.ReplaceNode] lets a rule build the new code as syntax. The engine
// compares the new tree with the old one and edits only what differs:
// subtrees taken from the original keep their source text (and their
// comments), operators are replaced in place, and parentheses are added
// where the new tree would otherwise parse differently.
//
// # Running rules
//
// [Run] loads the files or packages named by command-line style arguments
// (package patterns such as ./... or std, Go files, directories), runs the
// rules and delivers one [FileResult] per changed or failing file, in a
// deterministic order, to a callback. Rules that need no types are run on
// files parsed one by one, so directories work outside any module, the way
// gofmt reads them; rules that need types are run per package, loaded with
// golang.org/x/tools/go/packages.
//
// Output helpers ([UnifiedDiff], [WriteFile]) implement the gofmt-style
// output modes on top of those results.
package rewrite
