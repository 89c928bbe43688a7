// Package gocmd holds the rule every go command gorewrite runs follows:
// it never writes the user's go.mod or go.sum.
//
// The go command updates go.mod and go.sum while it loads packages when
// -mod=mod is in effect (in GOFLAGS or on its command line): it adds a
// missing go line, missing requirements and go.sum entries. gorewrite
// changes files only with -w, so every go command it runs gets
// -mod=readonly instead: the go command then reports what go.mod or go.sum
// lacks, and the command that adds it, rather than adding it.
//
// -mod=readonly is passed on the command line, not in GOFLAGS: the test
// binaries a go test starts keep the user's environment.
package gocmd

import (
	"os"
	"strings"
)

// ReadOnly is the flag that replaces -mod=mod.
const ReadOnly = "-mod=readonly"

// Flags returns the flags for a go command (build, list, test) run with
// env (nil: this process's environment) so that it never updates go.mod
// or go.sum: each -mod=mod in flags becomes -mod=readonly, and when the
// -mod=mod comes from GOFLAGS, -mod=readonly is added (before -args, which
// starts the test binaries' arguments). Other flags, and GOFLAGS, are
// kept. flags is not modified.
func Flags(env, flags []string) []string {
	if !Overrides(env, flags) {
		return flags
	}
	end := argsIndex(flags)
	out := make([]string, 0, len(flags)+1)
	found := false
	for i := 0; i < end; i++ {
		isMod, value, hasValue := modFlag(flags[i])
		if !isMod {
			out = append(out, flags[i])
			continue
		}
		found = true
		arg := flags[i : i+1]
		if !hasValue && i+1 < end {
			arg = flags[i : i+2]
			i++
			value = flags[i]
		}
		if value == "mod" {
			out = append(out, ReadOnly)
		} else {
			out = append(out, arg...)
		}
	}
	if !found {
		out = append(out, ReadOnly)
	}
	return append(out, flags[end:]...)
}

// Overrides reports whether Flags changes flags: -mod=mod is in effect
// for a go command run with env and flags.
func Overrides(env, flags []string) bool {
	if env == nil {
		env = os.Environ()
	}
	if lookup(env, "GO111MODULE") == "off" {
		// GOPATH mode: no go.mod is written, and the go command rejects
		// -mod on its command line.
		return false
	}
	mode := ""
	for _, f := range strings.Fields(lookup(env, "GOFLAGS")) {
		if name, value, _ := modFlag(f); name {
			mode = value
		}
	}
	end := argsIndex(flags)
	for i := 0; i < end; i++ {
		name, value, hasValue := modFlag(flags[i])
		if !name {
			continue
		}
		if !hasValue && i+1 < end {
			i++
			value = flags[i]
		}
		mode = value
	}
	return mode == "mod"
}

// Explain adds to a go command's error message, when the go command
// refused to update go.mod or go.sum and the user asked for -mod=mod (in
// GOFLAGS or flags, before or after Flags), why it did and what to do.
func Explain(msg string, env, flags []string) string {
	if !askedMod(env, flags) || !NeedsUpdate(msg) {
		return msg
	}
	return msg + "\n(gorewrite never lets the go command change go.mod or go.sum: -mod=mod is run as -mod=readonly; " +
		"run the go command shown above, or go mod tidy, then run gorewrite again)"
}

// NeedsUpdate reports whether a go command's message says go.mod or
// go.sum needs an update that -mod=readonly forbids.
func NeedsUpdate(msg string) bool {
	for _, s := range []string{"updates to go.mod needed", "missing go.sum entry", "no required module provides package", "-mod=mod"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// askedMod reports whether -mod=mod is in GOFLAGS or flags, whatever
// follows it.
func askedMod(env, flags []string) bool {
	if env == nil {
		env = os.Environ()
	}
	args := append(strings.Fields(lookup(env, "GOFLAGS")), flags[:argsIndex(flags)]...)
	for i, a := range args {
		if isMod, value, hasValue := modFlag(a); isMod && (value == "mod" || !hasValue && i+1 < len(args) && args[i+1] == "mod") {
			return true
		}
	}
	return false
}

// modFlag reports whether arg is the -mod flag, with its value if given
// as -mod=VALUE.
func modFlag(arg string) (isMod bool, value string, hasValue bool) {
	if !strings.HasPrefix(arg, "-") {
		return false, "", false
	}
	name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
	return name == "mod", value, hasValue
}

// argsIndex returns the index of -args in flags (what follows goes to test
// binaries), or len(flags).
func argsIndex(flags []string) int {
	for i, f := range flags {
		if f == "-args" || f == "--args" {
			return i
		}
	}
	return len(flags)
}

func lookup(env []string, name string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v
		}
	}
	return ""
}
