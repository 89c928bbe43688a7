package lex_test

import (
	"testing"

	"example.com/xtest/lex"
)

func TestNext(t *testing.T) {
	l := lex.New("ab")
	if l.Next() != 'a' || l.Next() != 'b' || l.Next() != -1 {
		t.Error("Next")
	}
}
