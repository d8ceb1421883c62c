// Package importcmd implements `mnet import`: write the spec equivalent of
// a TensorFlow Lite model, so every other command works on it.
package importcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/atomicfile"
	"mnet.dev/mnet/spec"
)

// Options are the import command's inputs.
type Options struct {
	IO     *iostreams.IOStreams
	Load   func(string) (*cmdutil.Model, error)
	Model  string
	Output string // "" or "-": standard output
}

// NewCmdImport builds the command; runF replaces the run function in tests.
func NewCmdImport(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadModel}
	cmd := &cobra.Command{
		Use:   "import MODEL.tflite [-o SPEC.yaml]",
		Short: "Write the spec of a TensorFlow Lite model (layers, shapes, strides, padding, activations)",
		Long: `Read a TensorFlow Lite model and write the equivalent mnet spec: every
layer with its filters, kernel, stride, padding and activation, so the
analysis and the other commands work on it. The spec holds the structure,
not the weights (mnet exec and classify read those from the .tflite file
itself). The file is written atomically; without -o the spec goes to
standard output.`,
		Example: `  mnet import mobilenet_v1_0.25_224_float.tflite -o mobilenet_025.yaml
  mnet analyze mobilenet_025.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Model = args[0]
			if !cmdutil.IsModelFile(opts.Model) {
				return cmdutil.FlagErrorf("%s: import reads .tflite files", opts.Model)
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "spec file to write (default: standard output)")
	return cmd
}

// Run converts the model and writes its spec.
func Run(o *Options) error {
	m, err := o.Load(o.Model)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported by mnet from %s.\n", o.Model)
	if m.Imported != nil {
		for _, n := range m.Imported.Notes {
			fmt.Fprintf(&b, "# %s\n", n)
		}
	}
	b.Write(spec.Format(m.Network))
	text := b.String()
	// What is written must read back as the same network.
	if _, err := spec.Parse(o.Model+" (imported)", []byte(text)); err != nil {
		return fmt.Errorf("the imported spec does not parse back: %w", err)
	}
	if o.Output == "" || o.Output == "-" {
		_, err := io.WriteString(o.IO.Out, text)
		return err
	}
	if err := atomicfile.WriteFile(o.Output, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "wrote %s (%d layers)\n", o.Output, len(m.Network.Layers))
	return nil
}
