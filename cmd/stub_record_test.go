package cmd

import "testing"

func TestRowAt(t *testing.T) {
	src := []byte(`package p

func TestAdd(t *testing.T) {
	tests := []struct{ name string }{
		{name: "mine"},
		{name: "recorded 12", a: 1},
	}
}
`)
	for _, c := range []struct {
		line       int
		test, name string
	}{
		{6, "TestAdd", "recorded 12"},
		{5, "", ""},
		{1, "", ""},
		{99, "", ""},
	} {
		if test, name := rowAt(src, c.line); test != c.test || name != c.name {
			t.Errorf("rowAt(%d) = %q, %q; want %q, %q", c.line, test, name, c.test, c.name)
		}
	}
}
