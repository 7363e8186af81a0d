// Command echoscope-ping is Echoscope's privileged helper and command-line tool. This file
// only dispatches subcommands; each lives in its own file.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches on the first argument and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "decode" {
		return runDecode(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintln(stderr, "usage: echoscope-ping decode [--json] [--trace] [--payload echoscope] [-4|-6] [--src ADDR --dst ADDR] HEX|-")
	return 2
}
