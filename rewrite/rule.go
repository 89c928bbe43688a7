package rewrite

import (
	"errors"
	"fmt"
	"regexp"
)

// A Rule is one rewrite, described as a value so that a driver can list,
// select and run rules without knowing what they do.
type Rule struct {
	// Name identifies the rule in messages and reports: lower case letters,
	// digits and dashes.
	Name string

	// Doc is a one-line description.
	Doc string

	// NeedsTypes says the rule reads Pass.Pkg and Pass.TypesInfo. Type
	// checking is expensive, so rules that only look at syntax leave it false
	// and are run on files parsed one by one, without any package loading.
	NeedsTypes bool

	// Run inspects pass.Files and records edits through the pass. When Run
	// returns an error (or panics) none of its edits are applied.
	Run func(pass *Pass) error
}

var ruleName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// Validate reports whether r is complete enough to run.
func (r *Rule) Validate() error {
	switch {
	case r == nil:
		return errors.New("nil rule")
	case !ruleName.MatchString(r.Name):
		return fmt.Errorf("rule name %q: want lower case letters, digits and dashes", r.Name)
	case r.Run == nil:
		return fmt.Errorf("rule %s has no Run function", r.Name)
	}
	return nil
}

func anyNeedsTypes(rules []*Rule) bool {
	for _, r := range rules {
		if r.NeedsTypes {
			return true
		}
	}
	return false
}
