package cover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/gocmd"
)

// listedPackage is what go list says about a package: the fields
// instrumentation needs, which go/packages does not expose (CgoFiles and
// the test files apart from the test variants) and which need no type
// checking.
type listedPackage struct {
	ImportPath      string
	Name            string
	Dir             string
	Standard        bool
	GoFiles         []string
	CgoFiles        []string
	TestGoFiles     []string
	XTestGoFiles    []string
	Imports         []string
	EmbedFiles      []string
	TestEmbedFiles  []string
	XTestEmbedFiles []string
	Module          *listedModule
	Error           *struct{ Err string }
	Match           []string
}

type listedModule struct {
	Path, Dir, GoVersion string
	Main                 bool
}

// goList lists the packages matching patterns.
func goList(ctx context.Context, dir string, env, flags, patterns []string) ([]*listedPackage, error) {
	flags = gocmd.Flags(env, flags) // go.mod and go.sum are never updated
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Dir,Standard,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,EmbedFiles,TestEmbedFiles,XTestEmbedFiles,Imports,Module,Error,Match"}, flags...)
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(gocmd.Explain(msg, env, flags))
	}
	var pkgs []*listedPackage
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %v", err)
		}
		pkgs = append(pkgs, &p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ImportPath < pkgs[j].ImportPath })
	return pkgs, nil
}

// readSources reads the named files of dir.
func readSources(dir string, names ...[]string) ([]Source, error) {
	var out []Source
	for _, list := range names {
		for _, n := range list {
			name := filepath.Join(dir, n)
			src, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			out = append(out, Source{Name: name, Src: src})
		}
	}
	return out, nil
}

// buildFlags picks out of go test flags those that change which files a
// package has, for go list.
func buildFlags(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		key, _, hasValue := strings.Cut(name, "=")
		switch key {
		case "tags", "mod", "modfile":
			if hasValue {
				out = append(out, a)
			} else if i+1 < len(args) {
				out = append(out, a, args[i+1])
				i++
			}
		case "race", "msan", "asan":
			out = append(out, a)
		}
	}
	return out
}
