package swap_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/swap"
)

// TestGolden runs the cases in testdata. The args are the pairs, then
// optionally "at LINE[:COL]" (in in.go).
func TestGolden(t *testing.T) {
	golden.Run(t, func(args []string) ([]*rewrite.Rule, error) {
		if len(args) == 0 {
			return nil, fmt.Errorf("no pairs")
		}
		pairs, err := swap.ParsePairs(args[0])
		if err != nil {
			return nil, err
		}
		opts := swap.Options{Pairs: pairs}
		for _, a := range args[1:] {
			at, ok := strings.CutPrefix(a, "at ")
			if !ok {
				return nil, fmt.Errorf("unknown argument %q", a)
			}
			line, col, _ := strings.Cut(at, ":")
			site := swap.Site{File: "in.go"}
			site.Line, _ = strconv.Atoi(line)
			site.Col, _ = strconv.Atoi(col)
			opts.At = &site
		}
		return []*rewrite.Rule{swap.New(opts)}, nil
	})
}
