// Package proc runs child processes in process groups of their own, so
// that an interrupt or a timeout reaches everything a go command or a test
// binary started, and nothing is left running afterwards.
package proc
