package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtelGet runs trace --otel --get -w on a module that does not require
// OpenTelemetry: go get and go mod tidy add it (from the module proxy),
// the go directive's change is reported, and the module then builds,
// vets and tests clean with the spans in.
func TestOtelGet(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"store/store.go": `package store

import "context"

func Get(ctx context.Context, key string) (string, error) {
	return key, ctx.Err()
}
`,
		"store/store_test.go": `package store

import (
	"context"
	"testing"
)

func TestGet(t *testing.T) {
	if v, err := Get(context.Background(), "k"); v != "k" || err != nil {
		t.Fatal(v, err)
	}
}
`,
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"trace", "--otel", "--record-panics", "--get", "-w", "./..."}, nil, &stdout, &stderr, dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"gorewrite: go get go.opentelemetry.io/otel go.opentelemetry.io/otel/trace && go mod tidy",
		"go.mod's go directive went from 1.22 to",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !bytes.Contains(mod, []byte("go.opentelemetry.io/otel v")) {
		t.Errorf("go.mod does not require OpenTelemetry:\n%s", mod)
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
