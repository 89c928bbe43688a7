// Package runnerlib runs a test binary's tests and exits, as goleak and
// testscript do: a module of its own, so it is not instrumented.
package runnerlib

import "os"

// TestingM is what Main takes for *testing.M.
type TestingM interface{ Run() int }

// Main runs the tests and exits with their code.
func Main(m TestingM) { os.Exit(m.Run()) }
