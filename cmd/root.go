// Package cmd is gorewrite's command line: thin cobra commands that parse
// flags, build the engine's configuration and rules, run the engine and map
// what happened to output and exit codes. Standard streams and the working
// directory are injected (see Main) so tests run the CLI in-process.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK          = 0   // success, whether or not files changed
	ExitFailed      = 1   // some file or package could not be processed or written
	ExitUsage       = 2   // bad flags or arguments, bad rule
	ExitInterrupted = 130 // stopped by SIGINT or SIGTERM
)

// Exit code 3 is ExitThreshold (mutate.go): a gate such as mutate
// --threshold was not met; 4 is ExitTimeLimit (mutate --max-time).

// app carries what every command needs: the streams and the directory.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dir            string
}

// usageError marks errors in how the tool was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errFailed means problems were reported already; exit 1 without more.
var errFailed = errors.New("failed")

// errInterruptSaid ends a command that said it was interrupted already:
// exit 130 without more.
var errInterruptSaid = errors.New("interrupted")

// Execute runs gorewrite with the process's arguments and streams and
// returns the exit code. SIGINT and SIGTERM cancel the run: files being
// written are finished or not started, never half-written.
func Execute() int {
	// A run allocates many short-lived syntax trees: collecting garbage
	// less often saves a quarter of the time on large trees, for about
	// twice the memory (which a soft limit keeps in bounds). GOGC and
	// GOMEMLIMIT, when set, win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, "")
}

// Main runs gorewrite with the given arguments, streams and working
// directory ("" for the process's) and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, dir string) int {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(stderr, "gorewrite: %v\n", err)
			return ExitFailed
		}
		dir = wd
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, dir: dir}
	root := a.rootCommand()
	root.SetArgs(protectPairArg(args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case ctx.Err() != nil:
		if !errors.Is(err, errInterruptSaid) {
			fmt.Fprintln(stderr, "gorewrite: interrupted")
		}
		return ExitInterrupted
	case errors.Is(err, errFailed):
		return ExitFailed
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsageError(err) {
		fmt.Fprintf(stderr, "gorewrite: %v\n", err)
		if c, _, ferr := root.Find(protectPairArg(args)); ferr == nil && c != nil && c != root {
			// CommandPath, not Name: a subcommand's help is 'gorewrite cover report --help'.
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", c.CommandPath())
		} else {
			fmt.Fprintln(stderr, "Run 'gorewrite --help' for usage.")
		}
		return ExitUsage
	}
	fmt.Fprintf(stderr, "gorewrite: %v\n", err)
	return ExitFailed
}

// isCobraUsageError recognizes the errors cobra returns for unknown
// commands, which it does not type.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	return len(msg) > 16 && msg[:16] == "unknown command "
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gorewrite",
		Short: "Rewrite Go code with rules that know Go: swap operators, apply patterns",
		Long: `gorewrite loads Go packages, runs rewrite rules over their syntax trees and
prints the rewritten source, a diff, or the names of changed files, or writes
the files in place. Only what a rule changes is edited: comments, blank lines
and untouched code come out byte for byte, and the result is gofmt-clean.

Exit codes: 0 success (with or without changes), 1 a file or package could
not be processed or written (details on stderr), 2 usage error, 3 a
threshold was not met (mutate --threshold), 4 a time limit ran out (mutate
--max-time), 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints what the version command prints. The template
		// is the line itself: it holds no template actions.
		Version: version(),
	}
	root.SetVersionTemplate(versionLine())
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = "print gorewrite's version, as gorewrite version does"
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(a.swapCommand(), a.rewriteCommand(), a.coverCommand(), a.traceCommand(), a.mutateCommand(), a.stubCommand(), a.rulesCommand(), a.versionCommand())
	return root
}

// exactArgs is cobra.ExactArgs with usage errors.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s: missing %s", cmd.Name(), what)
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments", cmd.Name())
	}
	return nil
}
