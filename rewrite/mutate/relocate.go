package mutate

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// Tests run in copies of the module (see sandbox.go), but a test binary
// records the paths of the files it was built from: runtime.Caller and
// panics name them. Tests that compare such a path with one made from
// the working directory (filepath.Abs, os.Getwd), or read files next to
// their source through it, would see the original tree from a copy: they
// fail, or worse, write into the user's tree.
//
// So the go command builds through a link to the tree whose path is as
// long as the copies' paths, and a worker's binary has that path replaced
// by its copy's in the binary's table of file names. Under go test a
// test sees one tree: in a copy, it sees the copy. The link's path
// depends only on the tree's, so the build cache serves every run, as it
// does when building in place.

// relocation says where builds see the tree and where copies of it are.
type relocation struct {
	root  string // the tree
	build string // a symbolic link to root, which builds go through
	// copyName names worker w's copy, a path as long as build.
	copyName func(w int) string
}

// newRelocation links the tree root for builds and names the copies in
// dir. It returns nil when binaries cannot be relocated here: their
// format is not ELF, or the tree's go.mod or go.work names directories
// outside it by relative paths, which a link elsewhere would not reach.
// Tests then run in copies with the original paths in their binaries.
func newRelocation(root, dir string) (*relocation, error) {
	if !relocatable() || escapes(root) {
		return nil, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	links := filepath.Join(base, "gorewrite", "trees", fmt.Sprintf("%x", sum[:8]))
	if err := os.MkdirAll(links, 0o777); err != nil {
		return nil, err
	}
	// Copies are dir/tNNN (for up to a thousand workers), the link
	// links/m: the shorter is padded with underscores.
	copyLen := len(filepath.Join(dir, "t000"))
	linkLen := len(filepath.Join(links, "m"))
	build := filepath.Join(links, "m"+strings.Repeat("_", max(copyLen-linkLen, 0)))
	pad := strings.Repeat("_", max(linkLen-copyLen, 0))
	rel := &relocation{root: root, build: build, copyName: func(w int) string {
		return filepath.Join(dir, fmt.Sprintf("t%03d%s", w, pad))
	}}
	if target, err := os.Readlink(build); err == nil && target == root {
		return rel, nil
	}
	tmp := build + ".new" + fmt.Sprint(os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(root, tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, build); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return rel, nil
}

// relocatable reports whether this system's binaries are ELF, whose table
// of file names relocate finds by its section (.gopclntab). Mach-O
// binaries are signed, and a changed byte breaks the signature.
func relocatable() bool {
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	f, err := elf.Open(exe)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// escapes reports whether root's go.work or go.mod reaches outside root by
// a relative path (a use or replace of ../other).
func escapes(root string) bool {
	outside := func(dir, path string) bool {
		if !modfile.IsDirectoryPath(path) || filepath.IsAbs(path) {
			return false
		}
		rel, err := filepath.Rel(root, filepath.Join(dir, path))
		return err != nil || !filepath.IsLocal(rel) && rel != "."
	}
	mods := []string{root}
	if data, err := os.ReadFile(filepath.Join(root, "go.work")); err == nil {
		wf, err := modfile.ParseWork("go.work", data, nil)
		if err != nil {
			return true
		}
		for _, u := range wf.Use {
			if outside(root, u.Path) {
				return true
			}
			mods = append(mods, filepath.Join(root, u.Path))
		}
		for _, r := range wf.Replace {
			if outside(root, r.New.Path) {
				return true
			}
		}
	}
	for _, dir := range mods {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			continue
		}
		mf, err := modfile.Parse("go.mod", data, nil)
		if err != nil {
			return true
		}
		for _, r := range mf.Replace {
			if outside(dir, r.New.Path) {
				return true
			}
		}
	}
	return false
}

// buildPath returns where path, in the tree, is for builds.
func (rl *relocation) buildPath(path string) string {
	if rl == nil {
		return path
	}
	rel, err := filepath.Rel(rl.root, path)
	switch {
	case err != nil || !filepath.IsLocal(rel) && rel != ".":
		return path
	case rel == ".":
		return rl.build
	}
	return filepath.Join(rl.build, rel)
}

// original returns msg (the go command's) with the tree's files named as
// the user knows them.
func (rl *relocation) original(msg string) string {
	if rl == nil {
		return msg
	}
	return strings.ReplaceAll(msg, rl.build, rl.root)
}

// buildEnv returns env for a go command building through the link: its
// working directory (PWD, which the go command believes when it names
// the same directory) and GOWORK when it names a file in the tree.
func (rl *relocation) buildEnv(env []string, dir string) []string {
	if rl == nil {
		return env
	}
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOWORK="); ok && filepath.IsAbs(v) {
			kv = "GOWORK=" + rl.buildPath(v)
		}
		if !strings.HasPrefix(kv, "PWD=") {
			out = append(out, kv)
		}
	}
	return append(out, "PWD="+dir)
}

// overlay writes a copy of the overlay file at path whose replaced files
// are named as builds see them, and returns its name.
func (rl *relocation) overlay(path string) (string, error) {
	if rl == nil {
		return path, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var o struct{ Replace map[string]string }
	if err := json.Unmarshal(data, &o); err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	moved := make(map[string]string, len(o.Replace))
	for k, v := range o.Replace {
		moved[rl.buildPath(k)] = v
	}
	o.Replace = moved
	if data, err = json.Marshal(o); err != nil {
		return "", err
	}
	// Workers build with the same overlay at once: the file is replaced
	// whole (a temporary file renamed), never seen half written by a go
	// command another worker started.
	out := strings.TrimSuffix(path, ".json") + ".build.json"
	tmp, err := os.CreateTemp(filepath.Dir(out), ".overlay-*.json")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return out, nil
}

// relocate writes to dst the test binary bin with the build path replaced
// by copyPath (as long) in its table of file names.
func (rl *relocation) relocate(bin, dst, copyPath string) error {
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %v", bin, err)
	}
	sec := f.Section(".gopclntab")
	if sec == nil || sec.Type == elf.SHT_NOBITS || sec.Offset+sec.Size > uint64(len(data)) {
		return fmt.Errorf("%s: no .gopclntab section", bin)
	}
	from, to := []byte(rl.build+string(filepath.Separator)), []byte(copyPath+string(filepath.Separator))
	if len(from) != len(to) {
		return errors.New("relocating a test binary: paths of different lengths")
	}
	table := data[sec.Offset : sec.Offset+sec.Size]
	for i := bytes.Index(table, from); i >= 0; {
		copy(table[i:], to)
		next := bytes.Index(table[i+len(to):], from)
		if next < 0 {
			break
		}
		i += len(to) + next
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, data, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
