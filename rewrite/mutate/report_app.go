package mutate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/mutate/internal/elements"
)

// WriteAppHTML writes r as one self-contained page on Stryker's report app,
// the mutation-testing-elements web component that Stryker, Stryker.NET and
// PIT render their reports with: a file tree with a score per directory and
// file, the source with its mutants, filters by status, and the tests view
// (which tests cover and kill which mutants). The component's script and
// the report (the --json report) are inlined; the page loads nothing from
// the network.
func WriteAppHTML(w io.Writer, r *Report) error {
	var report bytes.Buffer
	if err := WriteJSON(&report, r); err != nil {
		return err
	}
	// In a script element, "</script" would end it: no '<' may appear in
	// the JSON, and none can outside its strings.
	var compact bytes.Buffer
	if err := json.Compact(&compact, report.Bytes()); err != nil {
		return err
	}
	data := bytes.ReplaceAll(compact.Bytes(), []byte("<"), []byte(`\u003c`))
	title := "gorewrite mutate"
	if r.Root != "" {
		title += ": " + r.Root
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<!-- mutation-testing-elements %s (Apache-2.0): https://github.com/stryker-mutator/mutation-testing-elements -->
<script>
`, html.EscapeString(title), elements.Version)
	b.WriteString(strings.ReplaceAll(elements.Script, "</script", `<\/script`))
	b.WriteString(`
</script>
</head>
<body>
<mutation-test-report-app title-postfix="gorewrite"></mutation-test-report-app>
<script>
document.querySelector("mutation-test-report-app").report = `)
	b.Write(data)
	b.WriteString(`;
</script>
</body>
</html>
`)
	_, err := w.Write(b.Bytes())
	return err
}
