package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/spf13/cobra"
)

// outputFlags are the gofmt-style output and loading flags shared by the
// commands that rewrite code.
type outputFlags struct {
	diff, list, write, json bool
	tags                    []string
	tests                   bool
	includeGenerated        bool
	workers                 int
	stdinFilename           string
}

func (o *outputFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.BoolVarP(&o.diff, "diff", "d", false, "print a unified diff of each changed file (git apply and patch -p1 read it)")
	f.BoolVarP(&o.list, "list", "l", false, "print the names of the files that would change")
	f.BoolVarP(&o.write, "write", "w", false, "write the changes to the files, atomically")
	f.BoolVar(&o.json, "json", false, "print one JSON object per edit (file, line, col, end, rule, old, new)")
	f.StringSliceVar(&o.tags, "tags", nil, "comma-separated build tags, as for go build -tags")
	f.BoolVar(&o.tests, "tests", true, "include _test.go files and test packages")
	f.BoolVar(&o.includeGenerated, "include-generated", false, `also rewrite generated files ("// Code generated ... DO NOT EDIT.")`)
	f.IntVar(&o.workers, "workers", 0, "files or packages processed at once (default GOMAXPROCS)")
	f.StringVar(&o.stdinFilename, "stdin-filename", "", "standard input is the content of this file of its package (for editors); typed rules see the package's other files")
}

func (o *outputFlags) check() error {
	if o.json && (o.diff || o.list) {
		return usagef("--json cannot be combined with -d or -l")
	}
	if o.workers < 0 {
		return usagef("--workers must be positive")
	}
	return nil
}

func (o *outputFlags) config(dir string) rewrite.Config {
	return rewrite.Config{Dir: dir, Tags: o.tags, Tests: o.tests, IncludeGenerated: o.includeGenerated, Workers: o.workers}
}

// jsonEdit is the --json form of one edit.
type jsonEdit struct {
	File string  `json:"file"`
	Line int     `json:"line"`
	Col  int     `json:"col"`
	End  jsonPos `json:"end"`
	Rule string  `json:"rule"`
	// Pattern and PatternIndex name which of rewrite's rules matched:
	// its text and its index among the rules given (-e, then -f).
	Pattern      string `json:"pattern,omitempty"`
	PatternIndex *int   `json:"pattern_index,omitempty"`
	Old          string `json:"old"`
	New          string `json:"new"`
}

// newJSONEdit is the --json form of e, made in file rel.
func newJSONEdit(rel string, e rewrite.AppliedEdit) jsonEdit {
	j := jsonEdit{File: rel, Line: e.Pos.Line, Col: e.Pos.Column, End: jsonPos{e.End.Line, e.End.Column}, Rule: e.Rule, Old: e.Old, New: e.New}
	if e.Part != "" {
		j.Pattern, j.PatternIndex = e.Part, &e.PartIndex
	}
	return j
}

type jsonPos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// runStats counts what a run did, for commands that check it afterwards.
type runStats struct {
	changed, failed, edits int
}

// runRules runs rules over args and prints the results as the flags say.
// With no args it reads standard input, as gofmt does.
func (a *app) runRules(ctx context.Context, rules []*rewrite.Rule, args []string, o *outputFlags) (runStats, error) {
	var st runStats
	if err := o.check(); err != nil {
		return st, err
	}
	cfg := o.config(a.dir)
	if len(args) == 0 {
		return a.runStdin(ctx, rules, o)
	}
	if o.stdinFilename != "" {
		return st, usagef("--stdin-filename names standard input: give no files or packages")
	}
	for _, arg := range args {
		if strings.TrimSpace(arg) == "" {
			return st, usagef("empty argument: name files, directories or packages")
		}
	}
	if err := a.checkDirs(args); err != nil {
		return st, err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	printed := make(map[string]bool)
	emit := func(r *rewrite.FileResult) error {
		for _, err := range r.Errs {
			a.printError(err)
		}
		if len(r.Errs) > 0 {
			st.failed++
		}
		if r.Skipped != "" {
			fmt.Fprintf(a.stderr, "gorewrite: %s: skipped: %s\n", rewrite.RelPath(a.dir, r.Filename), r.Skipped)
		}
		if !r.Changed() {
			return nil
		}
		st.changed++
		st.edits += len(r.Edits)
		printed[r.Filename] = true
		rel := rewrite.RelPath(a.dir, r.Filename)
		// -l and -d name files from the working directory, ../ included,
		// so that the diff applies from there.
		name := rewrite.OutputPath(a.dir, r.Filename)
		if o.list {
			fmt.Fprintln(a.stdout, name)
		}
		if o.json {
			for _, e := range r.Edits {
				enc.Encode(newJSONEdit(rel, e))
			}
		}
		if o.diff {
			io.WriteString(a.stdout, rewrite.UnifiedDiff(name, r.Src, r.Out))
		}
		if o.write {
			if err := ctx.Err(); err != nil {
				return err // interrupted: write nothing more
			}
			if err := rewrite.WriteFile(r.Filename, r.Src, r.Out); err != nil {
				a.printError(rewrite.WriteError(r.Filename, err))
				st.failed++
			}
		}
		if !o.list && !o.json && !o.diff && !o.write {
			a.stdout.Write(r.Out)
		}
		return nil
	}
	if err := rewrite.Run(ctx, cfg, rules, args, emit); err != nil {
		return st, err
	}
	// One file named alone prints through unchanged, so the command works
	// as a filter: gorewrite rewrite -e ... x.go > y.go.
	if len(args) == 1 && strings.HasSuffix(args[0], ".go") && !o.list && !o.json && !o.diff && !o.write && st.failed == 0 {
		name := args[0]
		if !filepath.IsAbs(name) {
			name = filepath.Join(a.dir, name)
		}
		if !printed[name] {
			if src, err := os.ReadFile(name); err == nil {
				a.stdout.Write(src)
			}
		}
	}
	if st.failed > 0 {
		return st, errFailed
	}
	return st, nil
}

// runStdin rewrites standard input to standard output.
func (a *app) runStdin(ctx context.Context, rules []*rewrite.Rule, o *outputFlags) (runStats, error) {
	var st runStats
	if o.write {
		return st, usagef("cannot use -w with standard input")
	}
	src, err := io.ReadAll(a.stdin)
	if err != nil {
		return st, err
	}
	name := "<standard input>"
	run := rewrite.RunSource
	if o.stdinFilename != "" {
		// Standard input stands for that file: typed rules see it with
		// the other files of its package, and messages name it.
		name, run = o.stdinFilename, rewrite.RunSourceAs
	}
	r, err := run(ctx, o.config(a.dir), rules, name, src)
	if err != nil {
		return st, err
	}
	for _, err := range r.Errs {
		a.printError(err)
	}
	if r.Skipped != "" {
		fmt.Fprintf(a.stderr, "gorewrite: %s: skipped: %s\n", name, r.Skipped)
	}
	if len(r.Errs) > 0 {
		st.failed++
		return st, errFailed
	}
	out := src
	if r.Changed() {
		st.changed++
		st.edits += len(r.Edits)
		out = r.Out
	}
	switch {
	case o.list:
		if r.Changed() {
			fmt.Fprintln(a.stdout, name)
		}
	case o.json:
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		for _, e := range r.Edits {
			enc.Encode(newJSONEdit(name, e))
		}
	case o.diff:
		io.WriteString(a.stdout, rewrite.UnifiedDiff(name, src, out))
	default:
		a.stdout.Write(out)
	}
	return st, nil
}

// printError prints an error on stderr, positions relative to the working
// directory, the way go vet does.
func (a *app) printError(err error) {
	var pe *rewrite.Error
	if errors.As(err, &pe) && pe.Pos.Filename != "" {
		fmt.Fprintln(a.stderr, pe.RelativeTo(a.dir))
		return
	}
	fmt.Fprintf(a.stderr, "gorewrite: %v\n", err)
}

// checkDirs reports the arguments naming a directory that does not exist
// (./nosuch, ../x/..., /abs/dir), one line each, and returns errFailed
// when there are any. Left to the loaders, such an argument is a go list
// message about stat and absolute paths, or for cover no message about it
// at all; a typo deserves one plain sentence. Go files are left to the
// per-file errors, and import paths to the go command.
func (a *app) checkDirs(args []string) error {
	missing := false
	for _, arg := range args {
		dir, ok := patternDir(arg)
		if !ok {
			continue
		}
		name := dir
		if !filepath.IsAbs(name) {
			name = filepath.Join(a.dir, name)
		}
		if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(a.stderr, "gorewrite: %s: directory does not exist\n", dir)
			missing = true
		}
	}
	if missing {
		return errFailed
	}
	return nil
}

// patternDir returns the directory a file-system argument names (the part
// before a ... wildcard), and false for import paths and Go files.
func patternDir(arg string) (string, bool) {
	if strings.HasSuffix(arg, ".go") {
		return "", false
	}
	slash := filepath.ToSlash(arg)
	if slash != "." && slash != ".." && !strings.HasPrefix(slash, "./") && !strings.HasPrefix(slash, "../") && !filepath.IsAbs(arg) {
		return "", false
	}
	if i := strings.Index(slash, "..."); i >= 0 {
		// ./x/... names ./x; ./fo... names what starts with fo in ./.
		slash = slash[:i]
		if !strings.HasSuffix(slash, "/") {
			slash = path.Dir(slash)
		}
	}
	if slash != "/" {
		slash = strings.TrimSuffix(slash, "/")
	}
	return filepath.FromSlash(slash), true
}
