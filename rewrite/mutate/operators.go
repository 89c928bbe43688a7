package mutate

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// An Operator is one kind of mutation. Names are stable: reports,
// --operators and //gorewrite:ignore directives use them. The names shared
// with gremlins mean what they mean there.
type Operator struct {
	Name    string
	Doc     string
	Default bool // on unless --operators says otherwise
}

// Operators returns the catalogue, in the order --help lists it.
func Operators() []Operator {
	return []Operator{
		{"ARITHMETIC_BASE", "+ to -, - to +, * to /, / to *, % to *", true},
		{"CONDITIONALS_BOUNDARY", "< to <=, <= to <, > to >=, >= to >", true},
		{"CONDITIONALS_NEGATION", "== to !=, != to ==, < to >=, <= to >, > to <=, >= to <", true},
		{"INCREMENT_DECREMENT", "++ to --, -- to ++", true},
		{"INVERT_NEGATIVES", "-x to x", true},
		{"INVERT_LOGICAL", "&& to ||, || to &&", true},
		{"REMOVE_NOT", "!x to x", true},
		{"INVERT_LOOPCTRL", "break to continue, continue to break", true},
		{"RETURN_ZERO", "return a, b to return the zero values of the results", true},
		{"INVERT_ASSIGNMENTS", "+= to -=, -= to +=, *= to /=, /= to *=, %= to *=", false},
		{"INVERT_BITWISE", "& to |, | to &, ^ to &, &^ to &, << to >>, >> to <<", false},
		{"INVERT_BWASSIGN", "&= to |=, |= to &=, ^= to &=, &^= to &=, <<= to >>=, >>= to <<=", false},
		{"REMOVE_SELF_ASSIGNMENTS", "x op= y to x = y", false},
		{"IF_CONDITION", "if cond to if true and to if false", false},
		{"LOOP_CONDITION", "for cond to for false and to for true", false},
		{"REMOVE_STATEMENT", "remove an assignment, ++/-- or a call with no results (assignments keep their right side: _ = y)", false},
	}
}

// ParseOperators turns a --operators value into the set of names it
// selects: a comma-separated list of names, "default" and "all", where a
// name with a leading - is taken out ("all,-RETURN_ZERO"). Empty means
// "default".
func ParseOperators(spec string) (map[string]bool, error) {
	all := Operators()
	set := make(map[string]bool)
	if strings.TrimSpace(spec) == "" {
		spec = "default"
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		remove := strings.HasPrefix(item, "-")
		name := strings.ToUpper(strings.TrimPrefix(item, "-"))
		var names []string
		switch name {
		case "DEFAULT":
			for _, op := range all {
				if op.Default {
					names = append(names, op.Name)
				}
			}
		case "ALL":
			for _, op := range all {
				names = append(names, op.Name)
			}
		default:
			if !slices.ContainsFunc(all, func(op Operator) bool { return op.Name == name }) {
				return nil, fmt.Errorf("unknown mutation operator %q (see gorewrite mutate --help)", item)
			}
			names = []string{name}
		}
		for _, n := range names {
			if remove {
				delete(set, n)
			} else {
				set[n] = true
			}
		}
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("--operators %q selects no operator", spec)
	}
	return set, nil
}

// binaryMutations lists, per operator token, the mutation operator and
// the token it becomes.
func binaryMutations(op token.Token) []tokenMutation {
	switch op {
	case token.ADD:
		return []tokenMutation{{"ARITHMETIC_BASE", token.SUB}}
	case token.SUB:
		return []tokenMutation{{"ARITHMETIC_BASE", token.ADD}}
	case token.MUL:
		return []tokenMutation{{"ARITHMETIC_BASE", token.QUO}}
	case token.QUO:
		return []tokenMutation{{"ARITHMETIC_BASE", token.MUL}}
	case token.REM:
		return []tokenMutation{{"ARITHMETIC_BASE", token.MUL}}
	case token.AND:
		return []tokenMutation{{"INVERT_BITWISE", token.OR}}
	case token.OR:
		return []tokenMutation{{"INVERT_BITWISE", token.AND}}
	case token.XOR:
		return []tokenMutation{{"INVERT_BITWISE", token.AND}}
	case token.AND_NOT:
		return []tokenMutation{{"INVERT_BITWISE", token.AND}}
	case token.SHL:
		return []tokenMutation{{"INVERT_BITWISE", token.SHR}}
	case token.SHR:
		return []tokenMutation{{"INVERT_BITWISE", token.SHL}}
	case token.LAND:
		return []tokenMutation{{"INVERT_LOGICAL", token.LOR}}
	case token.LOR:
		return []tokenMutation{{"INVERT_LOGICAL", token.LAND}}
	case token.EQL:
		return []tokenMutation{{"CONDITIONALS_NEGATION", token.NEQ}}
	case token.NEQ:
		return []tokenMutation{{"CONDITIONALS_NEGATION", token.EQL}}
	case token.LSS:
		return []tokenMutation{{"CONDITIONALS_BOUNDARY", token.LEQ}, {"CONDITIONALS_NEGATION", token.GEQ}}
	case token.LEQ:
		return []tokenMutation{{"CONDITIONALS_BOUNDARY", token.LSS}, {"CONDITIONALS_NEGATION", token.GTR}}
	case token.GTR:
		return []tokenMutation{{"CONDITIONALS_BOUNDARY", token.GEQ}, {"CONDITIONALS_NEGATION", token.LEQ}}
	case token.GEQ:
		return []tokenMutation{{"CONDITIONALS_BOUNDARY", token.GTR}, {"CONDITIONALS_NEGATION", token.LSS}}
	}
	return nil
}

// assignMutations is binaryMutations for assignment operators.
func assignMutations(op token.Token) []tokenMutation {
	var out []tokenMutation
	switch op {
	case token.ADD_ASSIGN:
		out = []tokenMutation{{"INVERT_ASSIGNMENTS", token.SUB_ASSIGN}}
	case token.SUB_ASSIGN:
		out = []tokenMutation{{"INVERT_ASSIGNMENTS", token.ADD_ASSIGN}}
	case token.MUL_ASSIGN:
		out = []tokenMutation{{"INVERT_ASSIGNMENTS", token.QUO_ASSIGN}}
	case token.QUO_ASSIGN:
		out = []tokenMutation{{"INVERT_ASSIGNMENTS", token.MUL_ASSIGN}}
	case token.REM_ASSIGN:
		out = []tokenMutation{{"INVERT_ASSIGNMENTS", token.MUL_ASSIGN}}
	case token.AND_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.OR_ASSIGN}}
	case token.OR_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.AND_ASSIGN}}
	case token.XOR_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.AND_ASSIGN}}
	case token.AND_NOT_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.AND_ASSIGN}}
	case token.SHL_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.SHR_ASSIGN}}
	case token.SHR_ASSIGN:
		out = []tokenMutation{{"INVERT_BWASSIGN", token.SHL_ASSIGN}}
	default:
		return nil
	}
	return append(out, tokenMutation{"REMOVE_SELF_ASSIGNMENTS", token.ASSIGN})
}

type tokenMutation struct {
	operator string
	to       token.Token
}
