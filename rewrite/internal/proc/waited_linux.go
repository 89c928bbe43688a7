package proc

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Waited returns how long the threads of the running process pid have
// spent ready to run but waiting for a CPU (the run delay the scheduler
// keeps in /proc/PID/task/TID/schedstat), summed over its threads. ok is
// false when the system does not say.
//
// It tells a process that was slow because the machine was busy from one
// that was slow by itself: blocked, or busy on a CPU of its own.
func Waited(pid int) (d time.Duration, ok bool) {
	stats, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "schedstat"))
	for _, name := range stats {
		data, err := os.ReadFile(name)
		if err != nil {
			continue // the thread is gone
		}
		// The fields: time on a CPU, time waiting for one (both in
		// nanoseconds), time slices run.
		fields := bytes.Fields(data)
		if len(fields) < 2 {
			continue
		}
		ns, err := strconv.ParseInt(string(fields[1]), 10, 64)
		if err != nil {
			continue
		}
		d += time.Duration(ns)
		ok = true
	}
	return d, ok
}
