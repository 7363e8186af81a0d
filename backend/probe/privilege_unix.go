//go:build !windows

package probe

import "os"

func isRealRoot() bool { return os.Getuid() == 0 }
