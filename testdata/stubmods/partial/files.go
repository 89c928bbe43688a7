// Copyright 2024 The Partial Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package partial

import (
	"os"
	"path/filepath"
)

// Exists reports whether name exists.
func Exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// Join joins dir and names.
func Join(dir string, names ...string) string {
	return filepath.Join(append([]string{dir}, names...)...)
}
