// Copyright 2024 The Partial Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

//go:build linux

package partial

import (
	"os"
	"strconv"
)

// SelfStat is only built on Linux: a test file for it needs the same
// constraint (and header).
func SelfStat() (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getpid()) + "/stat")
	return string(b), err
}

func pidPath(pid int) string { return "/proc/" + strconv.Itoa(pid) }
