package mutate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
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

// ExcludeFiles marks Ignored the mutants of files (RelFile, relative to
// the module's root) that one of the globs matches: path.Match patterns,
// where ** also matches any number of directories ("**/*_gen.go",
// "internal/legacy/**"). It returns how many it marked.
func ExcludeFiles(mutants []*Mutant, globs []string) int {
	n := 0
	for _, m := range mutants {
		if m.Status == Ignored {
			continue
		}
		for _, g := range globs {
			if globMatch(g, m.RelFile) {
				m.Status = Ignored
				m.StatusReason = "in a file " + g + " matches (exclude-files)"
				n++
				break
			}
		}
	}
	return n
}

// ExcludeFuncs marks Ignored the mutants in functions whose name
// (Name, or Type.Name for a method) re matches. It returns how many.
func ExcludeFuncs(mutants []*Mutant, re *regexp.Regexp) int {
	n := 0
	for _, m := range mutants {
		if m.Status != Ignored && m.Func != "" && re.MatchString(m.Func) {
			m.Status = Ignored
			m.StatusReason = "in " + m.Func + " (exclude-funcs)"
			n++
		}
	}
	return n
}

// globMatch matches name, slash-separated, against pattern, as path.Match
// does element by element, with ** matching any number of elements.
func globMatch(pattern, name string) bool {
	return matchElems(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchElems(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchElems(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
