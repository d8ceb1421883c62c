// Package root assembles the mnet command tree and runs it.
package root

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/cmd/internal/analyzecmd"
	"mnet.dev/mnet/cmd/internal/classifycmd"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/execcmd"
	"mnet.dev/mnet/cmd/internal/importcmd"
	"mnet.dev/mnet/cmd/internal/papercmd"
	"mnet.dev/mnet/cmd/internal/plotcmd"
	"mnet.dev/mnet/cmd/internal/sweepcmd"
	"mnet.dev/mnet/cmd/internal/tuicmd"
)

// NewCmdRoot returns the `mnet` command with its subcommands.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mnet <command>",
		Short: "Analyse, run and design efficient convolutional networks (MobileNets)",
		Long: `mnet analyses, runs and designs efficient convolutional networks in the
manner of the MobileNets paper (Howard et al. 2017): exact mult-adds,
parameters and memory per layer and per layer type, the paper's tables
reproduced, and the α x resolution trade-off.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// With no arguments on a terminal, mnet opens the explorer.
		RunE: func(c *cobra.Command, args []string) error {
			if f.IOStreams.InTTY && f.IOStreams.OutTTY {
				return tuicmd.Run(c.Context(), tuicmd.NewOptions(f))
			}
			return c.Help()
		},
	}
	cmd.CompletionOptions.HiddenDefaultCmd = true
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetIn(f.IOStreams.In)
	cmd.AddCommand(analyzecmd.NewCmdAnalyze(f, "analyze", nil))
	cmd.AddCommand(papercmd.NewCmdPaper(f, nil))
	cmd.AddCommand(sweepcmd.NewCmdSweep(f, nil))
	cmd.AddCommand(plotcmd.NewCmdPlot(f, nil))
	cmd.AddCommand(tuicmd.NewCmdTui(f, nil))
	cmd.AddCommand(execcmd.NewCmdExec(f, nil))
	cmd.AddCommand(classifycmd.NewCmdClassify(f, nil))
	cmd.AddCommand(importcmd.NewCmdImport(f, nil))
	setFlagErrors(cmd)
	return cmd
}

// NewCmdAnalyzeRoot returns the stand-alone `mnet-analyze` command.
func NewCmdAnalyzeRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := analyzecmd.NewCmdAnalyze(f, "mnet-analyze", nil)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetIn(f.IOStreams.In)
	setFlagErrors(cmd)
	return cmd
}

// setFlagErrors makes flag parsing errors usage errors (exit code 2).
func setFlagErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	for _, c := range cmd.Commands() {
		setFlagErrors(c)
	}
}

// Run executes cmd with args and returns the process exit code, printing
// any error to the error stream.
func Run(ctx context.Context, cmd *cobra.Command, f *cmdutil.Factory, args []string) int {
	cmd.SetArgs(args)
	c, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	// cobra reports unknown commands and wrong argument counts as plain
	// errors; they are usage errors too.
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) && isUsage(err) {
		err = &cmdutil.FlagError{Err: err}
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "%s: %v\n", cmd.Name(), err)
	if errors.As(err, &fe) && c != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "Run '%s --help' for usage.\n", c.CommandPath())
	}
	return cmdutil.ExitCode(err)
}
