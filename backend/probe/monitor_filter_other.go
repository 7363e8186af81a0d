//go:build !linux

package probe

// attachIDRange: only Linux has the kernel filter; elsewhere other programs' echo replies
// are sorted out in user space (counted in MonitorSummary.Unattributed).
func attachIDRange(packetConn, uint16, int) error { return nil }

// readTXInline: no direct mode outside Linux (ReadInLoop then changes nothing).
func readTXInline(packetConn) {}
