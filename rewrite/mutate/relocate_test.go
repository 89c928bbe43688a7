package mutate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestEscapes: a tree whose go.mod or go.work names a directory outside
// it by a relative path cannot be built through a link elsewhere.
func TestEscapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  bool
	}{
		{"plain", map[string]string{"go.mod": "module m\n"}, false},
		{"replace inside", map[string]string{"go.mod": "module m\nreplace x => ./x\n"}, false},
		{"replace outside", map[string]string{"go.mod": "module m\nreplace x => ../x\n"}, true},
		{"replace absolute", map[string]string{"go.mod": "module m\nreplace x => /elsewhere/x\n"}, false},
		{"replace by version", map[string]string{"go.mod": "module m\nreplace x => y v1.0.0\n"}, false},
		{"use outside", map[string]string{"go.work": "go 1.22\nuse ../a\n"}, true},
		{"module of the workspace", map[string]string{"go.work": "go 1.22\nuse ./a\n", "a/go.mod": "module a\nreplace x => ../../x\n"}, true},
		{"workspace inside", map[string]string{"go.work": "go 1.22\nuse ./a\n", "a/go.mod": "module a\nreplace x => ../b\n"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range tc.files {
				os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o777)
				if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if got := escapes(root); got != tc.want {
				t.Errorf("escapes = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestOverlayConcurrent: workers that write the build's overlay file at
// once never leave it half written for a go command to read.
func TestOverlayConcurrent(t *testing.T) {
	dir := t.TempDir()
	rl := &relocation{root: "/src/m", build: "/cache/m___"}
	path := filepath.Join(dir, "overlay.json")
	replace := map[string]string{}
	for i := range 200 {
		replace[fmt.Sprintf("/src/m/f%d.go", i)] = fmt.Sprintf("/tmp/f%d.go", i)
	}
	data, _ := json.Marshal(struct{ Replace map[string]string }{replace})
	if err := os.WriteFile(path, data, 0o666); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				out, err := rl.overlay(path)
				if err != nil {
					errs <- err
					return
				}
				got, err := os.ReadFile(out)
				if err == nil && !json.Valid(got) {
					err = fmt.Errorf("half-written overlay: %d bytes", len(got))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
