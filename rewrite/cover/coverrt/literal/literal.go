//go:build go1.22

// Package literal writes Go values as Go source: the literals of the test
// cases gorewrite stub --record writes from the calls it recorded. A value
// is written from its reflect.Value, so that the recorder can run inside
// any test binary; package names are left to the caller (Qualifier), which
// knows the test file's imports.
package literal

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Qualifier returns the name code in the test file uses for the package
// at path: "" for the package itself (then its unexported names are
// usable too), its import name otherwise.
type Qualifier func(path string) string

// A Writer writes values for one package.
type Writer struct {
	// Home is the import path of the package the code is written in.
	Home string
	// Qualify names other packages; nil means their last path element.
	Qualify Qualifier
	// MarkHome sends Home's names through Qualify too (while still
	// allowing its unexported names): the recorder does not know yet
	// whether the test will be in the package or in package p_test.
	MarkHome bool
	// Unexported is set by Write when what it wrote uses an unexported
	// name of Home, which only a test in the package itself can use.
	Unexported bool
	// MaxLen, when positive, refuses a value whose literal would be
	// longer: a row of a table is read by people (and a megabyte of
	// input is not worth writing out first).
	MaxLen int

	visited int // values visited by the current Write
}

// ErrUnwritable is wrapped by Write's errors: the value has no Go literal
// (a channel, a function, a cycle, unexported fields of another package).
var ErrUnwritable = errors.New("no Go literal for it")

// Write returns v as a Go expression of v's type (assignable where a value
// of that type goes), or an error wrapping ErrUnwritable that says why.
func (w *Writer) Write(v reflect.Value) (string, error) {
	var b strings.Builder
	w.visited = 0
	if err := w.write(&b, v, false, false, map[uintptr]bool{}); err != nil {
		return "", err
	}
	if w.MaxLen > 0 && b.Len() > w.MaxLen {
		return "", w.tooLong()
	}
	return b.String(), nil
}

func (w *Writer) tooLong() error {
	return unwritable("a literal longer than %d bytes", w.MaxLen)
}

func unwritable(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrUnwritable)
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	errorType    = reflect.TypeFor[error]()
)

// write writes v; typed says the context does not give v's type (an
// interface), so a constant must carry it. An error whose type has no
// literal (errors.New's, fmt.Errorf's) is written by its message, which is
// how a test compares it.
//
// elide says v is an element (or key) of a slice, array or map whose
// element type is v's: a composite literal then leaves its type out, and a
// pointer to one its &T, as gofmt -s writes them.
func (w *Writer) write(b *strings.Builder, v reflect.Value, typed, elide bool, seen map[uintptr]bool) error {
	var inner strings.Builder
	err := w.value(&inner, v, typed, elide, seen)
	if err != nil && v.IsValid() && v.Type().Implements(errorType) && v.Kind() != reflect.Interface && (v.Kind() != reflect.Pointer || !v.IsNil()) {
		fmt.Fprintf(b, "%sNew(%q)", w.qual("errors"), v.Interface().(error).Error())
		return nil
	}
	b.WriteString(inner.String())
	return err
}

func (w *Writer) value(b *strings.Builder, v reflect.Value, typed, elide bool, seen map[uintptr]bool) error {
	// Each value visited writes a byte at least: past MaxLen of them,
	// a deep structure is refused before it is all walked.
	if w.visited++; w.MaxLen > 0 && w.visited > w.MaxLen {
		return w.tooLong()
	}
	if !v.IsValid() {
		b.WriteString("nil")
		return nil
	}
	t := v.Type()
	// Long values are refused before they are written out: a string, or
	// a collection with more elements than the limit has room for.
	switch t.Kind() {
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map:
		if n := v.Len(); w.MaxLen > 0 && (n > w.MaxLen || t.Kind() != reflect.String && n > w.MaxLen/2) {
			return w.tooLong()
		}
	}
	switch t {
	case timeType:
		return w.writeTime(b, v.Interface().(time.Time))
	case durationType:
		b.WriteString(w.duration(time.Duration(v.Int())))
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return w.constant(b, t, strconv.FormatBool(v.Bool()), typed)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return w.constant(b, t, strconv.FormatInt(v.Int(), 10), typed)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return w.constant(b, t, strconv.FormatUint(v.Uint(), 10), typed)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return w.conversion(b, t, w.qual("math")+"NaN()")
		case math.IsInf(f, 1):
			return w.conversion(b, t, w.qual("math")+"Inf(1)")
		case math.IsInf(f, -1):
			return w.conversion(b, t, w.qual("math")+"Inf(-1)")
		}
		s := strconv.FormatFloat(f, 'g', -1, t.Bits())
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return w.constant(b, t, s, typed)
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return w.conversion(b, t, fmt.Sprintf("complex(%s, %s)", strconv.FormatFloat(real(c), 'g', -1, 64), strconv.FormatFloat(imag(c), 'g', -1, 64)))
	case reflect.String:
		return w.constant(b, t, strconv.Quote(v.String()), typed)
	case reflect.Pointer:
		if v.IsNil() {
			return w.nilOf(b, t, typed)
		}
		if seen[v.Pointer()] {
			return unwritable("a cyclic structure (%s)", t)
		}
		seen[v.Pointer()] = true
		defer delete(seen, v.Pointer())
		switch t.Elem().Kind() {
		case reflect.Slice, reflect.Map:
			if v.Elem().IsNil() {
				// No literal to take the address of: new([]T).
				name, err := w.typeName(t.Elem())
				if err != nil {
					return err
				}
				b.WriteString("new(" + name + ")")
				return nil
			}
		}
		switch t.Elem().Kind() {
		case reflect.Struct, reflect.Array, reflect.Slice, reflect.Map:
			if t.Elem() != timeType {
				if !elide {
					b.WriteString("&")
				}
				return w.write(b, v.Elem(), false, elide, seen)
			}
		}
		return unwritable("a pointer to %s, which has no literal to take the address of", t.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return w.nilOf(b, t, typed)
		}
		return w.write(b, v.Elem(), true, false, seen)
	case reflect.Struct:
		return w.writeStruct(b, v, elide, seen)
	case reflect.Slice:
		if v.IsNil() {
			return w.nilOf(b, t, typed)
		}
		if t == reflect.TypeFor[[]byte]() {
			b.WriteString("[]byte(" + strconv.Quote(string(v.Bytes())) + ")")
			return nil
		}
		return w.writeElems(b, v, elide, seen)
	case reflect.Array:
		return w.writeElems(b, v, elide, seen)
	case reflect.Map:
		if v.IsNil() {
			return w.nilOf(b, t, typed)
		}
		return w.writeMap(b, v, elide, seen)
	}
	return unwritable("a %s", t.Kind())
}

// constant writes a constant, converted to t when it must carry its type
// and t is not the constant's default type.
func (w *Writer) constant(b *strings.Builder, t reflect.Type, lit string, typed bool) error {
	if !typed {
		b.WriteString(lit)
		return nil
	}
	return w.conversion(b, t, lit)
}

func (w *Writer) conversion(b *strings.Builder, t reflect.Type, expr string) error {
	name, err := w.typeName(t)
	if err != nil {
		return err
	}
	switch {
	case name == "string" && strings.HasPrefix(expr, `"`), name == "bool" && (expr == "true" || expr == "false"),
		name == "int" && !strings.ContainsAny(expr, ".e("), name == "float64" && strings.ContainsAny(expr, ".e"),
		name == "complex128" && strings.HasPrefix(expr, "complex("):
		b.WriteString(expr) // the constant's default type already
	case strings.HasPrefix(name, "*"), strings.HasPrefix(name, "func"), strings.HasPrefix(name, "chan"), strings.HasPrefix(name, "<-"):
		fmt.Fprintf(b, "(%s)(%s)", name, expr)
	default:
		fmt.Fprintf(b, "%s(%s)", name, expr)
	}
	return nil
}

func (w *Writer) nilOf(b *strings.Builder, t reflect.Type, typed bool) error {
	if !typed || t.Kind() == reflect.Interface {
		b.WriteString("nil")
		return nil
	}
	return w.conversion(b, t, "nil")
}

func (w *Writer) writeStruct(b *strings.Builder, v reflect.Value, elide bool, seen map[uintptr]bool) error {
	t := v.Type()
	name, err := w.typeName(t)
	if err != nil {
		return err
	}
	if !elide {
		b.WriteString(name)
	}
	b.WriteString("{")
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if fv.IsZero() {
			continue // the zero value needs no field
		}
		if !f.IsExported() && t.PkgPath() != w.Home {
			return unwritable("%s has an unexported field %s set, and is another package's", t, f.Name)
		}
		if !f.IsExported() {
			w.Unexported = true
			// Readable only through unsafe; reflect.Value.Interface panics.
			fv = readable(v, i)
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(f.Name + ": ")
		if err := w.write(b, fv, f.Type.Kind() == reflect.Interface, false, seen); err != nil {
			return err
		}
	}
	b.WriteString("}")
	return nil
}

func (w *Writer) writeElems(b *strings.Builder, v reflect.Value, elide bool, seen map[uintptr]bool) error {
	name, err := w.typeName(v.Type())
	if err != nil {
		return err
	}
	if !elide {
		b.WriteString(name)
	}
	b.WriteString("{")
	iface := v.Type().Elem().Kind() == reflect.Interface
	for i := range v.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		if err := w.write(b, v.Index(i), iface, !iface, seen); err != nil {
			return err
		}
	}
	b.WriteString("}")
	return nil
}

func (w *Writer) writeMap(b *strings.Builder, v reflect.Value, elide bool, seen map[uintptr]bool) error {
	name, err := w.typeName(v.Type())
	if err != nil {
		return err
	}
	type entry struct{ k, v string }
	var entries []entry
	kIface, vIface := v.Type().Key().Kind() == reflect.Interface, v.Type().Elem().Kind() == reflect.Interface
	iter := v.MapRange()
	for iter.Next() {
		var kb, vb strings.Builder
		if err := w.write(&kb, iter.Key(), kIface, !kIface, seen); err != nil {
			return err
		}
		if err := w.write(&vb, iter.Value(), vIface, !vIface, seen); err != nil {
			return err
		}
		entries = append(entries, entry{kb.String(), vb.String()})
	}
	// Keys in order, so that the same map is written the same way: by
	// length first, so that numbers sort as numbers.
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Or(cmp.Compare(len(a.k), len(b.k)), strings.Compare(a.k, b.k)) })
	if !elide {
		b.WriteString(name)
	}
	b.WriteString("{")
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.k + ": " + e.v)
	}
	b.WriteString("}")
	return nil
}

func (w *Writer) writeTime(b *strings.Builder, t time.Time) error {
	loc := w.qual("time") + "UTC"
	switch t.Location() {
	case time.UTC:
	case time.Local:
		loc = w.qual("time") + "Local"
	default:
		_, off := t.Zone()
		name, _ := t.Zone()
		loc = fmt.Sprintf("%sFixedZone(%q, %d)", w.qual("time"), name, off)
	}
	fmt.Fprintf(b, "%sDate(%d, %s%s, %d, %d, %d, %d, %d, %s)", w.qual("time"), t.Year(), w.qual("time"), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	return nil
}

// duration writes d in the largest unit that divides it: 1500 *
// time.Millisecond, 2 * time.Hour.
func (w *Writer) duration(d time.Duration) string {
	q := w.qual("time")
	if d == 0 {
		return "0"
	}
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"}, {time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}} {
		if d%u.d == 0 {
			if n := d / u.d; n == 1 {
				return q + u.name
			} else {
				return fmt.Sprintf("%d * %s%s", n, q, u.name)
			}
		}
	}
	return fmt.Sprintf("%s(%d)", q+"Duration", int64(d))
}

// qual returns "name." for the package at path, or "" for Home.
func (w *Writer) qual(path string) string {
	if path == w.Home && !w.MarkHome {
		return ""
	}
	if w.Qualify != nil {
		if n := w.Qualify(path); n != "" {
			return n + "."
		}
		return ""
	}
	return path[strings.LastIndexByte(path, '/')+1:] + "."
}

// typeName spells t as the test file names it.
func (w *Writer) typeName(t reflect.Type) (string, error) {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name(), nil // predeclared
		}
		if strings.ContainsAny(t.Name(), "[") && strings.Contains(t.Name(), "/") {
			return "", unwritable("a generic type whose type arguments are other packages' (%s)", t)
		}
		if !isExported(t.Name()) {
			if t.PkgPath() != w.Home {
				return "", unwritable("%s is unexported, and another package's", t)
			}
			w.Unexported = true
		}
		// reflect spells Pair[string,int]; gofmt, Pair[string, int].
		return w.qual(t.PkgPath()) + strings.ReplaceAll(t.Name(), ",", ", "), nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		n, err := w.typeName(t.Elem())
		return "*" + n, err
	case reflect.Slice:
		n, err := w.typeName(t.Elem())
		return "[]" + n, err
	case reflect.Array:
		n, err := w.typeName(t.Elem())
		return fmt.Sprintf("[%d]%s", t.Len(), n), err
	case reflect.Map:
		k, err := w.typeName(t.Key())
		if err != nil {
			return "", err
		}
		e, err := w.typeName(t.Elem())
		return "map[" + k + "]" + e, err
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any", nil
		}
	case reflect.Struct:
		var fields []string
		for i := range t.NumField() {
			f := t.Field(i)
			n, err := w.typeName(f.Type)
			if err != nil {
				return "", err
			}
			fields = append(fields, f.Name+" "+n)
		}
		return "struct{ " + strings.Join(fields, "; ") + " }", nil
	}
	return "", unwritable("a type with no name to write (%s)", t)
}

func isExported(name string) bool {
	return name != "" && strings.ToUpper(name[:1]) == name[:1]
}
