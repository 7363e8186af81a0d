//go:build !windows

package agent

import "os/exec"

// hideConsole is only needed on Windows (see spawn_windows.go).
func hideConsole(*exec.Cmd) {}
