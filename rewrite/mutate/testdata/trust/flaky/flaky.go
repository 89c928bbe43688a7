// Package flaky has a test that fails once with a mutant and passes when
// run again with it: the failure was not the mutant's doing, so the
// mutant is Survived and the test is named as flaky.
package flaky

// Tag is the package's tag.
func Tag() string {
	return "a"
}
