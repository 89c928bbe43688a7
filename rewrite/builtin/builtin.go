// Package builtin is the registry of gorewrite's built-in rules: what each
// is, how to call it, and how to build it from its command-line form.
package builtin

import (
	"github.com/gorewrite/gorewrite/rewrite/pattern"
	"github.com/gorewrite/gorewrite/rewrite/swap"
)

// Info describes a built-in rule.
type Info struct {
	Name    string `json:"name"`
	Doc     string `json:"doc"`
	Command string `json:"command"` // the gorewrite command that runs it
	Usage   string `json:"usage"`
	Types   string `json:"types"` // when the rule loads type information
	Example string `json:"example"`
}

// Rules lists the built-in rules, by name.
func Rules() []Info {
	return []Info{
		{
			Name:    pattern.Name,
			Doc:     pattern.Doc,
			Command: "rewrite",
			Usage:   "gorewrite rewrite -e 'PATTERN -> REPLACEMENT' [-e ...] [-f RULES] [packages|files]",
			Types:   "only with typed wildcards ([x T] ...)",
			Example: "gorewrite rewrite -e 'bytes.Compare(a, b) == 0 -> bytes.Equal(a, b)' -d ./...",
		},
		{
			Name:    swap.Name,
			Doc:     swap.Doc,
			Command: "swap",
			Usage:   "gorewrite swap OLD:NEW[,OLD:NEW...] [--at FILE:LINE[:COL]] [packages|files]",
			Types:   "always",
			Example: "gorewrite swap '<:<=' --at main.go:12 -d",
		},
	}
}
