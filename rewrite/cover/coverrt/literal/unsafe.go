//go:build go1.22

package literal

import (
	"reflect"
	"unsafe"
)

// readable returns field i of struct v such that it can be read even when
// unexported (the package's own types: its tests may write them).
func readable(v reflect.Value, i int) reflect.Value {
	if !v.CanAddr() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	f := v.Field(i)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
