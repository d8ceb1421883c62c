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
	typeUsageErrors(cmd)
	return cmd
}

// NewCmdAnalyzeRoot returns the stand-alone `mnet-analyze` command.
func NewCmdAnalyzeRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := analyzecmd.NewCmdAnalyze(f, "mnet-analyze", nil)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetIn(f.IOStreams.In)
	typeUsageErrors(cmd)
	return cmd
}

// typeUsageErrors makes cobra's own usage errors typed where they arise:
// flag parsing errors, argument-count errors and unknown commands become
// *cmdutil.FlagError (exit code 2). Commands return FlagErrors for their
// own checks.
func typeUsageErrors(cmd *cobra.Command) {
	if !cmd.HasParent() {
		cmd.InitDefaultHelpCmd()
		cmd.InitDefaultCompletionCmd()
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	switch {
	case cmd.Args != nil:
		cmd.Args = cmdutil.UsageArgs(cmd.Args)
	case cmd.HasSubCommands() && !cmd.HasParent():
		cmd.Args = cmdutil.NoSubcommand
	}
	for _, c := range cmd.Commands() {
		typeUsageErrors(c)
	}
}

// Run executes cmd with args and returns the process exit code, printing
// any error to the error stream.
func Run(ctx context.Context, cmd *cobra.Command, f *cmdutil.Factory, args []string) int {
	cmd.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	c, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	var fe *cmdutil.FlagError
	fmt.Fprintf(f.IOStreams.ErrOut, "%s: %v\n", cmd.Name(), err)
	if errors.As(err, &fe) && c != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "Run '%s --help' for usage.\n", c.CommandPath())
	}
	return cmdutil.ExitCode(err)
}
