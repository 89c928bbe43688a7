package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/gocmd"
)

// A mutant is tested by every test of the module that runs its code,
// whichever package the test lives in: internal packages are often tested
// only through their callers, and a module's integration tests live in a
// package of their own. So the coverage phase builds one test binary per
// package of the module whose tests link a mutated package (its own tests,
// or another's tests that import it, directly or not), with coverage
// probes in the mutated packages only (go test -coverpkg) and, with
// schemata, every mutant of them behind its switch: still one build per
// test binary, whichever mutants it tests. RunConfig.OwnTests restricts
// the tests to the mutant's package's own, as before.

// testPackage is a package of the module with tests, and the packages to
// mutate its test binary links.
type testPackage struct {
	path, dir string
	links     map[string]bool
	listed    *listedTest
}

// moduleListing is the main module's packages (or the workspace's), as
// go list -test gave them.
type moduleListing struct {
	// plain are the packages by import path (not their test variants).
	plain map[string]*listedTest
	// deps are the packages each package's test binary links, by the
	// tested package's import path.
	deps map[string][]string
}

// listModule lists the packages of the main module (or workspace) and
// their test binaries: ./... in Root (or Dir), and pkgs, in case they are
// not below it.
func (r *runner) listModule(ctx context.Context, pkgs []string) (*moduleListing, error) {
	listed, err := r.goListTests(ctx, r.root(), append([]string{"./..."}, pkgs...))
	if err != nil {
		return nil, err
	}
	ml := &moduleListing{plain: make(map[string]*listedTest), deps: make(map[string][]string)}
	for i := range listed {
		p := &listed[i]
		switch {
		case strings.HasSuffix(p.ImportPath, ".test") && p.ForTest == "" && !strings.Contains(p.ImportPath, " "):
			ml.deps[strings.TrimSuffix(p.ImportPath, ".test")] = p.Deps
		case !strings.Contains(p.ImportPath, " ") && p.Module != nil && p.Module.Main:
			ml.plain[p.ImportPath] = p
		}
	}
	return ml, nil
}

// testPackages returns the packages whose tests may test mutants of pkgs,
// sorted by import path: pkgs themselves (when they have tests), and every
// package of the listing whose test binary links one of them, or only
// those in allowed when it is not nil. links says which mutated packages
// each one's tests test: its own, and the others it links if allowed.
func (ml *moduleListing) testPackages(pkgs []string, allowed map[string]bool) []testPackage {
	mutated := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		mutated[p] = true
	}
	var out []testPackage
	for path, p := range ml.plain {
		others := allowed == nil || allowed[path]
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 || (!others && !mutated[path]) {
			continue
		}
		tp := testPackage{path: path, dir: p.Dir, links: make(map[string]bool), listed: p}
		if mutated[path] {
			tp.links[path] = true
		}
		if others {
			for _, d := range ml.deps[path] {
				// Test variants ("p [q.test]") are p recompiled with q's
				// test files: p's code all the same.
				if d, _, _ = strings.Cut(d, " "); mutated[d] {
					tp.links[d] = true
				}
			}
		}
		if len(tp.links) > 0 {
			out = append(out, tp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// outside returns the packages of the listing that the test binaries of
// bins link and that are not among pkgs, by import path: their code
// changes what tests do, unmeasured.
func (ml *moduleListing) outside(bins []testPackage, pkgs []string) []*listedTest {
	seen := make(map[string]bool)
	for _, p := range pkgs {
		seen[p] = true
	}
	var out []*listedTest
	for _, tp := range bins {
		for _, d := range append([]string{tp.path}, ml.deps[tp.path]...) {
			d, _, _ = strings.Cut(d, " ")
			if p := ml.plain[d]; p != nil && !seen[d] {
				seen[d] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ImportPath < out[j].ImportPath })
	return out
}

// listedTest is what listModule reads of go list -test.
type listedTest struct {
	ImportPath, Dir, ForTest                     string
	Deps                                         []string
	GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
	EmbedFiles, TestEmbedFiles, XTestEmbedFiles  []string
	Module                                       *struct{ Main bool }
}

// goListTests lists the packages matching patterns with their test
// binaries (go list -test), in dir.
func (r *runner) goListTests(ctx context.Context, dir string, patterns []string) ([]listedTest, error) {
	args := []string{"list", "-e", "-test", "-json=ImportPath,Dir,ForTest,Deps,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,EmbedFiles,TestEmbedFiles,XTestEmbedFiles,Module"}
	args = append(args, gocmd.Flags(r.env(), r.cfg.BuildFlags)...)
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = r.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("listing the module's tests: %s", msg)
	}
	var out []listedTest
	dec := json.NewDecoder(&stdout)
	for {
		var p listedTest
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %v", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// coverage is what the coverage phase learnt: the blocks of the mutated
// packages and, for each test binary, the tests that ran each block.
type coverage struct {
	blocks []cover.Block
	// bySource indexes blocks by the file they are in; byProfile by the
	// profile's name for it (importpath/base.go).
	bySource, byProfile map[string][]int
	// bins are the test binaries, by the import path of their package,
	// in that order.
	bins  []*pkgCoverage
	byPkg map[string]*pkgCoverage
	// byID finds a test by its ID.
	byID map[string]*Test
	// own says a mutant is tested by its own package's tests only (the
	// binaries' links say so; this is for messages).
	own bool
	// instrumented are the mutated packages with coverage probes: the
	// others' mutants have no coverage.
	instrumented map[string]bool
}

func newCoverage(blocks []cover.Block, own bool) *coverage {
	c := &coverage{blocks: blocks, bySource: make(map[string][]int), byProfile: make(map[string][]int),
		byPkg: make(map[string]*pkgCoverage), byID: make(map[string]*Test), own: own, instrumented: make(map[string]bool)}
	for i, b := range blocks {
		c.bySource[b.Source] = append(c.bySource[b.Source], i)
		c.byProfile[b.File] = append(c.byProfile[b.File], i)
	}
	return c
}

func (c *coverage) add(pc *pkgCoverage) {
	c.bins = append(c.bins, pc)
	c.byPkg[pc.pkg] = pc
}

// binsFor returns the test binaries whose tests may test a mutant of pkg:
// its own package's first, then the others that link it, by import path.
func (c *coverage) binsFor(pkg string) []*pkgCoverage {
	var out []*pkgCoverage
	if own := c.byPkg[pkg]; own != nil && own.links[pkg] {
		out = append(out, own)
	}
	for _, pc := range c.bins {
		if pc.pkg != pkg && pc.links[pkg] {
			out = append(out, pc)
		}
	}
	return out
}

// coveredBy returns the IDs of the tests that run the code m changes: the
// tests that ran the innermost block holding its start, in every test
// binary that links its package (own package's first). Code outside every
// block (package-level declarations) runs in every test: it is covered by
// the package's own tests, or, when it has none, by all the tests that
// link it.
//
// A mutant of a constant declaration is covered by the tests that run any
// of the places it changes (its uses).
func (c *coverage) coveredBy(m *Mutant) []string {
	if c == nil || m.unused || !c.instrumented[m.Package] {
		return nil
	}
	points := m.uses
	if len(points) == 0 {
		p := usePoint{file: m.File, offset: m.Offset, pos: m.Start}
		if m.coverAt.Line > 0 {
			p.offset, p.pos = m.coverAtOffset, m.coverAt
		}
		points = []usePoint{p}
	}
	bins := c.binsFor(m.Package)
	covering := make(map[*Test]bool)
	for _, p := range points {
		if b := c.blockAt(m.Package, p); b >= 0 {
			for _, pc := range bins {
				for _, t := range pc.hits[b] {
					covering[t] = true
				}
			}
			continue
		}
		everywhere := bins
		if len(bins) > 0 && bins[0].pkg == m.Package && len(bins[0].tests) > 0 {
			everywhere = bins[:1]
		}
		for _, pc := range everywhere {
			for _, t := range pc.tests {
				covering[t] = true
			}
		}
	}
	var ids []string
	for _, pc := range bins {
		for _, t := range pc.tests {
			if covering[t] && !t.Failed {
				ids = append(ids, t.ID)
			}
		}
	}
	return ids
}

// blockAt returns the index of the innermost block holding p, or -1.
func (c *coverage) blockAt(pkg string, p usePoint) int {
	best := -1
	// Blocks know their byte ranges in the file itself; their lines are
	// the ones //line directives give, as in profiles.
	off := p.offset
	candidates, known := c.bySource[p.file]
	for _, i := range candidates {
		b := c.blocks[i]
		if off < b.Offset || off >= b.EndOffset {
			continue
		}
		if best < 0 || b.EndOffset-b.Offset < c.blocks[best].EndOffset-c.blocks[best].Offset {
			best = i
		}
	}
	if !known {
		// The file is known by another name (a symbolic link): go by
		// the profile's file name and lines.
		at := p.pos
		for _, i := range c.byProfile[pkg+"/"+baseName(p.file)] {
			b := c.blocks[i]
			if !inside(at, b) {
				continue
			}
			if best < 0 || inside(Position{b.StartLine, b.StartCol}, c.blocks[best]) {
				best = i
			}
		}
	}
	return best
}

func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// why returns why a mutant of pkg that no test covers has no coverage,
// when it is a package's fault: its own tests do not build, or nothing
// tests it.
func (c *coverage) why(pkg string) string {
	if c == nil {
		return ""
	}
	if own := c.byPkg[pkg]; own != nil && own.why != "" {
		return own.why
	}
	if len(c.binsFor(pkg)) == 0 {
		if c.own {
			return "the package has no tests"
		}
		return "no test of the module links the package"
	}
	if !c.instrumented[pkg] {
		return "the package was not instrumented for coverage"
	}
	return ""
}

// binsCovering returns the test binaries holding tests of ids, in the
// order of binsFor, with those tests.
func (c *coverage) binsCovering(m *Mutant) []*pkgCoverage {
	var out []*pkgCoverage
	for _, pc := range c.binsFor(m.Package) {
		for _, id := range m.CoveredBy {
			if t := c.byID[id]; t != nil && t.Package == pc.pkg {
				out = append(out, pc)
				break
			}
		}
	}
	return out
}

// allowedTests returns the packages whose tests may test other packages'
// mutants: nil for all of the module's, none with OwnTests, those
// matching TestPackages when set.
func (r *runner) allowedTests(ctx context.Context) (map[string]bool, error) {
	switch {
	case r.cfg.OwnTests:
		return map[string]bool{}, nil
	case len(r.cfg.TestPackages) == 0:
		return nil, nil
	}
	listed, err := r.goListTests(ctx, r.cfg.Dir, r.cfg.TestPackages)
	if err != nil {
		return nil, err
	}
	allowed := make(map[string]bool)
	for _, p := range listed {
		if !strings.Contains(p.ImportPath, " ") && !strings.HasSuffix(p.ImportPath, ".test") {
			allowed[p.ImportPath] = true
		}
	}
	return allowed, nil
}
