//go:build !linux

// Command echoscope-testhost needs Linux network namespaces; elsewhere it only says so.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "echoscope-testhost: needs Linux network namespaces")
	os.Exit(1)
}
