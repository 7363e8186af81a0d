// Package testbin builds the project's own echoscope-ping for tests that must run the real
// helper (agent client, GUI engine manager, CLI end-to-end tests), so the build command and
// its flags live in one place.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BuildEchoscopePing builds cmd/echoscope-ping as shipped (static: CGO_ENABLED=0) to
// dir/name and returns that path.
func BuildEchoscopePing(dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	build := exec.Command("go", "build", "-o", path, "echoscope/cmd/echoscope-ping")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building echoscope-ping: %w\n%s", err, out)
	}
	return path, nil
}

// MainWithEchoscopePing is a TestMain body: it builds echoscope-ping into a temporary
// directory under name, hands the path to use, runs the tests, removes the directory and
// returns the exit code for os.Exit (2 when the build fails).
func MainWithEchoscopePing(m *testing.M, name string, use func(path string)) int {
	dir, err := os.MkdirTemp("", "echoscope-ping-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	path, err := BuildEchoscopePing(dir, name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	use(path)
	return m.Run()
}
