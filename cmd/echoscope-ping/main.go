// Command echoscope-ping is Echoscope's privileged helper and command-line tool. This file
// only dispatches subcommands; each lives in its own file.
package main

import (
	"io"
	"os"

	"echoscope/cmd/echoscope-ping/internal/cli"
	"echoscope/cmd/echoscope-ping/internal/exporter"
	"echoscope/cmd/echoscope-ping/internal/trace"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches on the first argument and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "decode" {
		return runDecode(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "trace" {
		return trace.Main(args[1:], "echoscope-ping "+cli.Version, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "exporter" {
		return exporter.Main(args[1:], stdout, stderr) // Prometheus metrics (exporter/doc.go)
	}
	// Everything else is the ping command (iputils flags) or --agent.
	return cli.Main(args, stdin, stdout, stderr)
}
