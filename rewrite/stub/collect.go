package stub

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite"
)

// RuleName is the name of the collecting rule.
const RuleName = "stub"

// A Package is what the generator knows of one package directory: its
// files (the package's own and its tests, internal and external) and the
// type information of the package and of its external test package.
type Package struct {
	Dir  string // absolute directory
	Path string // import path
	Name string // package name

	Fset *token.FileSet
	// Types and Info describe the package together with its internal test
	// files; XTypes and XInfo the external test package (package p_test),
	// nil when there is none.
	Types  *types.Package
	Info   *types.Info
	XTypes *types.Package
	XInfo  *types.Info

	// Files are the package's files the engine loaded, sorted by name:
	// generated files are left out.
	Files []*File
}

// A File is one file of a package.
type File struct {
	Name     string // absolute
	Src      []byte
	Syntax   *ast.File
	Test     bool // a _test.go file
	External bool // a file of the external test package
	// Unchecked marks a test file known only as syntax: left out of the
	// build (build constraints) or part of test files that do not
	// type-check. Its names count; it is written only to regenerate a
	// test named by --force.
	Unchecked bool
}

// AddUnchecked adds a test file of the package's directory that the engine
// did not load, parsed from src: its top-level names are then taken into
// account. The caller reads the file; the generator does no I/O.
func (p *Package) AddUnchecked(name string, src []byte) error {
	f, err := parser.ParseFile(p.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	p.Files = append(p.Files, &File{Name: name, Src: src, Syntax: f, Test: true,
		External: strings.HasSuffix(f.Name.Name, "_test"), Unchecked: true})
	slices.SortFunc(p.Files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// file returns the file named name, or nil.
func (p *Package) file(name string) *File {
	for _, f := range p.Files {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// GoVersion is the package's language version ("go1.22"), or "".
func (p *Package) GoVersion() string { return p.Types.GoVersion() }

// A Collector gathers the packages a run of its rule sees. The rule makes
// no edits: generation needs every variant of a package at once (the
// package with its internal tests, and its external tests), and the
// engine hands them over one at a time.
type Collector struct {
	mu    sync.Mutex
	byDir map[string]*Package
}

// Rule returns the collecting rule; it needs types and should be run with
// test files loaded.
func (c *Collector) Rule() *rewrite.Rule {
	return &rewrite.Rule{
		Name:       RuleName,
		Doc:        "collect packages and their tests for test-stub generation (no edits)",
		NeedsTypes: true,
		Run: func(pass *rewrite.Pass) error {
			c.add(pass)
			return nil
		},
	}
}

func (c *Collector) add(pass *rewrite.Pass) {
	if len(pass.Files) == 0 {
		return
	}
	var files []*File
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name()
		files = append(files, &File{Name: name, Src: pass.Source(f), Syntax: f, Test: strings.HasSuffix(name, "_test.go")})
	}
	dir := filepath.Dir(files[0].Name)
	external := strings.HasSuffix(pass.Pkg.Name(), "_test") && allTests(files)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byDir == nil {
		c.byDir = make(map[string]*Package)
	}
	p := c.byDir[dir]
	if p == nil {
		p = &Package{Dir: dir, Fset: pass.Fset}
		c.byDir[dir] = p
	}
	if external {
		for _, f := range files {
			f.External = true
		}
		p.XTypes, p.XInfo = pass.Pkg, pass.TypesInfo
	} else {
		p.Types, p.Info = pass.Pkg, pass.TypesInfo
		p.Path, p.Name = pass.Pkg.Path(), pass.Pkg.Name()
	}
	p.Files = append(p.Files, files...)
	slices.SortFunc(p.Files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
}

func allTests(files []*File) bool {
	for _, f := range files {
		if !f.Test {
			return false
		}
	}
	return true
}

// Packages returns the packages collected, by directory. A package whose
// own files did not come through (it failed to load) is left out.
func (c *Collector) Packages() []*Package {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Package
	for _, p := range c.byDir {
		if p.Types != nil {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *Package) int { return strings.Compare(a.Dir, b.Dir) })
	return out
}
