package stub

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// Templates are the text/template templates a test is written with: Test
// executes with a TestData and writes one test function (with, when
// TestData.Table is set, the package-level table before it); Fuzz executes
// with a FuzzData and writes one fuzz target.
//
// Both may call pkg "import/path", which returns the name the file refers
// to that package by and imports it; a path outside the standard library
// must be a module the test's module requires. A test template may use the
// templates "begin" (everything up to the call: the table, the loop, the
// subtest, the receiver), "end" (what closes them) and "fields" (the
// table's fields): a template that only writes its own checks between
// begin and end is a few lines.
type Templates struct {
	Name       string
	Test, Fuzz *template.Template
}

// funcs holds stand-ins for the functions templates may call, so that they
// parse; each execution binds the real ones.
var funcs = template.FuncMap{"pkg": func(string) (string, error) { return "", errors.New("pkg outside execution") }}

// BuiltinTemplates names the templates --template takes by name.
var BuiltinTemplates = []string{"default", "testify"}

// LoadTemplates returns the built-in templates called name, or the
// templates of directory name: test.tmpl, and fuzz.tmpl if there is one
// (the default fuzz template otherwise).
func LoadTemplates(name string) (*Templates, error) {
	// The common templates are defined apart, so that a template's line
	// numbers are its own in error messages.
	parse := func(tname, text string) (*template.Template, error) {
		t, err := template.New(tname).Funcs(funcs).Option("missingkey=error").Parse(text)
		if err != nil {
			return nil, err
		}
		if _, err := t.New("common").Parse(commonTemplates); err != nil {
			return nil, err
		}
		return t, nil
	}
	fuzz, err := parse("fuzz", fuzzTemplate)
	if err != nil {
		return nil, err
	}
	switch name {
	case "", "default":
		t, err := parse("default", defaultTemplate)
		return &Templates{Name: "default", Test: t, Fuzz: fuzz}, err
	case "testify":
		t, err := parse("testify", testifyTemplate)
		return &Templates{Name: "testify", Test: t, Fuzz: fuzz}, err
	}
	fi, err := os.Stat(name)
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("template %q: not %s, nor a directory holding test.tmpl", name, strings.Join(BuiltinTemplates, " or "))
	}
	text, err := os.ReadFile(filepath.Join(name, "test.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("template directory %s: %v", name, err)
	}
	test, err := parse(filepath.Join(name, "test.tmpl"), string(text))
	if err != nil {
		return nil, err
	}
	if text, err := os.ReadFile(filepath.Join(name, "fuzz.tmpl")); err == nil {
		if fuzz, err = parse(filepath.Join(name, "fuzz.tmpl"), string(text)); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("template directory %s: %v", name, err)
	}
	return &Templates{Name: name, Test: test, Fuzz: fuzz}, nil
}

// commonTemplates are defined for every test template: "fields" writes
// the fields of the table's struct; "begin" everything up to and with the
// call (the table, the loop, the subtest, the receiver); "end" closes what
// begin opened. A template writes the checks between them.
const commonTemplates = `{{define "fields"}}
		name string
{{- range .Fields}}
		{{.Name}} {{.Type}}
{{- end}}
{{- if .Err}}
		wantErr bool
{{- end}}
{{- if .ErrMsg}}
		{{.ErrMsg}} string
{{- end}}
{{end}}

{{- define "begin"}}
{{- if .Table -}}
var {{.Table}} = []struct {
{{- template "fields" .}}
}{
{{- range .Rows}}
	{{.}},
{{- else}}
	// TODO: Add test cases.
{{- end}}
}

{{end -}}
func {{.Name}}({{.T}} *{{pkg "testing"}}.T) {
{{- if .Parallel}}
	{{.T}}.Parallel()
{{- end}}
{{- if not .Table}}
	{{.Tests}} := []struct {
{{- template "fields" .}}
	}{
{{- range .Rows}}
		{{.}},
{{- else}}
		// TODO: Add test cases.
{{- end}}
	}
{{- end}}
	for _, {{.TT}} := range {{.Range}} {
{{- if .LoopCopy}}
		{{.TT}} := {{.TT}}
{{- end}}
		{{.T}}.Run({{.TT}}.name, func({{.T}} *{{pkg "testing"}}.T) {
{{- if .Parallel}}
			{{.T}}.Parallel()
{{- end}}
{{- range .Setup}}
			{{.}}
{{- end}}
			{{if .Gots}}{{.Gots}} {{.Assign}} {{end}}{{.Call}}
{{- end}}

{{- define "end"}}
		})
	}
}
{{end}}`

const defaultTemplate = `{{template "begin" .}}
{{- if .Err}}
			if ({{.Err}} != nil) != {{.TT}}.wantErr {
				{{.T}}.Fatalf("{{.Func}}() error = %v, wantErr %v", {{.Err}}, {{.TT}}.wantErr)
			}
{{- if .ErrMsg}}
			if {{.Err}} != nil && {{.TT}}.{{.ErrMsg}} != "" && {{.Err}}.Error() != {{.TT}}.{{.ErrMsg}} {
				{{.T}}.Errorf("{{.Func}}() error = %q, want %q", {{.Err}}.Error(), {{.TT}}.{{.ErrMsg}})
			}
{{- end}}
{{- if .Checks}}
			if {{.TT}}.wantErr {
				return
			}
{{- end}}
{{- end}}
{{- range .Checks}}
{{- if .String}}
			if {{.Got}} := {{.Expr}}; {{.Got}} != {{.Want}} {
				{{$.T}}.Errorf("{{.Label}} = %q, want %q", {{.Got}}, {{.Want}})
			}
{{- else if eq $.Compare "cmp"}}
			if {{$.Diff}} := {{pkg "github.com/google/go-cmp/cmp"}}.Diff({{.Want}}, {{.Got}}); {{$.Diff}} != "" {
				{{$.T}}.Errorf("{{.Label}} mismatch (-want +got):\n%s", {{$.Diff}})
			}
{{- else}}
			if !{{pkg "reflect"}}.DeepEqual({{.Got}}, {{.Want}}) {
				{{$.T}}.Errorf("{{.Label}} = {{.Verb}}, want {{.Verb}}", {{.Got}}, {{.Want}})
			}
{{- end}}
{{- end}}
{{- template "end" .}}`

const testifyTemplate = `{{template "begin" .}}
{{- if .Err}}
			if {{.TT}}.wantErr {
				{{pkg "github.com/stretchr/testify/assert"}}.Error({{.T}}, {{.Err}}, "{{.Func}}()")
{{- if .ErrMsg}}
				if {{.TT}}.{{.ErrMsg}} != "" {
					{{pkg "github.com/stretchr/testify/assert"}}.EqualError({{.T}}, {{.Err}}, {{.TT}}.{{.ErrMsg}}, "{{.Func}}()")
				}
{{- end}}
				return
			}
			{{pkg "github.com/stretchr/testify/require"}}.NoError({{.T}}, {{.Err}}, "{{.Func}}()")
{{- end}}
{{- range .Checks}}
{{- if .String}}
			{{pkg "github.com/stretchr/testify/assert"}}.Equal({{$.T}}, {{.Want}}, {{.Expr}}, "{{.Label}}")
{{- else}}
			{{pkg "github.com/stretchr/testify/assert"}}.Equal({{$.T}}, {{.Want}}, {{.Got}}, "{{.Label}}")
{{- end}}
{{- end}}
{{- template "end" .}}`

const fuzzTemplate = `func {{.Name}}({{.F}} *{{pkg "testing"}}.F) {
{{- if .Table}}
	for _, {{.TT}} := range {{.Table}} {
		{{.F}}.Add({{.Add}})
	}
{{- else}}
	{{.Seeds}} := []struct {
{{- range .Params}}
		{{.Field}} {{.Type}}
{{- end}}
	}{
		// TODO: Add seed inputs.
	}
	for _, {{.TT}} := range {{.Seeds}} {
		{{.F}}.Add({{.Add}})
	}
{{- end}}
	{{.F}}.Fuzz(func({{.T}} *{{pkg "testing"}}.T{{range .Params}}, {{.Name}} {{.FuzzType}}{{end}}) {
		{{.Call}}
	})
}
`
