// Package xt (import path example.com/xtest: the name differs) is tested
// only from package xt_test, plus an export_test.go in package xt.
package xt

import (
	"errors"
	"strings"
	"unicode"
)

// Token is a lexical token.
type Token struct {
	Kind kind
	Text string
}

type kind int

const (
	word kind = iota
	number
)

func (k kind) String() string {
	if k == number {
		return "number"
	}
	return "word"
}

// String is a method of an exported type.
func (t Token) String() string { return t.Kind.String() + ":" + t.Text }

// Parse returns the first token of s.
func Parse(s string) (Token, error) {
	s = strings.TrimLeftFunc(s, isSpace)
	if s == "" {
		return Token{}, errors.New("empty")
	}
	end := strings.IndexFunc(s, isSpace)
	if end < 0 {
		end = len(s)
	}
	k := word
	if unicode.IsDigit(rune(s[0])) {
		k = number
	}
	return Token{Kind: k, Text: s[:end]}, nil
}

// IsNumber has an unexported type in its exported signature's result.
func IsNumber(t Token) kind { return t.Kind }

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func split(s string) []string { return strings.FieldsFunc(s, isSpace) }
