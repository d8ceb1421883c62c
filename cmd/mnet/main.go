// Command mnet analyses, runs and designs MobileNet-style networks; see
// `mnet --help`.
package main

import (
	"context"
	"os"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/root"
)

func main() {
	f := cmdutil.New()
	os.Exit(root.Run(context.Background(), root.NewCmdRoot(f), f, os.Args[1:]))
}
