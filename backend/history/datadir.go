package history

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DataDirEnv overrides the data directory (tests, portable installs).
const DataDirEnv = "ECHOSCOPE_DATA_DIR"

// DatabaseFile is the database's file name inside the data directory.
const DatabaseFile = "history.db"

// DefaultDataDir returns where Echoscope keeps its database on this system:
// $ECHOSCOPE_DATA_DIR if set; else $XDG_DATA_HOME/echoscope or ~/.local/share/echoscope
// on Linux and other Unixes, %AppData%\Echoscope on Windows, ~/Library/Application
// Support/Echoscope on macOS.
func DefaultDataDir() (string, error) {
	home, _ := os.UserHomeDir()
	return dataDirFor(runtime.GOOS, os.Getenv, home)
}

// dataDirFor is DefaultDataDir with the platform, environment and home directory given,
// so every platform's rule is testable on any one of them.
func dataDirFor(goos string, getenv func(string) string, home string) (string, error) {
	if d := getenv(DataDirEnv); d != "" {
		return d, nil
	}
	switch goos {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "Echoscope"), nil
		}
		if home != "" {
			return filepath.Join(home, "AppData", "Roaming", "Echoscope"), nil
		}
	case "darwin", "ios":
		if home != "" {
			return filepath.Join(home, "Library", "Application Support", "Echoscope"), nil
		}
	default:
		// XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and must be ignored.
		if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "echoscope"), nil
		}
		if home != "" {
			return filepath.Join(home, ".local", "share", "echoscope"), nil
		}
	}
	return "", fmt.Errorf("%s: set %s: %w", goos, DataDirEnv, ErrNoDataDir)
}
