package pattern

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/gorewrite/gorewrite/rewrite"
)

// A Spec is one parsed rule: "pattern -> replacement", optionally preceded
// by declarations in brackets.
type Spec struct {
	// Text is the rule as written.
	Text string

	// Exactly one of the pairs is set: expressions, or statement lists.
	pattern, replace        ast.Expr
	patternStmts, replStmts []ast.Stmt
	declared                map[string]*wildcard // nil: gofmt's convention
	imports                 []importDecl
	needsTypes              bool

	// qualPaths maps the package names that the replacement uses and the
	// pattern does not to their import paths.
	qualPaths map[string]string
}

// wildcard is a declared wildcard and the type its matches must have.
type wildcard struct {
	name  string
	any   bool   // matches any expression (or statement)
	tilde bool   // ~T: the underlying type must be T's
	typ   string // the type as written, after ~
	expr  ast.Expr
	quals map[string]qualified // placeholder -> qualified name in typ

	// Whether some package needed the type, and whether some package
	// could resolve it: a type no package knows is likely a typo.
	needed, resolved atomic.Bool
}

// qualified is a package-qualified name in a type, such as net/http.Header.
type qualified struct{ pkg, name string }

type importDecl struct{ name, path string }

// UnresolvedTypes lists the types of typed wildcards that packages of the
// run needed and none could resolve (a misspelled type, or one of a
// package none of them uses): the wildcard matched nothing.
func (s *Spec) UnresolvedTypes() []string {
	var out []string
	for _, name := range sortedNames(func() map[string]bool {
		m := make(map[string]bool)
		for n := range s.declared {
			m[n] = true
		}
		return m
	}()) {
		w := s.declared[name]
		if !w.any && w.needed.Load() && !w.resolved.Load() {
			out = append(out, fmt.Sprintf("%s (of wildcard %s)", w.typ, name))
		}
	}
	return out
}

// IsStatement reports whether the rule rewrites statements (rather than
// expressions).
func (s *Spec) IsStatement() bool { return s.patternStmts != nil }

// NeedsTypes reports whether the rule has typed wildcards.
func (s *Spec) NeedsTypes() bool { return s.needsTypes }

// isWildcard reports whether name is a wildcard of the rule.
func (s *Spec) isWildcard(name string) bool {
	if s.declared != nil {
		return s.declared[name] != nil
	}
	// gofmt -r: a single lower-case letter.
	r, size := utf8.DecodeRuneInString(name)
	return size == len(name) && unicode.IsLower(r)
}

// Parse parses one rule.
//
//	[DECLS] PATTERN -> REPLACEMENT
//
// PATTERN and REPLACEMENT are Go expressions or, when one of them is not an
// expression (or the replacement is empty), Go statements separated by
// semicolons. Without DECLS, single lower-case letters are wildcards, as in
// gofmt -r. DECLS is a semicolon-separated list of
//
//	NAME[, NAME...] TYPE     wildcards whose matches have type TYPE
//	NAME[, NAME...] ~TYPE    ... whose matches have underlying type TYPE
//	NAME[, NAME...] any      wildcards matching anything
//	import ["path"|NAME "path"]  a package the replacement refers to
//
// and with DECLS present, only declared names are wildcards.
func Parse(text string) (*Spec, error) {
	s := &Spec{Text: strings.TrimSpace(text)}
	rest := s.Text
	// Declarations are a bracketed list followed by a blank: "[x int] ...".
	// "[]byte(s) -> ..." and "[3]int{...} -> ..." start with a type.
	if strings.HasPrefix(rest, "[") {
		if end := closingBracket(rest); end > 1 && end+1 < len(rest) && (rest[end+1] == ' ' || rest[end+1] == '\t') {
			if err := s.parseDecls(rest[1:end]); err != nil {
				return nil, fmt.Errorf("rule %q: %v", s.Text, err)
			}
			rest = rest[end+1:]
		}
	}
	pat, repl, ok := splitArrow(rest)
	if !ok {
		return nil, fmt.Errorf("rule %q: want the form 'pattern -> replacement'", s.Text)
	}
	pat, repl = strings.TrimSpace(pat), strings.TrimSpace(repl)
	if pat == "" {
		return nil, fmt.Errorf("rule %q: empty pattern", s.Text)
	}
	pe, perr := parser.ParseExpr(pat)
	re, rerr := parser.ParseExpr(repl)
	if perr == nil && rerr == nil {
		s.pattern, s.replace = pe, re
		if err := s.check(); err != nil {
			return nil, err
		}
		s.findQualifiers()
		return s, nil
	}
	if perr == nil && repl == "" && !isStatementExpr(pe) {
		return nil, fmt.Errorf("rule %q: an empty replacement deletes statements, and %s is an expression that cannot be one", s.Text, pat)
	}
	ps, err := parseStmts(pat)
	if err != nil {
		if perr != nil {
			err = perr
		}
		return nil, fmt.Errorf("rule %q: pattern: %v", s.Text, cleanParseError(err))
	}
	rs, err := parseStmts(repl)
	if err != nil {
		if rerr != nil && repl != "" {
			err = rerr
		}
		return nil, fmt.Errorf("rule %q: replacement: %v", s.Text, cleanParseError(err))
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("rule %q: empty pattern", s.Text)
	}
	s.patternStmts, s.replStmts = ps, rs
	if s.replStmts == nil {
		s.replStmts = []ast.Stmt{}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	s.findQualifiers()
	return s, nil
}

// isStatementExpr reports whether x may stand alone as a statement: a call
// or a receive.
func isStatementExpr(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.CallExpr:
		return true
	case *ast.UnaryExpr:
		return x.Op == token.ARROW
	}
	return false
}

// check rejects a declared wildcard that the replacement uses and the
// pattern does not bind: it would be printed as an identifier.
func (s *Spec) check() error {
	if s.declared == nil {
		return nil // gofmt -r keeps such one-letter names as they are
	}
	wildcards := func(n ast.Node) (string, bool) {
		if id, ok := n.(*ast.Ident); ok && s.declared[id.Name] != nil {
			return id.Name, true
		}
		return "", false
	}
	pat, repl := s.sides()
	bound := collectNames(pat, wildcards)
	for _, name := range sortedNames(collectNames(repl, wildcards)) {
		if !bound[name] {
			return fmt.Errorf("rule %q: wildcard %s is used in the replacement but the pattern does not match it", s.Text, name)
		}
	}
	return nil
}

func sortedNames(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sides returns the pattern's and the replacement's syntax.
func (s *Spec) sides() (pattern, replacement []ast.Node) {
	if s.pattern != nil {
		pattern, replacement = []ast.Node{s.pattern}, []ast.Node{s.replace}
	}
	for _, st := range s.patternStmts {
		pattern = append(pattern, st)
	}
	for _, st := range s.replStmts {
		replacement = append(replacement, st)
	}
	return pattern, replacement
}

// collectNames returns the names that name picks out of the nodes.
func collectNames(nodes []ast.Node, name func(ast.Node) (string, bool)) map[string]bool {
	m := make(map[string]bool)
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			if n != nil {
				if s, ok := name(n); ok {
					m[s] = true
				}
			}
			return true
		})
	}
	return m
}

// findQualifiers finds the package names the replacement introduces: the
// X of X.Sel selectors that are not wildcards and do not occur in the
// pattern, and that name a declared import or a standard package.
func (s *Spec) findQualifiers() {
	qualifier := func(n ast.Node) (string, bool) {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !s.isWildcard(id.Name) {
				return id.Name, true
			}
		}
		return "", false
	}
	pat, repl := s.sides()
	inPattern := collectNames(pat, qualifier)
	for name := range collectNames(repl, qualifier) {
		if inPattern[name] {
			continue
		}
		path := ""
		for _, imp := range s.imports {
			if imp.name == name || imp.name == "" && rewrite.GuessPackageName(imp.path) == name {
				path = imp.path
			}
		}
		if path == "" && stdPackages[name] {
			path = name
		}
		if path != "" {
			if s.qualPaths == nil {
				s.qualPaths = make(map[string]string)
			}
			s.qualPaths[name] = path
		}
	}
}

// stdPackages are the standard library packages whose import path is a
// single element: a replacement may use them without declaring the import.
var stdPackages = map[string]bool{
	"bufio": true, "bytes": true, "cmp": true, "context": true, "crypto": true, "embed": true,
	"encoding": true, "errors": true, "expvar": true, "flag": true, "fmt": true, "hash": true,
	"html": true, "image": true, "io": true, "iter": true, "log": true, "maps": true, "math": true,
	"mime": true, "net": true, "os": true, "path": true, "plugin": true, "reflect": true,
	"regexp": true, "runtime": true, "slices": true, "sort": true, "strconv": true, "strings": true,
	"structs": true, "sync": true, "syscall": true, "testing": true, "time": true, "unicode": true,
	"unique": true, "unsafe": true, "weak": true,
}

// splitArrow splits a rule at its one "->" outside string and rune
// literals.
func splitArrow(rule string) (string, string, bool) {
	at := -1
	var quote byte
	for i := 0; i < len(rule); i++ {
		c := rule[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '-' && i+1 < len(rule) && rule[i+1] == '>':
			if at >= 0 {
				return "", "", false
			}
			at = i
			i++
		}
	}
	if at < 0 {
		return "", "", false
	}
	return rule[:at], rule[at+2:], true
}

// parseStmts parses a semicolon-separated statement list.
func parseStmts(text string) ([]ast.Stmt, error) {
	src := "package p; func _() {\n" + text + "\n}"
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	var out []ast.Stmt
	for _, s := range body {
		if _, empty := s.(*ast.EmptyStmt); !empty {
			out = append(out, s)
		}
	}
	return out, nil
}

// cleanParseError drops the positions of the wrapper the text was parsed in.
func cleanParseError(err error) error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		return fmt.Errorf("%s", list[0].Msg)
	}
	return err
}

// closingBracket returns the index of the ] matching the [ at s[0].
func closingBracket(s string) int {
	depth := 0
	inString := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

var (
	declNames = regexp.MustCompile(`^([\pL_][\pL\pN_]*(?:\s*,\s*[\pL_][\pL\pN_]*)*)\s+(\S.*)$`)
	// A qualified name whose package is given by an import path: net/http.Header.
	pathQualified = regexp.MustCompile(`[\w.\-~]+(?:/[\w.\-~]+)+\.[\pL_][\pL\pN_]*`)
)

func (s *Spec) parseDecls(text string) error {
	s.declared = make(map[string]*wildcard)
	for _, decl := range strings.Split(text, ";") {
		decl = strings.TrimSpace(decl)
		if decl == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(decl, "import"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '"') {
			imp, err := parseImportDecl(strings.TrimSpace(rest))
			if err != nil {
				return err
			}
			s.imports = append(s.imports, imp)
			continue
		}
		m := declNames.FindStringSubmatch(decl)
		if m == nil {
			return fmt.Errorf("declaration %q: want NAME[, NAME...] TYPE or import \"path\"", decl)
		}
		typ := strings.TrimSpace(m[2])
		for _, name := range strings.Split(m[1], ",") {
			name = strings.TrimSpace(name)
			if s.declared[name] != nil {
				return fmt.Errorf("wildcard %s declared twice", name)
			}
			w, err := parseWildcardType(name, typ)
			if err != nil {
				return err
			}
			s.declared[name] = w
			if !w.any {
				s.needsTypes = true
			}
		}
	}
	return nil
}

func parseImportDecl(text string) (importDecl, error) {
	name, path := "", text
	if i := strings.IndexByte(text, '"'); i > 0 {
		name, path = strings.TrimSpace(text[:i]), text[i:]
	}
	p, err := strconv.Unquote(path)
	if err != nil || p == "" {
		return importDecl{}, fmt.Errorf("import %s: want a quoted import path", text)
	}
	if name != "" && !token.IsIdentifier(name) {
		return importDecl{}, fmt.Errorf("import %s: bad name %q", text, name)
	}
	return importDecl{name: name, path: p}, nil
}

func parseWildcardType(name, typ string) (*wildcard, error) {
	w := &wildcard{name: name}
	if typ == "any" {
		w.any = true
		return w, nil
	}
	if rest, ok := strings.CutPrefix(typ, "~"); ok {
		w.tilde = true
		typ = strings.TrimSpace(rest)
	}
	w.typ = typ
	w.quals = make(map[string]qualified)
	replaced := pathQualified.ReplaceAllStringFunc(typ, func(q string) string {
		dot := strings.LastIndexByte(q, '.')
		ph := fmt.Sprintf("gorewriteQual%d", len(w.quals))
		w.quals[ph] = qualified{pkg: q[:dot], name: q[dot+1:]}
		return ph
	})
	x, err := parser.ParseExpr(replaced)
	if err != nil {
		return nil, fmt.Errorf("wildcard %s: type %q: %v", name, typ, cleanParseError(err))
	}
	if err := checkTypeSyntax(x); err != nil {
		return nil, fmt.Errorf("wildcard %s: type %q: %v", name, typ, err)
	}
	w.expr = x
	return w, nil
}

// checkTypeSyntax accepts the type expressions resolveType understands.
func checkTypeSyntax(x ast.Expr) error {
	switch x := x.(type) {
	case *ast.Ident:
		return nil
	case *ast.SelectorExpr:
		if _, ok := x.X.(*ast.Ident); ok {
			return nil
		}
	case *ast.StarExpr:
		return checkTypeSyntax(x.X)
	case *ast.ArrayType:
		if x.Len != nil {
			if lit, ok := x.Len.(*ast.BasicLit); !ok || lit.Kind != token.INT {
				return fmt.Errorf("array length must be an integer literal")
			}
		}
		return checkTypeSyntax(x.Elt)
	case *ast.MapType:
		if err := checkTypeSyntax(x.Key); err != nil {
			return err
		}
		return checkTypeSyntax(x.Value)
	case *ast.ChanType:
		return checkTypeSyntax(x.Value)
	case *ast.InterfaceType:
		if x.Methods == nil || len(x.Methods.List) == 0 {
			return nil
		}
		return fmt.Errorf("only the empty interface can be written out; name an interface type instead")
	case *ast.ParenExpr:
		return checkTypeSyntax(x.X)
	}
	return fmt.Errorf("unsupported type syntax %T", x)
}

// ParseFile parses a rules file: one rule per line; blank lines and lines
// starting with # are ignored. Errors carry the file name and line.
func ParseFile(name string, data []byte) ([]*Spec, error) {
	var specs []*Spec
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		s, err := Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		specs = append(specs, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return specs, nil
}
