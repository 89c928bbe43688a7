package rewrite

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Config says what to load and how.
type Config struct {
	// Dir is the directory arguments are relative to and the go command
	// runs in; empty means the current directory.
	Dir string
	// Env is the environment of the go command; nil means os.Environ().
	Env []string
	// Tags are extra build tags, as for go build -tags.
	Tags []string
	// BuildFlags are more go build flags for loading packages, those
	// that decide their files or how modules resolve (-mod=vendor,
	// -modfile=..., -race), in the -name=value form.
	BuildFlags []string
	// Tests includes _test.go files (and test packages).
	Tests bool
	// IncludeGenerated processes generated files ("// Code generated ... DO
	// NOT EDIT."), which are otherwise left alone.
	IncludeGenerated bool
	// Workers bounds the files or packages processed at once; 0 means
	// GOMAXPROCS.
	Workers int

	// overlay replaces the content of files on disk while loading
	// packages, by absolute name; set by RunSourceAs.
	overlay map[string][]byte
}

func (c *Config) dir() (string, error) {
	if c.Dir != "" {
		return filepath.Abs(c.Dir)
	}
	return os.Getwd()
}

func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Run runs rules over the Go source named by args, which are package
// patterns (./..., import paths, std), Go files or directories, and calls
// emit once per file that changed or failed, in a deterministic order (the
// order of the arguments, then of file names), never concurrently. emit
// returning an error stops the run with that error.
//
// When no rule needs types, files and directories are parsed directly, a
// directory recursively the way gofmt reads it, so they need no module;
// package patterns are listed with the go command and their files parsed
// one by one. When a rule needs types, the packages are loaded with
// golang.org/x/tools/go/packages and rules see each package once, each file
// in exactly one package even when test variants repeat it.
//
// Problems with single files or packages are reported through emit and do
// not stop the run; Run's error is for problems with the run as a whole.
func Run(ctx context.Context, cfg Config, rules []*Rule, args []string, emit func(*FileResult) error) error {
	if len(rules) == 0 {
		return errors.New("no rules to run")
	}
	for _, r := range rules {
		if err := r.Validate(); err != nil {
			return err
		}
	}
	dir, err := cfg.dir()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return errors.New("no packages or files to process")
	}
	if anyNeedsTypes(rules) {
		return runTyped(ctx, cfg, dir, rules, args, emit)
	}
	return runSyntactic(ctx, cfg, dir, rules, args, emit)
}

// RunSource runs rules over one file given as bytes (standard input, say).
// Rules that need types see the file type-checked alone, with its imports
// read from compiled export data.
func RunSource(ctx context.Context, cfg Config, rules []*Rule, filename string, src []byte) (*FileResult, error) {
	for _, r := range rules {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	if anyNeedsTypes(rules) {
		return runSourceTyped(ctx, cfg, rules, filename, src)
	}
	return processSource(cfg, rules, filename, src, true), nil
}

// RunSourceAs runs rules over src as the content of filename, a file of a
// package on disk (an editor's unsaved buffer, piped in): rules that need
// types see src type-checked with the other files of that package, read
// from disk, in place of the file's content there. The file is not written
// and need not exist; positions name filename, made absolute.
func RunSourceAs(ctx context.Context, cfg Config, rules []*Rule, filename string, src []byte) (*FileResult, error) {
	dir, err := cfg.dir()
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(filename) {
		filename = filepath.Join(dir, filename)
	}
	if !anyNeedsTypes(rules) {
		return RunSource(ctx, cfg, rules, filename, src)
	}
	cfg.overlay = map[string][]byte{filename: src}
	res := &FileResult{Filename: filename, Src: src}
	var errs []error
	err = Run(ctx, cfg, rules, []string{filename}, func(r *FileResult) error {
		if r.Filename == filename || r.Filename != "" && evalSymlinks(r.Filename) == evalSymlinks(filename) {
			r.Filename = filename
			res = r
		} else {
			// Problems in the package's other files, or in loading it,
			// are this file's too: its types depend on them.
			errs = append(errs, r.Errs...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Errs = append(errs, res.Errs...)
	if len(res.Errs) > 0 {
		res.Out, res.Edits = nil, nil
	}
	return res, nil
}

// runSyntactic parses and rewrites files one at a time, in parallel.
func runSyntactic(ctx context.Context, cfg Config, dir string, rules []*Rule, args []string, emit func(*FileResult) error) error {
	jobs, err := listFiles(ctx, cfg, dir, args)
	if err != nil {
		return err
	}
	return ordered(ctx, len(jobs), cfg.workers(), func(i int) []*FileResult {
		j := jobs[i]
		if j.errs != nil {
			return []*FileResult{{Filename: j.name, Errs: j.errs}}
		}
		src, err := os.ReadFile(j.name)
		if err != nil {
			return []*FileResult{{Filename: j.name, Errs: []error{&Error{Pos: token.Position{Filename: j.name}, Msg: readError(err)}}}}
		}
		return []*FileResult{processSource(cfg, rules, j.name, src, j.explicit)}
	}, emit)
}

// readError words a read error without repeating the file name.
func readError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// processSource parses one file and runs syntax-only rules over it.
func processSource(cfg Config, rules []*Rule, name string, src []byte, explicit bool) *FileResult {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return &FileResult{Filename: name, Src: src, Errs: positionedErrors(name, err)}
	}
	if !cfg.IncludeGenerated && ast.IsGenerated(f) {
		res := &FileResult{Filename: name, Src: src}
		if explicit {
			res.Skipped = "generated file (use --include-generated to rewrite it)"
		}
		return res
	}
	fs := &fileState{name: name, src: src, tf: fset.File(f.FileStart), syntax: f}
	u := newUnit(fset, []*fileState{fs}, nil)
	for _, r := range rules {
		p := &Pass{Rule: r, Fset: fset, Files: []*ast.File{f}, unit: u}
		runPass(p)
	}
	return fs.finish()
}

// runPass runs one rule; when it fails or panics, the files of the pass are
// left alone and the failure is recorded against them.
func runPass(p *Pass) {
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("rule %s panicked: %v (%s)", p.Rule.Name, r, panicSite())
			}
		}()
		if err := p.Rule.Run(p); err != nil {
			return err
		}
		return p.err
	}()
	if err == nil {
		p.commit()
		return
	}
	for i, fs := range p.unit.files {
		fs.failed = true
		if i > 0 {
			continue // one message per pass
		}
		var pe *Error
		if errors.As(err, &pe) {
			fs.errs = append(fs.errs, pe)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "rule "+p.Rule.Name) {
			msg = "rule " + p.Rule.Name + ": " + msg
		}
		if len(p.unit.files) > 1 {
			msg += fmt.Sprintf(" (%d files of the package left unchanged)", len(p.unit.files))
		}
		fs.errs = append(fs.errs, &Error{Pos: token.Position{Filename: fs.name}, Msg: msg})
	}
}

// panicSite names the function and line that panicked: the first frame
// below the runtime's panic machinery.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s at %s:%d", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return "unknown location"
		}
	}
}

// ordered runs work(0..n-1) on a pool of workers and calls emit with the
// results in index order. At most a few results per worker wait to be
// emitted, which bounds memory however many files there are.
func ordered(ctx context.Context, n, workers int, work func(int) []*FileResult, emit func(*FileResult) error) error {
	type job struct {
		i   int
		out chan []*FileResult
	}
	jobs := make(chan job)
	queue := make(chan chan []*FileResult, 2*workers)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel() // unblocks the producer, which closes jobs, which stops the workers
		wg.Wait()
	}()
	go func() {
		defer close(jobs)
		defer close(queue)
		for i := 0; i < n; i++ {
			out := make(chan []*FileResult, 1)
			select {
			case queue <- out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{i, out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out <- work(j.i)
			}
		}()
	}
	for out := range queue {
		var rs []*FileResult
		select {
		case rs = <-out:
		case <-ctx.Done():
			return ctx.Err()
		}
		for _, r := range rs {
			if r == nil || r.Out == nil && len(r.Errs) == 0 && r.Skipped == "" {
				continue
			}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
