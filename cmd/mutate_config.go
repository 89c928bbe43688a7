package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/pflag"
)

// ConfigFile is the checked-in file gorewrite mutate reads its team's
// settings from: found in the working directory or a parent, up to the
// module's root.
const ConfigFile = ".gorewrite.toml"

// mutateConfig is the [mutate] table of the config file. Each key is the
// flag of the same name (go-flags: the go build flags after --); a flag
// given on the command line wins over the file.
type mutateConfig struct {
	Operators     *string  `toml:"operators"`
	ExcludeFiles  []string `toml:"exclude-files"`
	ExcludeFuncs  *string  `toml:"exclude-funcs"`
	ExcludeCalls  *string  `toml:"exclude-calls"`
	Threshold     *float64 `toml:"threshold"`
	TimeoutFactor *float64 `toml:"timeout-factor"`
	TimeoutGrace  *string  `toml:"timeout-grace"`
	MaxTime       *string  `toml:"max-time"`
	Baseline      *string  `toml:"baseline"`
	JSON          *string  `toml:"json"`
	HTML          *string  `toml:"html"`
	Markdown      *string  `toml:"markdown"`
	GitHub        *bool    `toml:"github"`
	OwnTests      *bool    `toml:"own-tests"`
	TestPackages  []string `toml:"test-packages"`
	Tags          []string `toml:"tags"`
	Workers       *int     `toml:"workers"`
	Incremental   *string  `toml:"incremental"`
	GoFlags       []string `toml:"go-flags"`
}

// structField is what go-toml's messages say of the Go side.
var structField = regexp.MustCompile(`struct field \S+ of type `)

type fileConfig struct {
	Mutate *mutateConfig `toml:"mutate"`
}

// findConfig returns the config file to read: --config's, or
// .gorewrite.toml in dir or the nearest parent, up to the directory of
// go.mod; "" when there is none.
func findConfig(dir, explicit string) (string, error) {
	if explicit != "" {
		if !filepath.IsAbs(explicit) {
			explicit = filepath.Join(dir, explicit)
		}
		if _, err := os.Stat(explicit); err != nil {
			return "", usagef("--config: %v", err)
		}
		return explicit, nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		name := filepath.Join(d, ConfigFile)
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// readMutateConfig reads the [mutate] table of name. An unknown key, or a
// value of the wrong type, is an error at its line in the file.
func readMutateConfig(name, display string) (*mutateConfig, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var fc fileConfig
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		var strict *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case errors.As(err, &strict) && len(strict.Errors) > 0:
			e := strict.Errors[0]
			row, col := e.Position()
			return nil, fmt.Errorf("%s:%d:%d: unknown key %s", display, row, col, strings.Join(e.Key(), "."))
		case errors.As(err, &de):
			row, col := de.Position()
			msg := structField.ReplaceAllString(strings.TrimPrefix(de.Error(), "toml: "), "")
			if k := de.Key(); len(k) > 0 {
				msg = strings.Join(k, ".") + ": " + msg
			}
			return nil, fmt.Errorf("%s:%d:%d: %s", display, row, col, msg)
		}
		return nil, fmt.Errorf("%s: %v", display, err)
	}
	if fc.Mutate == nil {
		return &mutateConfig{}, nil
	}
	return fc.Mutate, nil
}

// apply sets the flags the command line did not set from c, and returns
// the go build flags c gives and the names of the flags it set.
func (c *mutateConfig) apply(fl *pflag.FlagSet) ([]string, map[string]bool, error) {
	set := make(map[string]bool)
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("toml")
		field := v.Field(i)
		if key == "go-flags" || field.IsZero() {
			continue
		}
		flag := fl.Lookup(key)
		if flag == nil {
			return nil, nil, fmt.Errorf("config key %s has no flag", key)
		}
		if flag.Changed {
			continue // the command line wins
		}
		var value string
		switch x := field.Interface().(type) {
		case *string:
			value = *x
		case *float64:
			value = strconv.FormatFloat(*x, 'f', -1, 64)
		case *int:
			value = strconv.Itoa(*x)
		case *bool:
			value = strconv.FormatBool(*x)
		case []string:
			value = strings.Join(x, ",")
		}
		if err := fl.Set(key, value); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", key, err)
		}
		set[key] = true
	}
	return c.GoFlags, set, nil
}
