// Copyright 2024 The Partial Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build !windows

package partial

import (
	"testing"
)

func TestExists(t *testing.T) {
	if !Exists("/") {
		t.Error("/ does not exist")
	}
}
