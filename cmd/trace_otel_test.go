package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOtelGet runs trace --otel --get -w on a module that does not require
// OpenTelemetry: go get and go mod tidy add it (from the module proxy), in
// the newest version that needs no newer Go than the module's go 1.22, and
// the module then vets and tests clean with the spans in.
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
	if !regexp.MustCompile(`gorewrite: go get go.opentelemetry.io/otel@(v1\.\d+\.\d+) go.opentelemetry.io/otel/trace@(v1\.\d+\.\d+) && go mod tidy\n`).MatchString(stderr.String()) {
		t.Errorf("stderr lacks the go get command:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "go directive went") {
		t.Errorf("the go directive changed:\n%s", stderr.String())
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !bytes.Contains(mod, []byte("go.opentelemetry.io/otel v")) || !bytes.Contains(mod, []byte("\ngo 1.22\n")) {
		t.Errorf("go.mod does not require OpenTelemetry, or its go directive changed:\n%s", mod)
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
