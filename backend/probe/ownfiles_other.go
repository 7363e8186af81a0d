//go:build !linux

package probe

// onOwnFileTable runs the loop in place: only Linux has a per-thread file table to give it
// (see ownfiles_linux.go).
func onOwnFileTable(_ directConn, loop func(ownThread bool)) { loop(false) }
