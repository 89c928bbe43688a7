package mutate

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSandboxRepair: whatever a test run does to the copy (files changed,
// removed or added, read-only directories, modes, links), repair restores
// it, and the original is never touched.
func TestSandboxRepair(t *testing.T) {
	orig := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(orig, rel)
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n")
	write("p/p.go", "package p\n")
	write("p/testdata/golden.txt", "golden\n")
	write(".git/HEAD", "ref\n")
	if err := os.Symlink("testdata/golden.txt", filepath.Join(orig, "p", "link")); err != nil {
		t.Fatal(err)
	}
	shared := t.TempDir()
	if err := os.Symlink(shared, filepath.Join(orig, "abs")); err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(t.TempDir(), "copy")
	sb, err := newSandbox(orig, copyDir, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(copyDir, ".git")); !os.IsNotExist(err) {
		t.Errorf(".git copied: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(copyDir, "p", "link")); string(got) != "golden\n" {
		t.Errorf("relative link in the copy reads %q", got)
	}
	if target, _ := os.Readlink(filepath.Join(copyDir, "abs")); target != shared {
		t.Errorf("link out of the tree points at %q", target)
	}
	snapshot := func(dir string) map[string]string {
		out := make(map[string]string)
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			info, _ := d.Info()
			v := info.Mode().String()
			if info.Mode().IsRegular() {
				data, _ := os.ReadFile(p)
				v += string(data)
			}
			out[rel] = v
			return nil
		})
		return out
	}
	before, origBefore := snapshot(copyDir), snapshot(orig)

	// What a misbehaving test might do.
	c := func(rel string) string { return filepath.Join(copyDir, rel) }
	os.WriteFile(c("p/testdata/golden.txt"), []byte("overwritten, longer\n"), 0o644)
	os.Remove(c("p/p.go"))
	os.WriteFile(c("p/new.txt"), []byte("new"), 0o644)
	os.MkdirAll(c("p/out/ro/deeper"), 0o777)
	os.WriteFile(c("p/out/ro/deeper/f"), []byte("x"), 0o644)
	os.Chmod(c("p/out/ro/deeper"), 0o555)
	os.Chmod(c("p/out/ro"), 0o555)
	os.Chmod(c("go.mod"), 0o600)
	os.Remove(c("p/link"))
	os.Symlink("elsewhere", c("p/link"))

	n, err := sb.repair()
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("repair found nothing to do")
	}
	after := snapshot(copyDir)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %q after repair, want %q", k, after[k], v)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s left in the copy", k)
		}
	}
	if n, err := sb.repair(); err != nil || n != 0 {
		t.Errorf("a second repair did %d things (%v)", n, err)
	}
	origAfter := snapshot(orig)
	for k, v := range origBefore {
		if origAfter[k] != v {
			t.Errorf("original %s changed", k)
		}
	}
}
