// Package lex is tested from lex_test.go, in package lex_test: the file a
// generator would append to for lex.go cannot hold tests of unexported
// functions.
package lex

import "io"

// Lexer splits input into runes.
type Lexer struct {
	src string
	pos int
}

// New returns a Lexer on src.
func New(src string) *Lexer { return &Lexer{src: src} }

// Next returns the next rune, or -1.
func (l *Lexer) Next() rune {
	if l.pos >= len(l.src) {
		return -1
	}
	r := rune(l.src[l.pos])
	l.pos++
	return r
}

func (l *Lexer) peek() rune {
	if l.pos >= len(l.src) {
		return -1
	}
	return rune(l.src[l.pos])
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

type state func(*Lexer) state

func lexText(l *Lexer) state {
	if isLetter(l.peek()) {
		return lexText
	}
	return nil
}

// Dump has a writer named like the package: a test in package lex_test
// must not shadow the import.
func Dump(lex io.Writer, l *Lexer) error {
	_, err := io.WriteString(lex, l.src)
	return err
}

// Pos has a receiver named like the package.
func (lex *Lexer) Pos() int { return lex.pos }
