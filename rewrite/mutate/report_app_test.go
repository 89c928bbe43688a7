package mutate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// probe, added to the page under test, waits until the app has rendered
// the report, then writes the rows of every table it shows (through the
// components' shadow roots) as JSON into a <pre id="probe"> of the
// document, which chromium --dump-dom prints.
const probe = `<script>
function rows(n, out) {
	if (n.shadowRoot) rows(n.shadowRoot, out);
	for (const c of n.children || []) {
		if (c.tagName === "TR") out.push([...c.querySelectorAll("th, td")].map(x => x.textContent.replace(/\s+/g, " ").trim()));
		else rows(c, out);
	}
	return out;
}
function report() {
	const r = rows(document.querySelector("mutation-test-report-app"), []);
	if (r.length < 3) { setTimeout(report, 100); return; }
	const pre = document.createElement("pre");
	pre.id = "probe";
	pre.textContent = JSON.stringify(r);
	document.body.appendChild(pre);
}
report();
</script>`

// TestAppHTML opens the page in headless Chromium and checks what Stryker's
// report app shows: a row for all files and one per file, each with the
// score gorewrite computes and the number of mutants of each status.
// .ci/run installs Chromium; where it is missing the test is skipped,
// unless GOREWRITE_REQUIRE_TOOLS=1 says it must run.
func TestAppHTML(t *testing.T) {
	r := reportFixture(t)
	chromium, name := appPage(t, r)
	tables := renderedTables(t, chromium, "file://"+name)
	// The header names the score, then ten counts; a file's row has its
	// name, the score of all mutants and of the covered ones (each after
	// an empty cell, a bar), then the counts.
	var header []string
	shown := map[string]map[string]string{} // row name -> column -> cell
	for _, row := range tables {
		if len(row) > 0 && strings.HasPrefix(row[0], "File / Directory") {
			header = row
			continue
		}
		if len(header) != 12 || len(row) != 15 {
			continue
		}
		cells := map[string]string{"Mutation Score": row[2]}
		for i, h := range header[2:] {
			cells[h] = row[5+i]
		}
		shown[row[0]] = cells
	}
	want := map[string][]*Mutant{"All files": r.Mutants}
	for _, m := range r.Mutants {
		want[m.RelFile] = append(want[m.RelFile], m)
	}
	for name, ms := range want {
		cells, ok := shown[name]
		if !ok {
			t.Errorf("no row for %s in %q", name, tables)
			continue
		}
		score, _ := Score(ms)
		if got := cells["Mutation Score"]; got != fmt.Sprintf("%.2f", score) {
			t.Errorf("%s: the app shows a score of %s, gorewrite %.2f", name, got, score)
		}
		count := map[Status]int{}
		for _, m := range ms {
			count[m.Status]++
		}
		for col, st := range map[string]Status{
			"Killed": Killed, "Survived": Survived, "Timeout": Timeout, "No coverage": NoCoverage,
			"Ignored": Ignored, "Runtime errors": RuntimeError, "Compile errors": CompileError,
		} {
			if got := cells[col]; got != fmt.Sprint(count[st]) {
				t.Errorf("%s: the app shows %s %s, the report has %d", name, got, col, count[st])
			}
		}
		if got := cells["Total"]; got != fmt.Sprint(len(ms)) {
			t.Errorf("%s: the app shows %s mutants, the report has %d", name, got, len(ms))
		}
	}
}

// appPage writes r's page, with the probe, to a file, and returns
// Chromium's path and the file's. Chromium missing skips the test, unless
// GOREWRITE_REQUIRE_TOOLS=1 (.ci/run) says it must run.
func appPage(t *testing.T, r *Report) (chromium, name string) {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("GOREWRITE_REQUIRE_TOOLS") == "1" {
			t.Fatal("chromium is not installed")
		}
		t.Skip("no chromium")
	}
	var page bytes.Buffer
	if err := WriteAppHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	name = filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(name, bytes.Replace(page.Bytes(), []byte("</body>"), []byte(probe+"\n</body>"), 1), 0o666); err != nil {
		t.Fatal(err)
	}
	return chromium, name
}

// renderedTables opens url in headless Chromium, with no network (the page
// must render from what it holds), and returns the rows of the tables the
// probe in the page reported.
func renderedTables(t *testing.T, chromium, url string) [][]string {
	t.Helper()
	out, err := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--virtual-time-budget=20000", "--dump-dom", url).Output()
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(out, []byte(`<pre id="probe">`))
	before, _, ok2 := bytes.Cut(after, []byte("</pre>"))
	if !ok || !ok2 {
		t.Fatalf("the app rendered no table:\n%s", out[max(0, len(out)-3000):])
	}
	var tables [][]string
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(before), "&quot;", `"`)), &tables); err != nil {
		t.Fatalf("%v: %s", err, before)
	}
	return tables
}

// TestAppHTMLTests checks the app's tests view (#test): how many tests
// kill a mutant, only cover some, or cover none, from the report's
// coveredBy and killedBy.
func TestAppHTMLTests(t *testing.T) {
	r := reportFixture(t)
	chromium, name := appPage(t, r)
	killing, covering := map[string]bool{}, map[string]bool{}
	for _, m := range r.Mutants {
		for _, id := range m.KilledBy {
			killing[id] = true
		}
		for _, id := range m.CoveredBy {
			covering[id] = true
		}
	}
	var k, c, n int
	for _, test := range r.Tests {
		switch {
		case killing[test.ID]:
			k++
		case covering[test.ID]:
			c++
		default:
			n++
		}
	}
	want := fmt.Sprintf("%q", []string{"All tests", fmt.Sprint(k), fmt.Sprint(c), fmt.Sprint(n), fmt.Sprint(len(r.Tests))})
	for _, row := range renderedTables(t, chromium, "file://"+name+"#test") {
		if len(row) > 0 && row[0] == "All tests" {
			if got := fmt.Sprintf("%q", row); got != want {
				t.Errorf("tests view: %s, want %s", got, want)
			}
			return
		}
	}
	t.Error("the tests view shows no row for all tests")
}

// TestAppHTMLEscape checks that source text cannot end the page's script
// elements: the report's '<' are escaped.
func TestAppHTMLEscape(t *testing.T) {
	r := reportFixture(t)
	r.Sources["a/calc.go"] = append([]byte("// </script><script>alert(1)</script>\n"), r.Sources["a/calc.go"]...)
	var page bytes.Buffer
	if err := WriteAppHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(page.String(), "</script>"); n != 2 {
		t.Errorf("%d </script> in the page, want 2 (the component's and the report's)", n)
	}
	if !strings.Contains(page.String(), `alert(1)`) || strings.Contains(page.String(), "<script>alert") {
		t.Error("the source's text is not in the report, escaped")
	}
}
