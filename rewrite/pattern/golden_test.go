package pattern_test

import (
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
)

// TestGolden runs the cases in testdata; each args line is a rule.
func TestGolden(t *testing.T) {
	golden.Run(t, func(args []string) ([]*rewrite.Rule, error) {
		var specs []*pattern.Spec
		for _, a := range args {
			s, err := pattern.Parse(a)
			if err != nil {
				return nil, err
			}
			specs = append(specs, s)
		}
		return []*rewrite.Rule{pattern.New(specs...)}, nil
	})
}
