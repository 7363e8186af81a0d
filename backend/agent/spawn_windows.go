//go:build windows

package agent

import (
	"os/exec"
	"syscall"
)

// createNoWindow is CREATE_NO_WINDOW: the helper is a console program, and a GUI that starts
// it must not flash a console window on the user's screen.
const createNoWindow = 0x08000000

func hideConsole(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}
