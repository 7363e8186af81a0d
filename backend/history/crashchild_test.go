package history

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// A crash test stores through a child process (this test binary re-executed to run one test)
// and SIGKILLs it mid-write: nothing in the child can tidy up after the kill, as in a real
// crash. The child finds its database path in an environment variable and talks to the parent
// in lines on its stdout; the parent then opens the database the child left behind.

// crashChild is the parent's handle on a running child.
type crashChild struct {
	cmd *exec.Cmd
	// lines is the child's stdout, a line at a time.
	lines  *bufio.Scanner
	killed bool
	ended  bool
}

// startCrashChild re-executes the test binary running only childTest, with env=dbPath in its
// environment. Run as that child itself, the calling test is skipped. The child is killed at
// the test's end if the test did not end it.
func startCrashChild(t *testing.T, childTest, env, dbPath string) *crashChild {
	t.Helper()
	if os.Getenv(env) != "" {
		t.Skip("the child runs only " + childTest)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+childTest+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+dbPath)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &crashChild{cmd: cmd, lines: bufio.NewScanner(stdout)}
	t.Cleanup(func() {
		if !c.ended {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return c
}

// kill sends SIGKILL: the crash.
func (c *crashChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.killed = true
}

// waitKilled waits for the child's end and fails the test unless SIGKILL ended it (a child
// that ended by itself, or failed, did not test a crash). progress says how far it got.
func (c *crashChild) waitKilled(t *testing.T, progress string) {
	t.Helper()
	err := c.cmd.Wait()
	c.ended = true
	if !c.killed {
		t.Fatalf("the child ended by itself (%v) before it was killed; %s", err, progress)
	}
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child ended with %v, want SIGKILL; %s", c.cmd.ProcessState, progress)
	}
}

// crashChildDB is, in the child, the database path its parent gave; run on its own (no parent,
// env unset), the child test is skipped.
func crashChildDB(t *testing.T, env, parentTest string) string {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Skip("runs only as the child of " + parentTest)
	}
	return path
}

// childFail ends the child with a line the parent reads as a failure ("error ..."): t.Fatal's
// output would not reach the parent as one line of the protocol.
func childFail(err error) {
	fmt.Println("error", err)
	os.Exit(2)
}
