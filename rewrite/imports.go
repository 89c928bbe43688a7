package rewrite

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// AddImport makes the package with the given import path usable in file f
// at position at, and returns the name that code inserted there must use to
// refer to it. An existing import is reused when its name is not shadowed at
// at; otherwise an import is added, with an alias when the package's name is
// taken (by a declaration, another import or a predeclared identifier) or
// cannot be known for sure from the path.
func (p *Pass) AddImport(f *ast.File, path string, at token.Pos) string {
	fs := p.unit.byFile[p.Fset.File(f.FileStart)]
	if fs == nil {
		p.fail("AddImport: file %s is not one of the files of this pass", p.Fset.Position(f.FileStart).Filename)
		return ""
	}
	if fs.names == nil {
		fs.names = make(map[string]string)
	}
	if name, ok := fs.names[path]; ok && p.nameRefersTo(fs, name, path, at) {
		return name
	}
	realName, certain := p.packageName(path)
	for _, spec := range fs.syntax.Imports {
		if importPath(spec) != path {
			continue
		}
		name := realName
		if spec.Name != nil {
			name = spec.Name.Name
		} else if !certain {
			continue // cannot tell the name it goes by
		}
		if name != "_" && name != "." && !p.reserved[name] && p.nameRefersTo(fs, name, path, at) {
			fs.names[path] = name
			return name
		}
	}
	name := realName
	for k := 2; !p.nameFree(fs, name, at); k++ {
		name = realName + strconv.Itoa(k)
	}
	// An alias where the name is not the path's last element, as goimports
	// writes it, so that a reader need not know the package's name.
	alias := name
	if name == realName && certain && GuessPackageName(path) == realName {
		alias = ""
	}
	fs.names[path] = name
	p.imports = append(p.imports, pendingImport{fs: fs, path: path, name: alias})
	return name
}

// AddPackageImport is AddImport for a package whose name the rule knows
// from type information the pass does not have (a syntax-only pass adding
// an import of a module's package, whose name the path may not tell).
func (p *Pass) AddPackageImport(f *ast.File, pkg *types.Package, at token.Pos) string {
	if p.known == nil {
		p.known = make(map[string]string)
	}
	p.known[pkg.Path()] = pkg.Name()
	return p.AddImport(f, pkg.Path(), at)
}

// Reserve tells AddImport that names are taken in the files of this pass
// although the pass cannot see them: a syntax-only pass over one file of a
// package does not know what the package's other files declare at package
// level, which an import of the same name would clash with.
func (p *Pass) Reserve(names ...string) {
	if p.reserved == nil {
		p.reserved = make(map[string]bool)
	}
	for _, n := range names {
		p.reserved[n] = true
	}
}

// packageName returns the name of the package at path and whether it is
// known (from type information or because the path is a standard library
// one) rather than guessed.
func (p *Pass) packageName(path string) (string, bool) {
	if name, ok := p.known[path]; ok {
		return name, true
	}
	if p.Pkg != nil {
		for _, imp := range p.Pkg.Imports() {
			if imp.Path() == path {
				return imp.Name(), true
			}
		}
	}
	first, _, _ := strings.Cut(path, "/")
	std := !strings.Contains(first, ".")
	return GuessPackageName(path), std
}

var majorSuffix = regexp.MustCompile(`^v[0-9]+$`)

// GuessPackageName guesses a package's name from its import path the way
// most packages are named: the last element, without a /vN or .vN version
// suffix or a go- prefix, cut at the first character that cannot be in an
// identifier. It is exact for the standard library.
func GuessPackageName(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if majorSuffix.MatchString(last) && len(elems) > 1 {
		last = elems[len(elems)-2]
	}
	if i := strings.Index(last, ".v"); i > 0 {
		last = last[:i]
	}
	last = strings.TrimPrefix(last, "go-")
	end := strings.IndexFunc(last, func(r rune) bool {
		return !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r > 127)
	})
	if end >= 0 {
		last = last[:end]
	}
	if last == "" || '0' <= last[0] && last[0] <= '9' {
		last = "pkg" + last
	}
	return last
}

// nameRefersTo reports whether name, used at pos, would refer to the
// package imported from path.
func (p *Pass) nameRefersTo(fs *fileState, name, path string, at token.Pos) bool {
	if p.Pkg != nil && at.IsValid() {
		if scope := p.Pkg.Scope().Innermost(at); scope != nil {
			_, obj := scope.LookupParent(name, at)
			pn, ok := obj.(*types.PkgName)
			return obj == nil || ok && pn.Imported().Path() == path
		}
	}
	return !fs.declaresName(name)
}

// nameFree reports whether a new import may be named name in fs.
func (p *Pass) nameFree(fs *fileState, name string, at token.Pos) bool {
	if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || name == "C" || p.reserved[name] {
		return false
	}
	for _, spec := range fs.syntax.Imports {
		if localName(spec) == name {
			return false
		}
	}
	for _, n := range fs.names {
		if n == name {
			return false
		}
	}
	if p.Pkg != nil {
		if p.Pkg.Scope().Lookup(name) != nil {
			return false
		}
		if scope := p.Pkg.Scope().Innermost(at); at.IsValid() && scope != nil {
			if _, obj := scope.LookupParent(name, at); obj != nil {
				return false
			}
		}
	}
	return !fs.declaresName(name)
}

// declaresName reports whether name is declared anywhere in the file: a
// conservative stand-in for scope information in syntax-only passes.
// Struct fields and interface methods do not count: they are reached
// through a selector, and hide nothing.
func (fs *fileState) declaresName(name string) bool {
	found := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.ImportSpec:
			return false
		case *ast.StructType, *ast.InterfaceType:
			var fields *ast.FieldList
			if st, ok := n.(*ast.StructType); ok {
				fields = st.Fields
			} else {
				fields = n.(*ast.InterfaceType).Methods
			}
			for _, f := range fields.List {
				ast.Inspect(f.Type, visit)
			}
			return false
		case *ast.FuncDecl:
			found = n.Recv == nil && n.Name.Name == name
		case *ast.ValueSpec:
			found = slices.ContainsFunc(n.Names, func(id *ast.Ident) bool { return id.Name == name })
		case *ast.TypeSpec:
			found = n.Name.Name == name
		case *ast.Field:
			found = slices.ContainsFunc(n.Names, func(id *ast.Ident) bool { return id.Name == name })
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				found = slices.ContainsFunc(n.Lhs, func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name })
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && id.Name == name {
						found = true
					}
				}
			}
		}
		return !found
	}
	ast.Inspect(fs.syntax, visit)
	return found
}

func importPath(spec *ast.ImportSpec) string {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return ""
	}
	return path
}

func localName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	return GuessPackageName(importPath(spec))
}

// qualifiers returns the identifiers used as X in selector expressions X.Sel:
// the names an import may be used through.
func qualifiers(f *ast.File) map[string]bool {
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// importEdits computes the edits to raw (the source with the rules' edits
// applied) that add the imports the rules asked for and remove the imports
// their edits left unused. An import counts as used while some selector
// x.Sel names it, so an import is removed only when nothing can refer to it
// any more, and only if the original file used it.
func importEdits(fs *fileState, raw []byte) ([]textEdit, error) {
	if len(fs.imports) == 0 && !editsMayDropImports(fs) {
		return nil, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, fs.name, raw, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	tf := fset.File(f.FileStart)
	off := func(pos token.Pos) int { return tf.Offset(pos) }

	var edits []textEdit
	usedBefore, usedAfter := qualifiers(fs.syntax), qualifiers(f)
	removed := make(map[*ast.ImportSpec]bool)
	for _, spec := range f.Imports {
		name := localName(spec)
		if name == "_" || name == "." || importPath(spec) == "C" {
			continue
		}
		if usedBefore[name] && !usedAfter[name] && fs.hadImport(spec) {
			removed[spec] = true
		}
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		all := true
		for _, s := range gd.Specs {
			all = all && removed[s.(*ast.ImportSpec)]
		}
		if all && len(gd.Specs) > 0 {
			end := gd.End()
			if last := gd.Specs[len(gd.Specs)-1].(*ast.ImportSpec); !gd.Rparen.IsValid() && last.Comment != nil {
				end = last.Comment.End() // import "x" // why: the comment goes too
			}
			start, e := wholeLines(raw, off(gd.Pos()), off(end))
			edits = append(edits, textEdit{start: start, end: e, rule: "imports"})
			continue
		}
		if keep, ok := collapsible(gd, removed, raw, off); ok && len(fs.imports) == 0 {
			// The declaration was one import before one was added (see
			// addImportEdit): it goes back to being one.
			edits = append(edits, textEdit{start: off(gd.Pos()), end: off(gd.End()), text: "import " + keep, rule: "imports"})
			continue
		}
		for _, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			if !removed[spec] {
				continue
			}
			end := spec.End()
			if spec.Comment != nil {
				end = spec.Comment.End()
			}
			start, e := wholeLines(raw, off(spec.Pos()), off(end))
			if e == off(end) {
				// Not alone on its line, as in import ("a"; "b"): take the
				// separator too.
				for e < len(raw) && (raw[e] == ' ' || raw[e] == '\t') {
					e++
				}
				if e < len(raw) && raw[e] == ';' {
					e++
				} else {
					e = off(end)
				}
			}
			edits = append(edits, textEdit{start: start, end: e, rule: "imports"})
		}
	}

	var specs []string
	seen := make(map[string]bool)
	for _, imp := range fs.imports {
		key := imp.name + " " + imp.path
		if seen[key] {
			continue
		}
		seen[key] = true
		present := false
		for _, spec := range f.Imports {
			if importPath(spec) == imp.path && !removed[spec] && (imp.name == "" && spec.Name == nil || spec.Name != nil && spec.Name.Name == imp.name) {
				present = true
			}
		}
		if present {
			continue
		}
		spec := strconv.Quote(imp.path)
		if imp.name != "" {
			spec = imp.name + " " + spec
		}
		specs = append(specs, spec)
	}
	if len(specs) > 0 {
		edits = append(edits, addImportEdits(f, raw, off, specs, removed)...)
	}
	return edits, nil
}

// collapsible reports whether removing the removed specs of gd leaves
// one, in a declaration written exactly as addImportEdit writes the one it
// makes from an unparenthesized import and the added ones, in two groups
// (standard library, others); it returns the spec that stays.
func collapsible(gd *ast.GenDecl, removed map[*ast.ImportSpec]bool, raw []byte, off func(token.Pos) int) (string, bool) {
	if !gd.Lparen.IsValid() {
		return "", false
	}
	text := func(s *ast.ImportSpec) string { return string(raw[off(s.Pos()):off(s.End())]) }
	var keep string
	var gone []string
	for _, sp := range gd.Specs {
		spec := sp.(*ast.ImportSpec)
		switch {
		case spec.Doc != nil || spec.Comment != nil:
			return "", false
		case removed[spec]:
			gone = append(gone, text(spec))
		case keep != "":
			return "", false
		default:
			keep = text(spec)
		}
	}
	if keep == "" || len(gone) == 0 {
		return "", false
	}
	groups := groupSpecs(append([]string{keep}, gone...))
	if !strings.Contains(groups, "\n\n") {
		// One group: as likely written so by hand.
		return "", false
	}
	made := "package p\n\nimport (\n\t" + groups + "\n)\n"
	want, err1 := format.Source([]byte(made))
	got, err2 := format.Source([]byte("package p\n\n" + string(raw[off(gd.Pos()):off(gd.End())]) + "\n"))
	return keep, err1 == nil && err2 == nil && bytes.Equal(want, got)
}

// addImportEdits inserts import specs as addImportEdit does, except that
// in a parenthesized declaration whose imports are grouped, standard
// library first, the others go into the first group of others, as
// goimports groups them.
func addImportEdits(f *ast.File, raw []byte, off func(token.Pos) int, specs []string, removed map[*ast.ImportSpec]bool) []textEdit {
	var std, other []string
	for _, s := range specs {
		path := s[strings.IndexByte(s, '"'):]
		if p, err := strconv.Unquote(path); err == nil && !isStdPath(p) {
			other = append(other, s)
		} else {
			std = append(std, s)
		}
	}
	if len(other) > 0 {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT || !gd.Lparen.IsValid() {
				continue
			}
			// Standard library first, then the others: the grouping
			// goimports makes, and the only one this follows.
			var firstOther *ast.ImportSpec
			stdFirst := false
			for _, sp := range gd.Specs {
				is := sp.(*ast.ImportSpec)
				if removed[is] {
					continue
				}
				std := isStdPath(importPath(is))
				if firstOther == nil && !std {
					firstOther = is
				} else if firstOther == nil && std {
					stdFirst = true
				}
			}
			if firstOther == nil && stdFirst {
				// Standard library only: the others make a group of their
				// own after it.
				var last *ast.ImportSpec
				for _, sp := range gd.Specs {
					if !removed[sp.(*ast.ImportSpec)] {
						last = sp.(*ast.ImportSpec)
					}
				}
				end := last.End()
				if last.Comment != nil {
					end = last.Comment.End()
				}
				edits := []textEdit{{start: off(end), end: off(end), text: "\n\n\t" + strings.Join(other, "\n\t"), rule: "imports"}}
				if len(std) > 0 {
					edits = append(edits, addImportEdit(f, raw, off, std, removed))
				}
				return edits
			}
			if firstOther == nil || !stdFirst {
				break
			}
			at := firstOther.Pos()
			if firstOther.Doc != nil {
				at = firstOther.Doc.Pos()
			}
			edits := []textEdit{{start: off(at), end: off(at), text: strings.Join(other, "\n\t") + "\n\t", rule: "imports"}}
			if len(std) > 0 {
				edits = append(edits, addImportEdit(f, raw, off, std, removed))
			}
			return edits
		}
	}
	return []textEdit{addImportEdit(f, raw, off, specs, removed)}
}

// groupSpecs joins import specs for a new parenthesized declaration:
// standard library first, then a blank line and the others, as goimports
// groups them.
func groupSpecs(specs []string) string {
	var std, other []string
	for _, s := range specs {
		i := strings.IndexByte(s, '"')
		if p, err := strconv.Unquote(strings.TrimSpace(s[max(i, 0):])); err == nil && i >= 0 && !isStdPath(p) {
			other = append(other, s)
		} else {
			std = append(std, s)
		}
	}
	groups := strings.Join(std, "\n\t")
	if len(std) > 0 && len(other) > 0 {
		groups += "\n\n\t"
	}
	return groups + strings.Join(other, "\n\t")
}

func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// addImportEdit inserts import specs into the first import declaration
// that is not import "C" (cgo's preamble must stay attached to that one)
// and keeps a spec, or after the package clause.
func addImportEdit(f *ast.File, raw []byte, off func(token.Pos) int, specs []string, removed map[*ast.ImportSpec]bool) textEdit {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || len(gd.Specs) == 0 {
			continue
		}
		if len(gd.Specs) == 1 && importPath(gd.Specs[0].(*ast.ImportSpec)) == "C" {
			continue
		}
		var anchor *ast.ImportSpec
		for _, s := range gd.Specs {
			if !removed[s.(*ast.ImportSpec)] {
				anchor = s.(*ast.ImportSpec)
				break
			}
		}
		if anchor == nil {
			continue
		}
		if gd.Lparen.IsValid() {
			// Before the first spec that stays (and its doc comment), so
			// as not to touch the lines of removed ones.
			at := anchor.Pos()
			if anchor.Doc != nil {
				at = anchor.Doc.Pos()
			}
			return textEdit{start: off(at), end: off(at), text: strings.Join(specs, "\n\t") + "\n\t", rule: "imports"}
		}
		old := string(raw[off(anchor.Pos()):off(gd.End())])
		return textEdit{start: off(gd.Pos()), end: off(gd.End()), text: "import (\n\t" + groupSpecs(append([]string{old}, specs...)) + "\n)", rule: "imports"}
	}
	eol := off(f.Name.End())
	for eol < len(raw) && raw[eol] != '\n' {
		eol++
	}
	text := "\n\nimport " + specs[0]
	if len(specs) > 1 {
		text = "\n\nimport (\n\t" + groupSpecs(specs) + "\n)"
	}
	return textEdit{start: eol, end: eol, text: text, rule: "imports"}
}

// editsMayDropImports reports whether some edit replaces text that
// mentions the name of an import of the file.
func editsMayDropImports(fs *fileState) bool {
	if len(fs.syntax.Imports) == 0 {
		return false
	}
	for _, e := range fs.edits {
		old := fs.src[e.start:e.end]
		for _, spec := range fs.syntax.Imports {
			if strings.Contains(string(old), localName(spec)) {
				return true
			}
		}
	}
	return false
}

func (fs *fileState) hadImport(spec *ast.ImportSpec) bool {
	for _, s := range fs.syntax.Imports {
		if importPath(s) == importPath(spec) && localName(s) == localName(spec) {
			return true
		}
	}
	return false
}
