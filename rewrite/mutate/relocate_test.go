package mutate

import (
	"os"
	"path/filepath"
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
