package pattern

import (
	"go/ast"
	"go/types"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Name and Doc describe the rule family.
const (
	Name = "pattern"
	Doc  = "rewrite code matching a pattern, like gofmt -r, with statements, several rules and typed wildcards"
)

// New returns the rule applying specs. The specs apply in order, each to
// the result of the ones before, as if gofmt -r ran once per spec. The rule
// needs types only when a spec has typed wildcards.
func New(specs ...*Spec) *rewrite.Rule {
	needs := false
	for _, s := range specs {
		needs = needs || s.NeedsTypes()
	}
	return &rewrite.Rule{
		Name:       Name,
		Doc:        Doc,
		NeedsTypes: needs,
		Run: func(pass *rewrite.Pass) error {
			return run(pass, specs)
		},
	}
}

func run(pass *rewrite.Pass, specs []*Spec) error {
	var env *typeEnv
	if pass.TypesInfo != nil {
		env = &typeEnv{
			info:     pass.TypesInfo,
			pkg:      pass.Pkg,
			fresh:    make(map[ast.Expr]types.Type),
			resolved: make(map[*wildcard]types.Type),
			missing:  make(map[*wildcard]bool),
		}
	}
	for _, f := range pass.Files {
		var root ast.Node = f
		var quals []qualIdent
		var matches []match
		for i, s := range specs {
			e := env
			if !s.NeedsTypes() {
				e = nil
			}
			r := newRewriter(s, e)
			root = r.node(root)
			quals = append(quals, r.quals...)
			for _, x := range r.matches {
				matches = append(matches, match{x, i})
			}
		}
		if root == ast.Node(f) {
			continue
		}
		addImports(pass, f, root, quals)
		edits, err := pass.NodeEdits(f, root)
		if err != nil {
			return err
		}
		pass.Apply(perMatch(pass.Source(f), pass.Fset.File(f.FileStart), edits, matches, specs)...)
	}
	return nil
}

// addImports imports the packages whose names the replacements introduced
// and that are still in the result, renaming the qualifiers when the file
// knows the package by another name.
func addImports(pass *rewrite.Pass, f *ast.File, root ast.Node, quals []qualIdent) {
	if len(quals) == 0 {
		return
	}
	live := make(map[*ast.Ident]bool)
	ast.Inspect(root, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			live[id] = true
		}
		return true
	})
	for _, q := range quals {
		if !live[q.id] {
			continue
		}
		if name := pass.AddImport(f, q.path, q.at); name != "" {
			q.id.Name = name
		}
	}
}
