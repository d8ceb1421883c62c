// Package cmdutil holds what mnet's commands share: the Factory that gives
// them their streams and loads networks; usage errors (FlagError, exit 2)
// and exit codes; the output formats (--format and Print); the
// network-level flags and their limits (spec's); α and resolution ranges;
// and the progress bar of measurements.
package cmdutil

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// FlagError is a usage error: bad flags or arguments. It exits with 2.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf returns a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		return ExitUsage
	}
	return ExitError
}

// UsageArgs makes the errors of an argument validator (cobra.ExactArgs,
// MaximumNArgs, ...) usage errors.
func UsageArgs(args cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := args(cmd, a); err != nil {
			var fe *FlagError
			if errors.As(err, &fe) {
				return err
			}
			return &FlagError{Err: err}
		}
		return nil
	}
}

// NoSubcommand is the argument validator of a command that only groups
// subcommands: an argument is an unknown command, a usage error (cobra's
// own message, with its suggestions).
func NoSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if !cmd.DisableSuggestions {
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "\n\nDid you mean this?\n"
			for _, x := range s {
				msg += "\t" + x + "\n"
			}
		}
	}
	return &FlagError{Err: errors.New(msg)}
}
