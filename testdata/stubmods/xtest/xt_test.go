package xt_test

import (
	"testing"

	xt "example.com/xtest"
)

func TestParse(t *testing.T) {
	tok, err := xt.Parse("  42 rest")
	if err != nil || tok.Text != "42" {
		t.Errorf("Parse = %v, %v", tok, err)
	}
	if !xt.IsSpace(' ') {
		t.Error("IsSpace")
	}
}
