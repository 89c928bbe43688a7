package record

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/trace"
)

// Instrumenter hands out the per-package injectors of one plan.
type Instrumenter struct {
	// Selection chooses the functions, as for gorewrite trace.
	trace.Selection

	mu    sync.Mutex
	funcs map[string]bool
}

// Funcs returns the number of functions that got hooks (a package built
// for its own tests and for others' counts once).
func (in *Instrumenter) Funcs() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.funcs)
}

// Injector returns the injector of pkg (cover.Options.Inject).
func (in *Instrumenter) Injector(pkg *cover.Package) cover.Injector {
	return &pkgInjector{in: in, pkg: pkg}
}

type pkgInjector struct {
	in  *Instrumenter
	pkg *cover.Package
}

func (p *pkgInjector) Added(pkgName, rt, rtPath string) []byte { return nil }

// Inject adds the recorder's hooks to the selected functions of a non-test
// file: those with results (a call without any has nothing a test could
// compare), not generic (a recorded call's type arguments are not known
// to the test, whose are stub's choice).
func (p *pkgInjector) Inject(f *cover.InjectFile) []cover.Edit {
	if f.Test {
		return nil
	}
	tf := f.Fset.File(f.File.Pos())
	off := func(pos token.Pos) int { return tf.Offset(pos) }
	rec := f.Runtime + "Rec"
	var edits []cover.Edit
	var hooked []string
	for _, d := range f.File.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || fn.Type.Results == nil || len(fn.Type.Results.List) == 0 || fn.Type.TypeParams != nil {
			continue
		}
		if _, ok := p.in.Keeps(p.pkg.ImportPath, f.File, fn); !ok {
			continue
		}
		name := fn.Name.Name
		kind := "NoRecv"
		var ptrs []string
		// named returns the field's names, naming what has none (or is
		// blank) with fresh names on the field's line.
		named := func(field *ast.Field, fresh string) []string {
			if len(field.Names) == 0 {
				edits = append(edits, cover.Edit{Start: off(field.Type.Pos()), End: off(field.Type.Pos()), Text: fresh + " "})
				return []string{fresh}
			}
			var names []string
			for i, id := range field.Names {
				if id.Name == "_" {
					nm := fmt.Sprintf("%s%d", fresh, i)
					edits = append(edits, cover.Edit{Start: off(id.Pos()), End: off(id.End()), Text: nm})
					names = append(names, nm)
					continue
				}
				names = append(names, id.Name)
			}
			return names
		}
		if fn.Recv != nil && len(fn.Recv.List) == 1 {
			star, recv, generic := trace.RecvType(fn.Recv.List[0].Type)
			if generic {
				continue
			}
			name = recv + "." + name
			kind = "ValueRecv"
			if star {
				kind = "PointerRecv"
			}
			ptrs = append(ptrs, "&"+named(fn.Recv.List[0], f.Runtime+"Recv")[0])
		}
		for i, field := range fn.Type.Params.List {
			for _, nm := range named(field, fmt.Sprintf("%sP%d_", f.Runtime, i)) {
				ptrs = append(ptrs, "&"+nm)
			}
		}
		res := fn.Type.Results
		var outs []string
		for i, field := range res.List {
			if len(field.Names) == 0 && res.Opening == token.NoPos {
				// One unnamed result without parentheses: "int" becomes
				// "(R int)".
				nm := fmt.Sprintf("%sR%d", f.Runtime, i)
				edits = append(edits, cover.Edit{Start: off(field.Type.Pos()), End: off(field.Type.Pos()), Text: "(" + nm + " "},
					cover.Edit{Start: off(field.Type.End()), End: off(field.Type.End()), Text: ")"})
				outs = append(outs, "&"+nm)
				continue
			}
			for _, nm := range named(field, fmt.Sprintf("%sR%d_", f.Runtime, i)) {
				outs = append(outs, "&"+nm)
			}
		}
		outcomes := "nil"
		if f.Branches != "" {
			outcomes = f.Branches + "[:]"
		}
		args := append([]string{fmt.Sprintf("%q", name), fmt.Sprintf("%q", p.pkg.ImportPath), rec + "." + kind, outcomes}, ptrs...)
		at := off(fn.Body.Lbrace) + 1
		edits = append(edits, cover.Edit{Start: at, End: at, Text: fmt.Sprintf("defer %s.Out(%s.In(%s), %s);", rec, rec, strings.Join(args, ", "), strings.Join(outs, ", "))})
		hooked = append(hooked, p.pkg.ImportPath+"."+name)
	}
	if len(hooked) == 0 {
		return nil
	}
	f.OwnImports = true
	at := off(f.File.Name.End())
	edits = append(edits, cover.Edit{Start: at, End: at, Text: fmt.Sprintf("; import %s %q", rec, f.RuntimePath+"/"+cover.LiteralPackage)})
	p.in.mu.Lock()
	if p.in.funcs == nil {
		p.in.funcs = map[string]bool{}
	}
	for _, h := range hooked {
		p.in.funcs[h] = true
	}
	p.in.mu.Unlock()
	return edits
}
