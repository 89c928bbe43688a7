// Package other links nothing the mutants change: its tests are not built.
package other

// Name names the package.
func Name() string { return "other" }
