package covfmt

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// Coverage is what the formats are written from: per file, its lines with
// their counts, its functions and its branch sites.
type Coverage struct {
	Root  string // the directory names are relative to (the module's)
	Files []*File
}

// A File is one source file's coverage.
type File struct {
	// Name is the file's name relative to Root with slashes, or its
	// absolute name when it is outside Root.
	Name    string
	Path    string // absolute
	Package string // import path
	Lines   []Line // sorted
	Funcs   []Func // in file order
	Sites   []Site // in file order
}

// A Line is a source line with statements: Count is the largest count of
// the blocks on it, so a line counts as covered when any of them ran.
type Line struct {
	Number int
	Count  uint64
	Stmts  int // statements starting on it (for Sonar-style tools, informative)
}

// A Func is one function: Count the count of its first block (how many
// times it ran), Stmts and Covered its statements.
type Func struct {
	Name           string
	Line, EndLine  int
	Count          uint64
	Stmts, Covered int
}

// A Site is a branch site: its outcomes' counts.
type Site struct {
	Line, Col, EndLine, EndCol int
	Label                      string
	Outcomes                   []Outcome
}

// An Outcome is one way a site can go.
type Outcome struct {
	Name  string
	Count uint64
}

// New gathers the coverage of blocks and branches (nil without branch
// coverage) with their counts, names relative to root.
func New(root string, blocks []cover.Block, counts cover.Counts, branches []cover.Branch, branchCounts cover.Counts) *Coverage {
	files := make(map[string]*File)
	lines := make(map[string]map[int]*Line)
	funcs := make(map[string]map[string]*Func)
	get := func(source, pkg string) *File {
		f := files[source]
		if f == nil {
			f = &File{Name: displayName(root, source), Path: source, Package: pkg}
			files[source] = f
			lines[source] = make(map[int]*Line)
			funcs[source] = make(map[string]*Func)
		}
		return f
	}
	sorted := slices.Clone(blocks)
	slices.SortFunc(sorted, func(a, b cover.Block) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.StartLine, b.StartLine), cmp.Compare(a.StartCol, b.StartCol))
	})
	for _, b := range sorted {
		get(b.Source, packageOf(b.File))
		n := counts[b.Key()]
		for l := b.StartLine; l <= b.EndLine; l++ {
			ln := lines[b.Source][l]
			if ln == nil {
				ln = &Line{Number: l}
				lines[b.Source][l] = ln
			}
			ln.Count = max(ln.Count, n)
		}
		lines[b.Source][b.StartLine].Stmts += b.NumStmt
		name := cmp.Or(b.Func, "func")
		fn := funcs[b.Source][name]
		if fn == nil {
			// The first block of a function: its count is how many times
			// the function ran.
			fn = &Func{Name: name, Line: b.StartLine, Count: n}
			funcs[b.Source][name] = fn
		}
		fn.EndLine = max(fn.EndLine, b.EndLine)
		fn.Stmts += b.NumStmt
		if n > 0 {
			fn.Covered += b.NumStmt
		}
	}
	for source, f := range files {
		for _, fn := range funcs[source] {
			f.Funcs = append(f.Funcs, *fn)
		}
		slices.SortFunc(f.Funcs, func(a, b Func) int { return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name)) })
		for _, ln := range lines[source] {
			f.Lines = append(f.Lines, *ln)
		}
		slices.SortFunc(f.Lines, func(a, b Line) int { return a.Number - b.Number })
	}
	bySource := make(map[string]string) // profile name -> source, for branches
	for _, b := range blocks {
		bySource[b.File] = b.Source
	}
	for _, br := range branches {
		source := bySource[br.File]
		if source == "" {
			continue // a file without blocks has no branches either
		}
		f := get(source, packageOf(br.File))
		s := Site{Line: br.Line, Col: br.Col, EndLine: br.EndLine, EndCol: br.EndCol, Label: br.Label}
		for i, o := range br.Outcomes {
			s.Outcomes = append(s.Outcomes, Outcome{Name: o, Count: branchCounts[br.OutcomeKey(i)]})
		}
		f.Sites = append(f.Sites, s)
	}
	c := &Coverage{Root: root}
	for _, f := range files {
		slices.SortStableFunc(f.Sites, func(a, b Site) int { return a.Line - b.Line })
		c.Files = append(c.Files, f)
	}
	slices.SortFunc(c.Files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	return c
}

func displayName(root, source string) string {
	if root != "" {
		if rel, err := filepath.Rel(root, source); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(source)
}

// packageOf is the import path in a profile's file name.
func packageOf(profileName string) string {
	if i := strings.LastIndexByte(profileName, '/'); i >= 0 {
		return profileName[:i]
	}
	return "."
}

// Totals are a set's figures.
type Totals struct {
	Lines, LinesHit       int
	Stmts, StmtsHit       int
	Branches, BranchesHit int
	Funcs, FuncsHit       int
}

// Sum sums up files.
func Sum(files ...*File) Totals {
	var t Totals
	for _, f := range files {
		for _, l := range f.Lines {
			t.Lines++
			if l.Count > 0 {
				t.LinesHit++
			}
		}
		for _, fn := range f.Funcs {
			t.Funcs++
			t.Stmts += fn.Stmts
			t.StmtsHit += fn.Covered
			if fn.Count > 0 || fn.Covered > 0 {
				t.FuncsHit++
			}
		}
		for _, s := range f.Sites {
			for _, o := range s.Outcomes {
				t.Branches++
				if o.Count > 0 {
					t.BranchesHit++
				}
			}
		}
	}
	return t
}

func rate(hit, total int) float64 {
	if total == 0 {
		return 1
	}
	return float64(hit) / float64(total)
}
