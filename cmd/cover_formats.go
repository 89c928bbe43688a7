package cmd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/cover/covfmt"
	"github.com/spf13/pflag"
)

// coverFormats are the files in the formats CI services read that cover
// and cover report write.
type coverFormats struct {
	lcov, cobertura, sonar string
}

func (o *coverFormats) register(fl *pflag.FlagSet) {
	fl.StringVar(&o.lcov, "lcov", "", "also write an LCOV tracefile (Codecov, Coveralls, genhtml), with branch records under --branch")
	fl.StringVar(&o.cobertura, "cobertura", "", "also write Cobertura XML (GitLab, Jenkins), with condition coverage under --branch")
	fl.StringVar(&o.sonar, "sonar", "", "also write SonarQube generic coverage XML")
}

func (o *coverFormats) any() bool { return o.lcov != "" || o.cobertura != "" || o.sonar != "" }

// write writes the files asked for. Names in them are relative to the
// main module's root.
func (a *app) writeCoverFormats(o *coverFormats, blocks []cover.Block, counts cover.Counts, branches []cover.Branch, branchCounts cover.Counts) error {
	if !o.any() {
		return nil
	}
	c := covfmt.New(moduleRoot(a.dir), blocks, counts, branches, branchCounts)
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{o.lcov, func(w io.Writer) error { return covfmt.WriteLCOV(w, c) }},
		{o.cobertura, func(w io.Writer) error { return covfmt.WriteCobertura(w, c, time.Now()) }},
		{o.sonar, func(w io.Writer) error { return covfmt.WriteSonar(w, c) }},
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
