package mutate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// numberSchema numbers the mutants to be tested that have a site, from 1,
// in the order of the packages and their mutants, and notes each file's
// sites.
func (r *runner) numberSchema(pkgs []string, byPkg map[string][]*Mutant) {
	n := 0
	seen := make(map[*site]bool)
	for _, p := range pkgs {
		for _, m := range byPkg[p] {
			if len(m.sites) == 0 {
				continue
			}
			m.fallback = "" // a reason an earlier run found
			n++
			m.schemaID = n
			for _, s := range m.sites {
				if !seen[s] {
					seen[s] = true
					r.schemaFiles[s.file] = append(r.schemaFiles[s.file], s)
				}
			}
		}
	}
	r.plain = make(map[string][]byte)
	r.switched = make(map[*site]bool)
}

// render is the coverage instrumentation's Render: a file with its sites
// switched around the probes. It keeps the file with probes only, for a
// package whose schema does not build.
func (r *runner) render(name string, src []byte, edits []cover.Edit) []byte {
	ce := make([]CoverEdit, len(edits))
	for i, e := range edits {
		ce[i] = CoverEdit{e.Start, e.End, e.Text}
	}
	plain, _ := renderFile(src, nil, ce, schemaNumber)
	r.mu.Lock()
	if len(edits) > 0 {
		r.plain[name] = plain
	} else {
		r.plain[name] = nil
	}
	sites := r.schemaFiles[name]
	r.mu.Unlock()
	// The mutants were found in the content read then; a file changed
	// since gets no switches (its mutants are built alone).
	if len(sites) == 0 || !bytes.Equal(src, r.sources[name]) {
		return plain
	}
	out, switched := renderFile(src, sites, ce, schemaNumber)
	r.mu.Lock()
	for _, s := range switched {
		r.switched[s] = true
	}
	r.mu.Unlock()
	return out
}

func schemaNumber(m *Mutant) int { return m.schemaID }

// finishSchema adds to the plan the helper file of each package with
// switched sites, and sends the mutants whose sites were not switched
// (files the instrumentation left alone, sites a probe overlaps) to be
// built alone.
func (r *runner) finishSchema(plan *cover.Plan) {
	type pkgHelpers struct {
		ps      *pkgSchema
		helpers map[string]bool
	}
	// By directory: one helper file per package, however many passes
	// found its mutants.
	byDir := make(map[string]*pkgHelpers)
	var order []string
	for _, file := range sortedKeys(r.schemaFiles) {
		for _, s := range r.schemaFiles[file] {
			if !r.switched[s] {
				reason := whyGenerated
				if _, ok := r.plain[file]; ok {
					reason = whyConflict
				}
				for _, m := range s.mutants {
					if m.schemaID > 0 {
						m.schemaID, m.fallback = 0, reason
					}
				}
				continue
			}
			dir := filepath.Dir(file)
			ph := byDir[dir]
			if ph == nil {
				ph = &pkgHelpers{ps: s.pkg, helpers: map[string]bool{}}
				byDir[dir] = ph
				order = append(order, dir)
			}
			if s.helper != "" {
				ph.helpers[s.helper] = true
			}
		}
	}
	r.helperFiles = make(map[string]bool)
	for _, dir := range order {
		ph := byDir[dir]
		name := freeFile(dir, "00_gorewrite_schemata", plan.Files)
		plan.Files[name] = helperFile(ph.ps, sortedKeys(ph.helpers))
		r.helperFiles[name] = true
	}
}

// freeFile returns dir/base.go, or with a number, naming no file on disk
// or in files. The name sorts first, so that the schema's variable is
// initialized before the package's other variables.
func freeFile(dir, base string, files map[string][]byte) string {
	for n := 0; ; n++ {
		name := base
		if n > 0 {
			name += fmt.Sprint(n)
		}
		name = filepath.Join(dir, name+".go")
		if _, taken := files[name]; taken {
			continue
		}
		if _, err := os.Lstat(name); err == nil {
			continue
		}
		return name
	}
}

// writePlainOverlay writes, once, the overlay without switches: probes
// only.
func (r *runner) writePlainOverlay(plan *cover.Plan) (string, error) {
	r.plainOnce.Do(func() {
		p := *plan
		p.Files = make(map[string][]byte, len(plan.Files))
		for name, data := range plan.Files {
			if r.helperFiles[name] {
				continue
			}
			if plain, ok := r.plain[name]; ok {
				if plain == nil {
					continue
				}
				data = plain
			}
			p.Files[name] = data
		}
		r.plainOverlay, r.plainErr = p.WriteTestOverlay(filepath.Join(r.tmp, "plain"))
	})
	return r.plainOverlay, r.plainErr
}

// hasSchema reports whether one of pkgs has switched mutants.
func (r *runner) hasSchema(pkgs map[string]bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.all {
		if pkgs[m.Package] && m.schemaID > 0 {
			return true
		}
	}
	return false
}

// dropSchema sends the switched mutants of pkgs to be built alone, a
// schema having failed to build.
func (r *runner) dropSchema(pkgs map[string]bool) {
	for _, m := range r.all {
		if pkgs[m.Package] && m.schemaID > 0 {
			m.schemaID, m.fallback = 0, whyBuild
		}
	}
}

// buildCoverage builds a test binary with probes (and schemata); when it
// does not build and the one with probes only does, the schemata of the
// packages it links are at fault: their mutants are built alone.
func (r *runner) buildCoverage(ctx context.Context, pc *pkgCoverage, plan *cover.Plan, overlay string) (bool, string, error) {
	built, msg, err := r.buildTest(ctx, pc.pkg, overlay, pc.bin)
	if err != nil || built || msg == "" || r.cfg.Strategy != Schemata || !r.hasSchema(pc.links) {
		return built, msg, err
	}
	plain, err := r.writePlainOverlay(plan)
	if err != nil {
		return false, "", err
	}
	built, plainMsg, err := r.buildTest(ctx, pc.pkg, plain, pc.bin)
	if err != nil || !built {
		return built, plainMsg, err
	}
	r.mu.Lock()
	r.dropSchema(pc.links)
	r.mu.Unlock()
	r.cfg.Warn(fmt.Sprintf("%s: the mutant schema did not build, so the mutants of the packages its tests link are built one by one (please report this):\n%s", pc.pkg, indent(firstLines(msg, 10))))
	return true, "", nil
}

// sortedSites is for tests: the sites of the mutants, in file order.
func sortedSites(mutants []*Mutant) []*site {
	seen := make(map[*site]bool)
	var out []*site
	for _, m := range mutants {
		for _, s := range m.sites {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].file != out[j].file {
			return out[i].file < out[j].file
		}
		return out[i].start < out[j].start
	})
	return out
}

// Fresh returns copies of mutants as enumerated: statuses back to Pending
// (Ignored stays), results cleared, for a second run.
func Fresh(mutants []*Mutant) []*Mutant {
	out := make([]*Mutant, len(mutants))
	for i, m := range mutants {
		c := *m
		if c.Status != Ignored {
			c.Status, c.StatusReason = Pending, ""
		}
		c.CoveredBy, c.KilledBy, c.DecidedBy, c.Duration, c.schemaID, c.Alone = nil, nil, nil, 0, 0, ""
		c.Reused, c.only, c.prefer, c.earlier = false, nil, nil, nil
		out[i] = &c
	}
	return out
}

// A Disagreement is a mutant the strategies judged differently.
type Disagreement struct {
	Mutant            *Mutant // as the schemata run left it
	Schemata, Overlay Status
	// How the schemata run tested it: "schema", or "built alone: reason".
	How string
	// Flaky says a test covering the mutant failed without any mutant in
	// one of the runs: the runs did not judge it with the same tests.
	Flaky bool
}

// Compare lists the mutants that a schemata run (schemata) and an overlay
// run (overlay, the same mutants in the same order, see Fresh) judged
// differently. A mutant tested through the schema must not be a
// CompileError under the overlay strategy: it could not be built alone.
// failed holds the IDs of the tests either run found failing without
// mutants (flaky ones included).
func Compare(schemata, overlay []*Mutant, failed map[string]bool) []Disagreement {
	var out []Disagreement
	for i, m := range schemata {
		o := overlay[i]
		if m.Status == o.Status {
			continue
		}
		how := "schema"
		if len(m.sites) == 0 || m.fallback != "" {
			how = "built alone: " + m.fallback
		}
		flaky := false
		for _, id := range append(slices.Clone(m.CoveredBy), o.CoveredBy...) {
			flaky = flaky || failed[id]
		}
		out = append(out, Disagreement{Mutant: m, Schemata: m.Status, Overlay: o.Status, How: how, Flaky: flaky})
	}
	return out
}

// FailedTests returns the IDs of the tests that failed without mutants.
func FailedTests(tests ...[]*Test) map[string]bool {
	out := make(map[string]bool)
	for _, list := range tests {
		for _, t := range list {
			if t.Failed {
				out[t.ID] = true
			}
		}
	}
	return out
}
