package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/swap"
	"github.com/spf13/cobra"
)

func (a *app) swapCommand() *cobra.Command {
	var o outputFlags
	var at string
	c := &cobra.Command{
		Use:   "swap OLD:NEW[,OLD:NEW...] [flags] [packages|files]",
		Short: "Replace operators where the result still type-checks",
		Long: `Swap replaces operators: binary (+ - * / % & | ^ &^ << >> && || == != < <= > >=),
unary (- + ! ^), assignment (+= -= ...) and increment/decrement (++ --).
':' separates the old operator from the new one, ',' the pairs; the pairs
apply at once ('+:*,*:+' exchanges + and *).

The rule loads types: a site is swapped only when the new operator is
defined on its operands and the package still type-checks with every swap
applied (+ on strings is never turned into *, | in a type constraint is not
an operator, a constant that would overflow or divide by zero is left alone).
Parentheses are added where precedence would regroup the expression.

Arguments are package patterns (./..., import paths), Go files, or
directories (the package in the directory). With none, standard input is
rewritten to standard output.`,
		Example: `  gorewrite swap '+:*' -d ./...
  gorewrite swap '<:<=' --at internal/calc/calc.go:42 -w
  gorewrite swap '&&:||,==:!=' --json ./pkg/...`,
		Args: minArgs(1, "operator pairs OLD:NEW"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pairs, err := swap.ParsePairs(strings.TrimSpace(args[0]))
			if err != nil {
				return usageError{err}
			}
			opts := swap.Options{Pairs: pairs}
			targets := args[1:]
			if at != "" {
				site, err := parseSite(a.dir, at, o.stdinFilename == "")
				if err != nil {
					return err
				}
				opts.At = &site
				opts.AtReport = new(swap.AtReport)
				if len(targets) == 0 && o.stdinFilename == "" {
					targets = []string{site.File}
				}
			}
			st, err := a.runRules(cmd.Context(), []*rewrite.Rule{swap.New(opts)}, targets, &o)
			if err == nil && opts.At != nil && st.edits == 0 {
				// Say which of the three ways to swap nothing this was:
				// each needs a different fix.
				site, pairs := rewrite.RelPath(a.dir, opts.At.String()), strings.TrimSpace(args[0])
				switch {
				case !opts.AtReport.File():
					fmt.Fprintf(a.stderr, "gorewrite: %s: the file is not in the packages named (%s)\n", rewrite.RelPath(a.dir, opts.At.File), strings.Join(targets, " "))
				case !opts.AtReport.Operator():
					fmt.Fprintf(a.stderr, "gorewrite: %s: no operator there to swap (%s)\n", site, pairs)
				default:
					fmt.Fprintf(a.stderr, "gorewrite: %s: no swap of the operator there (%s) would still type-check\n", site, pairs)
				}
				return errFailed
			}
			return err
		},
	}
	o.register(c)
	c.Flags().StringVar(&at, "at", "", "swap only at FILE:LINE[:COL] (the operator's line and column)")
	return c
}

// parseSite parses FILE:LINE[:COL]. With onDisk it checks the line against
// the file; otherwise the file's content is standard input, not read yet.
func parseSite(dir, s string, onDisk bool) (swap.Site, error) {
	parts := strings.Split(s, ":")
	var nums []int
	for len(parts) > 1 && len(nums) < 2 {
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		parts = parts[:len(parts)-1]
	}
	file := strings.Join(parts, ":")
	if len(nums) == 0 || file == "" || nums[0] <= 0 {
		return swap.Site{}, usagef("--at %q: want FILE:LINE or FILE:LINE:COL", s)
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	site := swap.Site{File: filepath.Clean(file), Line: nums[0]}
	if len(nums) == 2 {
		site.Col = nums[1]
	}
	if !onDisk {
		return site, nil
	}
	src, err := os.ReadFile(site.File)
	if err != nil {
		return swap.Site{}, usagef("--at %s: %v", s, err)
	}
	if lines := bytes.Count(src, []byte("\n")) + 1; site.Line > lines {
		return swap.Site{}, usagef("--at %s: the file has %d lines", s, lines)
	}
	return site, nil
}

// protectPairArg keeps a pair list that starts with '-' ('-:+', '--:++')
// from being read as flags: it gets a leading space, which ParsePairs
// ignores.
func protectPairArg(args []string) []string {
	if len(args) < 2 || args[0] != "swap" {
		return args
	}
	out := append([]string(nil), args...)
	for i := 1; i < len(out); i++ {
		if out[i] == "--" {
			break
		}
		if strings.HasPrefix(out[i], "-") {
			if _, err := swap.ParsePairs(out[i]); err == nil {
				out[i] = " " + out[i]
				break
			}
			continue
		}
		break // the first positional argument is the pair list
	}
	return out
}
