// Package stub writes table-driven test skeletons from function
// signatures: gorewrite stub.
//
// The pieces, in the order a run uses them:
//
//   - collect.go: a typed rewrite.Rule that makes no edits and hands over
//     each package's files and types; the engine delivers the package with
//     its internal tests and its external test package separately, and a
//     test's name must be checked against both, so generation waits until
//     every variant of a package has come through.
//   - target.go: the functions and methods to test, their test names
//     (TestFoo, Test_foo, TestT_Method, Test_t_Method) and the selection
//     flags.
//   - gen.go, types.go: what each test needs (a spec): the instantiated
//     signature of a generic function, the receiver and its constructor,
//     what each parameter becomes (a table field, t.Context(), a buffer
//     for an io.Writer, a fresh value for a type holding a lock, which go
//     vet forbids copying), and whether every type can be written in the
//     test file (exported, importable, declared at package level).
//   - plan.go: which file each test goes into (x_test.go beside x.go;
//     x_internal_test.go when x_test.go is in package p_test and the test
//     needs unexported names; x_stubs_test.go when x_test.go lacks x.go's
//     build constraints or checks positions in itself), names that clash,
//     tests that exist, packages where stubs would turn the suite red, and
//     the text, appended through a syntax-only rule run by the engine,
//     which adds the imports and formats only the new code: an existing
//     file's bytes are kept.
//   - constraint.go: build constraints (//go:build, file name suffixes,
//     cgo), the header a new test file copies, and a file's Go version.
//   - render.go, templates.go: the specs as text/template data (TestData,
//     FuzzData) and the built-in templates, default and testify.
//   - recorded.go: gorewrite stub --record's rows (Options.Recorded, the
//     calls package record read back): which calls, as which literals, in
//     which table (a new test, a gorewrite table that lacks them, or
//     TestFoo_recorded beside a test a person wrote).
//
// Choices a user sees:
//
//   - Type parameters are instantiated with the first type that satisfies
//     the constraint, tried in this order: the constraint's union terms
//     (without ~), int, string, float64, bool, []byte, then the package's
//     own named types and pointers to them.
//   - Variables of the generated code (t, tt, tests, got...) get a number
//     when the code under test has a package-level name they would shadow.
//   - Results holding a lock are not compared (they are assigned to _).
//   - A function whose test cannot be written (no type arguments satisfy
//     its constraints, say) is skipped and reported.
package stub
