package mutate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

// ExcludeCalls marks Ignored the mutants inside a call whose function, as
// written (fmt.Errorf, t.Logf, s.log.Printf), re matches: in its
// arguments, or the removal of the statement the call is. Logging and
// error wrapping are what such calls usually do, and a test that checks
// every message is rarely worth writing. sources holds the mutants'
// files, by Mutant.File. It returns how many mutants it marked.
func ExcludeCalls(mutants []*Mutant, sources map[string][]byte, re *regexp.Regexp) int {
	byFile := make(map[string][]*Mutant)
	for _, m := range mutants {
		if m.Status != Ignored {
			byFile[m.File] = append(byFile[m.File], m)
		}
	}
	n := 0
	for file, ms := range byFile {
		src := sources[file]
		f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		base := int(f.FileStart)
		type span struct {
			start, end int
			name       string
			stmt       bool // the span is a statement that is the call
		}
		var spans []span
		ast.Inspect(f, func(x ast.Node) bool {
			var call *ast.CallExpr
			var stmt ast.Node
			switch x := x.(type) {
			case *ast.CallExpr:
				call = x
			case *ast.ExprStmt:
				call, _ = x.X.(*ast.CallExpr)
				stmt = x
			case *ast.DeferStmt:
				call, stmt = x.Call, x
			case *ast.GoStmt:
				call, stmt = x.Call, x
			}
			if call == nil {
				return true
			}
			name := strings.Join(strings.Fields(string(src[int(call.Fun.Pos())-base:int(call.Fun.End())-base])), "")
			if !re.MatchString(name) {
				return true
			}
			if stmt != nil {
				spans = append(spans, span{int(stmt.Pos()) - base, int(stmt.End()) - base, name, true})
			} else {
				spans = append(spans, span{int(call.Pos()) - base, int(call.End()) - base, name, false})
			}
			return true
		})
		for _, m := range ms {
			for _, s := range spans {
				inside := !s.stmt && s.start <= m.Offset && m.EndOffset <= s.end
				whole := s.stmt && s.start == m.Offset && m.EndOffset == s.end
				if inside || whole {
					m.Status = Ignored
					m.StatusReason = "in a call of " + s.name + " (--exclude-calls)"
					n++
					break
				}
			}
		}
	}
	return n
}
