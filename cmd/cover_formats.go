package cmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/cover/covfmt"
	"github.com/gorewrite/gorewrite/rewrite/mutate"
	"github.com/spf13/pflag"
)

// coverFormats are the files in the formats CI services read that cover
// and cover report write.
type coverFormats struct {
	lcov, cobertura, sonar string
	html                   string // the command's --html
	// since, minDiff and github ask for diff coverage: of the lines
	// changed since a git revision.
	since   string
	minDiff float64
	github  bool
}

func (o *coverFormats) register(fl *pflag.FlagSet) {
	fl.StringVar(&o.lcov, "lcov", "", "also write an LCOV tracefile (Codecov, Coveralls, genhtml), with branch records under --branch")
	fl.StringVar(&o.cobertura, "cobertura", "", "also write Cobertura XML (GitLab, Jenkins), with condition coverage under --branch")
	fl.StringVar(&o.sonar, "sonar", "", "also write SonarQube generic coverage XML")
	fl.StringVar(&o.since, "since", "", "diff coverage: report the coverage of the lines changed since the git revision `REF` (committed or not), and list the uncovered ones")
	fl.Float64Var(&o.minDiff, "min-diff", 0, "with --since, exit 3 when the changed lines' coverage (percent) is below this")
	fl.BoolVar(&o.github, "github", false, "with --since, print GitHub Actions annotations on the uncovered changed lines")
}

func (o *coverFormats) any() bool {
	return o.lcov != "" || o.cobertura != "" || o.sonar != "" || o.html != ""
}

func (o *coverFormats) check() error {
	switch {
	case o.minDiff < 0 || o.minDiff > 100:
		return usagef("--min-diff is a percentage, 0 to 100")
	case o.since == "" && (o.minDiff > 0 || o.github):
		return usagef("--min-diff and --github measure diff coverage: give --since REF")
	}
	return nil
}

// writeCoverFormats writes the files asked for (names in them relative to
// the main module's root), then measures diff coverage if asked: its error
// is the gate's.
func (a *app) writeCoverFormats(ctx context.Context, o *coverFormats, blocks []cover.Block, counts cover.Counts, branches []cover.Branch, branchCounts cover.Counts) error {
	if !o.any() && o.since == "" {
		return nil
	}
	c := covfmt.New(moduleRoot(a.dir), blocks, counts, branches, branchCounts)
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{o.lcov, func(w io.Writer) error { return covfmt.WriteLCOV(w, c) }},
		{o.cobertura, func(w io.Writer) error { return covfmt.WriteCobertura(w, c, buildTime()) }},
		{o.sonar, func(w io.Writer) error { return covfmt.WriteSonar(w, c) }},
		{o.html, func(w io.Writer) error { return covfmt.WriteHTML(w, c) }},
	} {
		if out.name == "" {
			continue
		}
		var b bytes.Buffer
		if err := out.write(&b); err != nil {
			return err
		}
		name := out.name
		if !filepath.IsAbs(name) {
			name = filepath.Join(a.dir, name)
		}
		if err := writeOutput(name, b.Bytes()); err != nil {
			a.printError(rewrite.WriteError(name, err))
			return errFailed
		}
	}
	if o.since != "" {
		return a.diffCoverage(ctx, o, c)
	}
	return nil
}

// diffCoverage prints the coverage of the lines changed since --since,
// names the uncovered ones, and fails below --min-diff (exit 3).
func (a *app) diffCoverage(ctx context.Context, o *coverFormats, c *covfmt.Coverage) error {
	changed, err := mutate.ChangedLines(ctx, a.dir, o.since)
	if err != nil {
		if errors.Is(err, mutate.ErrBadRevision) {
			return usageError{err}
		}
		return err
	}
	d := covfmt.DiffOf(c, changed.Has)
	top := ""
	if out, err := exec.CommandContext(ctx, "git", "-C", a.dir, "rev-parse", "--show-toplevel").Output(); err == nil {
		top = realPath(strings.TrimSpace(string(out)))
	}
	byName := make(map[string]string) // File.Name -> File.Path
	for _, f := range c.Files {
		byName[f.Name] = f.Path
	}
	for _, u := range d.Uncovered {
		path := byName[u.File]
		fmt.Fprintf(a.stdout, "%s:%d: not covered\n", rewrite.RelPath(a.dir, path), u.Line)
		if o.github {
			name := u.File
			if rel, err := filepath.Rel(top, realPath(path)); top != "" && err == nil && filepath.IsLocal(rel) {
				name = filepath.ToSlash(rel)
			}
			fmt.Fprintf(a.stdout, "::warning file=%s,line=%d,title=gorewrite cover::changed line not covered by tests\n", name, u.Line)
		}
	}
	pct, ok := d.Percent()
	if !ok {
		fmt.Fprintf(a.stdout, "diff coverage since %s: no changed line has statements\n", o.since)
		return nil
	}
	msg := fmt.Sprintf("diff coverage since %s: %.1f%% of %d changed lines (%d covered)", o.since, pct, d.Lines, d.Covered)
	if d.Branches > 0 {
		msg += fmt.Sprintf("; branches %.1f%% (%d/%d)", 100*float64(d.BranchesHit)/float64(d.Branches), d.BranchesHit, d.Branches)
	}
	fmt.Fprintln(a.stdout, msg)
	if o.minDiff > 0 && pct < o.minDiff {
		fmt.Fprintf(a.stderr, "gorewrite: diff coverage %.1f%% is below --min-diff %.1f%%\n", pct, o.minDiff)
		return exitCode(ExitThreshold)
	}
	return nil
}

// moduleRoot returns the directory of the go.mod governing dir, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// profilePackages returns the import paths of the files a profile names,
// sorted: what cover report loads to find their blocks.
func profilePackages(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			if !strings.HasPrefix(line, "mode: ") {
				return nil, fmt.Errorf("%s:1: not a coverage profile", name)
			}
			continue
		}
		file, _, ok := strings.Cut(line, ":")
		if i := strings.LastIndexByte(file, '/'); ok && i > 0 {
			seen[file[:i]] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	pkgs := make([]string, 0, len(seen))
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	slices.Sort(pkgs)
	return pkgs, nil
}

// buildTime is the time reports are stamped with: SOURCE_DATE_EPOCH's
// when it is set, so that a reproducible build writes the same file.
func buildTime() time.Time {
	if sec, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(sec, 0)
	}
	return time.Now()
}
