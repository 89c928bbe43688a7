package cmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
	"github.com/spf13/cobra"
)

func (a *app) rewriteCommand() *cobra.Command {
	var o outputFlags
	var exprs, files []string
	c := &cobra.Command{
		Use:   "rewrite -e 'PATTERN -> REPLACEMENT' [-e ...] [-f RULES] [flags] [packages|files]",
		Short: "Rewrite code matching patterns, like gofmt -r",
		Long: `Rewrite applies pattern rules with the semantics of gofmt -r: both sides are Go
expressions, single lower-case letters are wildcards, a wildcard used twice
must match equal expressions, and rewriting goes bottom-up. Beyond gofmt -r:

  statements     x := f(); if x != nil { return x } -> ...  (';' separates
                 statements; a wildcard written as a statement matches any)
  several rules  -e and -f repeat; rules apply in order, each to the result
                 of the ones before
  typed wildcards
                 [a, b int] a + b -> a * b   matches only int operands.
                 Declarations in brackets before the rule: NAMES TYPE,
                 NAMES ~TYPE (underlying type), NAMES any; with them, only
                 declared names are wildcards. TYPE is a Go type; qualify
                 names by package path: time.Duration, net/http.Header.
  imports        [import "io"; r any] ioutil.ReadAll(r) -> io.ReadAll(r)
                 adds the import where needed and drops imports the rewrite
                 left unused (standard packages like strings need no
                 declaration).

A rules file (-f) holds one rule per line; blank lines and lines starting
with # are ignored.

Rules without typed wildcards need no type information: files and
directories (walked recursively, as gofmt does) work outside any module.
With typed wildcards, packages are loaded with types.`,
		Example: `  gorewrite rewrite -e 'a + b -> a * b' -l .
  gorewrite rewrite -e 'bytes.Compare(a, b) == 0 -> bytes.Equal(a, b)' -d ./...
  gorewrite rewrite -e '[s string] len(s) == 0 -> s == ""' -w ./...
  gorewrite rewrite -f rules.txt -w ./...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var specs []*pattern.Spec
			for _, e := range exprs {
				s, err := pattern.Parse(e)
				if err != nil {
					return usageError{err}
				}
				specs = append(specs, s)
			}
			for _, f := range files {
				path := f
				if !filepath.IsAbs(path) {
					path = filepath.Join(a.dir, path)
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return usageError{err}
				}
				ss, err := pattern.ParseFile(f, data)
				if err != nil {
					return usageError{err}
				}
				specs = append(specs, ss...)
			}
			if len(specs) == 0 {
				return usagef("rewrite: no rules: give -e 'PATTERN -> REPLACEMENT' or -f FILE")
			}
			_, err := a.runRules(cmd.Context(), []*rewrite.Rule{pattern.New(specs...)}, args, &o)
			if cmd.Context().Err() != nil {
				return err
			}
			// A type no package knows is a mistake in the rule (a
			// misspelling, a wrong import path): a usage error, so that a
			// CI check running the rule does not pass because it matched
			// nothing. Types are only known once packages are loaded, so
			// this comes after the run.
			unknown := false
			for _, s := range specs {
				for _, t := range s.UnresolvedTypes() {
					fmt.Fprintf(a.stderr, "gorewrite: rule %q: unknown type %s: no package here knows it\n", s.Text, t)
					unknown = true
				}
			}
			if unknown {
				return exitCode(ExitUsage)
			}
			return err
		},
	}
	o.register(c)
	c.Flags().StringArrayVarP(&exprs, "expr", "e", nil, "a rule 'PATTERN -> REPLACEMENT' (repeatable)")
	c.Flags().StringArrayVarP(&files, "file", "f", nil, "a file of rules, one per line (repeatable)")
	return c
}
