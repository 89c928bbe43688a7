package cover

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Check type-checks the instrumented packages of plan (through the same
// overlay a build uses) and returns the errors that instrumentation caused:
// those the original packages do not have. Any such error is a bug in
// gorewrite; it names the file and line of the probe.
func Check(ctx context.Context, cfg Config, plan *Plan) ([]error, error) {
	var paths []string
	for _, p := range plan.Packages {
		paths = append(paths, p.ImportPath)
	}
	if len(paths) == 0 {
		return nil, nil
	}
	rt, err := sharedRuntimeDir()
	if err != nil {
		return nil, err
	}
	overlay, err := plan.overlayFiles(rt)
	if err != nil {
		return nil, err
	}
	instrumented, err := typeErrors(ctx, cfg, paths, overlay)
	if err != nil {
		return nil, err
	}
	if len(instrumented) == 0 {
		return nil, nil
	}
	original, err := typeErrors(ctx, cfg, paths, nil)
	if err != nil {
		return nil, err
	}
	if len(original) > 0 {
		// The package has errors of its own, which go test shows; what
		// the probes make of them (an undefined name in a wrapped
		// condition, say) is not a bug of gorewrite's.
		return nil, nil
	}
	known := map[string]bool{}
	for _, e := range original {
		known[e.key()] = true
	}
	positioned := false
	for _, e := range instrumented {
		if !known[e.key()] && e.pos.Line > 0 {
			positioned = true
		}
	}
	var out []error
	for _, e := range instrumented {
		if known[e.key()] || positioned && e.pos.Line == 0 {
			// The compiler's output, which go list passes on without a
			// position, repeats what the type checker said.
			continue
		}
		if e.pos.Filename == "" || e.pos.Filename == "-" {
			out = append(out, fmt.Errorf("instrumented code does not compile: %s", e.msg))
		} else {
			out = append(out, fmt.Errorf("%s: instrumented code does not compile: %s", e.pos, e.msg))
		}
	}
	return out, nil
}

type typeError struct {
	pos token.Position
	msg string
}

// key identifies an error by file, line and message: probes never move a
// line, but they do move columns.
func (e typeError) key() string {
	return fmt.Sprintf("%s:%d: %s", e.pos.Filename, e.pos.Line, e.msg)
}

func typeErrors(ctx context.Context, cfg Config, paths []string, overlay map[string][]byte) ([]typeError, error) {
	pcfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:        cfg.Dir,
		Env:        cfg.env(),
		BuildFlags: cfg.listFlags(),
		Overlay:    overlay,
		Tests:      true,
	}
	pkgs, err := packages.Load(pcfg, paths...)
	if err != nil {
		return nil, err
	}
	var out []typeError
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			te := typeError{pos: parsePosition(e.Pos), msg: e.Msg}
			if !seen[te.key()] {
				seen[te.key()] = true
				out = append(out, te)
			}
		}
	}
	return out, nil
}

// parsePosition reads "file:line:col" as go/packages gives positions.
func parsePosition(s string) token.Position {
	var p token.Position
	parts := strings.Split(s, ":")
	n := len(parts)
	if n >= 3 {
		fmt.Sscan(parts[n-2], &p.Line)
		fmt.Sscan(parts[n-1], &p.Column)
		p.Filename = strings.Join(parts[:n-2], ":")
	} else {
		p.Filename = s
	}
	return p
}

// boolOperands type-checks packages and returns, by file, the byte ranges
// of the operands of && and || whose type is bool itself (or untyped bool
// in a context that takes any boolean) and that are not constant: the
// operands a branch probe can wrap without changing the type of the
// expression. A package that does not type-check gives none.
func boolOperands(ctx context.Context, cfg Config, paths []string) (map[string]map[[2]int]bool, error) {
	out := map[string]map[[2]int]bool{}
	if len(paths) == 0 {
		return out, nil
	}
	pcfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:        cfg.Dir,
		Env:        cfg.env(),
		BuildFlags: cfg.listFlags(),
	}
	pkgs, err := packages.Load(pcfg, paths...)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 || p.TypesInfo == nil {
			continue
		}
		for _, f := range p.Syntax {
			if tf := p.Fset.File(f.Pos()); tf != nil {
				out[tf.Name()] = operandRanges(tf, f, p.TypesInfo)
			}
		}
	}
	return out, nil
}

// operandRanges lists the byte ranges of f's operands of && and || that a
// branch probe may wrap; see boolOperands.
func operandRanges(tf *token.File, f *ast.File, info *types.Info) map[[2]int]bool {
	ranges := map[[2]int]bool{}
	var leaves func(e *ast.BinaryExpr)
	leaves = func(e *ast.BinaryExpr) {
		for _, x := range []ast.Expr{e.X, e.Y} {
			if b, ok := ast.Unparen(x).(*ast.BinaryExpr); ok && (b.Op == token.LAND || b.Op == token.LOR) {
				leaves(b)
				continue
			}
			// An operand the checker left untyped is in a context that
			// takes any boolean (a condition).
			tv, ok := info.Types[x]
			if ok && tv.Value == nil && (types.Identical(tv.Type, types.Typ[types.Bool]) || types.Identical(tv.Type, types.Typ[types.UntypedBool])) {
				ranges[[2]int{tf.Offset(x.Pos()), tf.Offset(x.End())}] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok && (b.Op == token.LAND || b.Op == token.LOR) {
			leaves(b)
		}
		return true
	})
	return ranges
}
