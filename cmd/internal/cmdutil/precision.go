package cmdutil

import (
	"github.com/spf13/cobra"

	"mnet.dev/mnet/spec"
)

// AddPrecisionFlag adds --precision: "" (the network's own: int8 for a
// quantized model, float32 otherwise), float or int8.
func AddPrecisionFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "precision", "", "arithmetic: float or int8 (default: the model's own, int8 for a quantized model, float otherwise)")
}

// CheckPrecision refuses an unknown --precision value.
func CheckPrecision(p string) error {
	switch spec.Precision(p) {
	case spec.PrecisionAuto, spec.PrecisionFloat, spec.PrecisionInt8:
		return nil
	}
	return FlagErrorf("--precision %q: want float or int8", p)
}
