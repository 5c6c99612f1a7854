package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at release build time with -ldflags "-X main.version=…".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// env is what a command may use of the process: its environment and its
// standard streams. Tests give their own.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errLogged marks an error that was logged already, in the operator's
// format: it is not printed again, and keeps its exit status.
type errLogged struct{ error }

func (e errLogged) Unwrap() error { return e.error }

// errUsage marks an error that exits with status 2.
type errUsage struct{ error }

func (e errUsage) Unwrap() error { return e.error }

// run is the whole program: it returns the exit status, 2 for a usage
// error and 1 for any other.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := fang.Execute(context.Background(), root,
		fang.WithVersion(buildVersion()),
		// One plain line, for people and for scripts and journals alike.
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) {
			if !errors.As(err, new(errLogged)) {
				fmt.Fprintln(w, "resume:", err)
			}
		}),
	)
	var usage errUsage
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		return 2
	}
	return 1
}

// newRoot is the command tree: resume alone serves, as resume serve does.
func newRoot(e *env) *cobra.Command {
	root := newServe(e, "resume")
	root.Short = "Serve a résumé over SSH"
	root.Long = "resume serves a résumé over SSH: a browser for visitors with a terminal, plain text and JSON\n" +
		"for scripts. Every flag can also be set with an environment variable: --log-format is\n" +
		"RESUME_LOG_FORMAT. A flag on the command line wins."
	root.Args = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return errUsage{fmt.Errorf("unknown command %q (see resume --help)", args[0])}
		}
		return nil
	}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return bindEnv(cmd, e.getenv) }
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return errUsage{fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())}
	})
	root.AddCommand(newServe(e, "serve"), newView(e), newExport(e), newCheck(e), newInbox(e), newMigrate(e), newHostkey(e), newVersion(e))
	return root
}

// noArgs refuses arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return errUsage{fmt.Errorf("unexpected argument %q (see %s --help)", args[0], cmd.CommandPath())}
	}
	return nil
}

// bindEnv sets each flag that the command line did not from its RESUME_*
// variable: --log-format from RESUME_LOG_FORMAT.
func bindEnv(cmd *cobra.Command, getenv func(string) string) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		name := "RESUME_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if serr := f.Value.Set(v); serr != nil {
				err = errUsage{fmt.Errorf("%s=%q: %w", name, v, serr)}
			}
		}
	})
	return err
}

// explain makes the parse errors of every flag in fs say what was
// wanted; pflag's own quote Go's parser ("time: missing unit in
// duration").
func explain(fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) { f.Value = explained{f.Value} })
}

type explained struct{ pflag.Value }

func (v explained) Set(s string) error {
	err := v.Value.Set(s)
	if err == nil {
		return nil
	}
	switch v.Type() {
	case "duration":
		return errors.New("want a duration such as 10s, 10m or 1h30m")
	case "int", "int64", "uint", "uint64":
		return errors.New("want a whole number")
	case "bool":
		return errors.New("want true or false")
	}
	return err //nolint:wrapcheck // the value's own, already clear
}

// defaultShutdownTimeout is how long SIGTERM waits for sessions: within
// the unit's TimeoutStopSec of 20 s.
const defaultShutdownTimeout = 10 * time.Second
