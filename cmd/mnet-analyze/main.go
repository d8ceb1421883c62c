// Command mnet-analyze prints the exact cost analysis of a network spec; it
// is the same as `mnet analyze`. Without arguments it analyzes MobileNet v1
// 1.0-224.
package main

import (
	"context"
	"os"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/root"
)

func main() {
	f := cmdutil.New()
	os.Exit(root.Run(context.Background(), root.NewCmdAnalyzeRoot(f), f, os.Args[1:]))
}
