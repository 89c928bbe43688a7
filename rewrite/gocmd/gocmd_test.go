package gocmd

import (
	"slices"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		goflags string
		flags   []string
		want    []string
	}{
		{"", nil, nil},
		{"", []string{"-tags=x"}, []string{"-tags=x"}},
		{"-mod=mod", nil, []string{"-mod=readonly"}},
		{"-tags=x -mod=mod -v", []string{"-tags=y"}, []string{"-tags=y", "-mod=readonly"}},
		{"-mod=mod", []string{"-run", "X", "-args", "-mod=mod"}, []string{"-run", "X", "-mod=readonly", "-args", "-mod=mod"}},
		{"", []string{"-mod=mod", "-count=1"}, []string{"-mod=readonly", "-count=1"}},
		{"", []string{"--mod", "mod", "-v"}, []string{"-mod=readonly", "-v"}},
		{"", []string{"-mod=vendor", "-mod=mod"}, []string{"-mod=vendor", "-mod=readonly"}},
		{"-mod=mod", []string{"-mod=vendor"}, []string{"-mod=vendor"}},
		{"-mod=vendor", nil, nil},
		{"-mod=mod -mod=readonly", nil, nil},
	} {
		env := []string{"GOFLAGS=" + tc.goflags}
		in := slices.Clone(tc.flags)
		got := Flags(env, tc.flags)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Flags(GOFLAGS=%q, %q) = %q, want %q", tc.goflags, tc.flags, got, tc.want)
		}
		if !slices.Equal(in, tc.flags) {
			t.Errorf("Flags(GOFLAGS=%q, %q) modified its argument", tc.goflags, in)
		}
	}
	if got := Flags([]string{"GOFLAGS=-mod=mod", "GO111MODULE=off"}, nil); got != nil {
		t.Errorf("GOPATH mode: Flags = %q, want none", got)
	}
}

func TestExplain(t *testing.T) {
	env := []string{"GOFLAGS=-mod=mod"}
	msg := "go: updates to go.mod needed; to update it:\n\tgo mod tidy"
	if got := Explain(msg, env, nil); !strings.HasPrefix(got, msg) || !strings.Contains(got, "-mod=readonly") {
		t.Errorf("Explain = %q", got)
	}
	if got := Explain(msg, env, Flags(env, nil)); !strings.HasPrefix(got, msg) || !strings.Contains(got, "-mod=readonly") {
		t.Errorf("Explain after Flags = %q", got)
	}
	if got := Explain(msg, []string{"GOFLAGS=-mod=readonly"}, nil); got != msg {
		t.Errorf("Explain without -mod=mod = %q, want the message alone", got)
	}
	if got := Explain("syntax error", env, nil); got != "syntax error" {
		t.Errorf("Explain of another error = %q", got)
	}
}
