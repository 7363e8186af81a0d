package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"echoscope/internal/testbin"
)

// bin is echoscope-ping built for these tests (static, as shipped).
var bin string

func TestMain(m *testing.M) {
	os.Exit(testbin.MainWithEchoscopePing(m, "echoscope-ping", func(path string) { bin = path }))
}

// result is one finished run of a command.
type result struct {
	stdout, stderr string
	code           int
}

// run runs name with args and returns its output and exit code; a failure to start is fatal.
func run(t *testing.T, name string, args ...string) result {
	t.Helper()
	r, err := runQuiet(name, args...)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return r
}

// runQuiet is run for other goroutines than the test's: a failure to start is returned.
func runQuiet(name string, args ...string) (result, error) {
	cmd := exec.Command(name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return result{}, err
	}
	return result{out.String(), errb.String(), code}, nil
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}
