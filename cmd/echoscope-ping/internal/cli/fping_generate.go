package cli

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"echoscope/backend/probe"
)

// fpingMaxGenerate is how many addresses -g makes without --force: a /22, what the app
// offers without a second question. fping 5.1 itself stops a start-end range at 131072
// addresses ("-g parameter generates too many addresses") and none for a CIDR; a monitor
// has at most probe.MaxMonitorTargets, which --force reaches.
const fpingMaxGenerate = 1024

// generateTargets expands -g's arguments: one CIDR (network and broadcast addresses left
// out below /31, as fping), or a start and an end address, both included. IPv4 only, as
// fping's -g.
func generateTargets(args []string, force bool) ([]string, error) {
	limit := fpingMaxGenerate
	if force {
		limit = probe.MaxMonitorTargets
	}
	var first, last uint32
	switch len(args) {
	case 1:
		addr, bits, ok := strings.Cut(args[0], "/")
		if !ok {
			return nil, fmt.Errorf("-g needs a CIDR (192.0.2.0/24) or a start and an end address, got %q", args[0])
		}
		a, err := netip.ParseAddr(addr)
		if err != nil || !a.Is4() {
			return nil, fmt.Errorf("-g works with IPv4 addresses only: %q", addr)
		}
		n, err := strconv.Atoi(bits)
		if err != nil || n < 1 || n > 32 {
			return nil, fmt.Errorf("netmask must be between 1 and 32 (is: %s)", bits)
		}
		mask := ^uint32(0) << (32 - n)
		first = ipv4Uint(a) & mask
		last = first | ^mask
		if n < 31 {
			first, last = first+1, last-1 // not the network and broadcast addresses
		}
	case 2:
		a, errA := netip.ParseAddr(args[0])
		b, errB := netip.ParseAddr(args[1])
		if errA != nil || errB != nil || !a.Is4() || !b.Is4() {
			return nil, fmt.Errorf("-g works with IPv4 addresses only: %q %q", args[0], args[1])
		}
		first, last = ipv4Uint(a), ipv4Uint(b)
		if last < first {
			return nil, fmt.Errorf("-g: the end address %s is before the start %s", b, a)
		}
	default:
		return nil, fmt.Errorf("-g needs a CIDR or a start and an end address, got %d arguments", len(args))
	}
	if n := uint64(last) - uint64(first) + 1; n > uint64(limit) {
		if force {
			return nil, fmt.Errorf("-g parameter generates too many addresses (%d; a monitor has at most %d)", n, limit)
		}
		return nil, fmt.Errorf("-g parameter generates too many addresses (%d; at most %d, a /22, without --force)", n, limit)
	}
	out := make([]string, 0, last-first+1)
	for v := uint64(first); v <= uint64(last); v++ {
		out = append(out, netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String())
	}
	return out, nil
}

func ipv4Uint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// readTargetFile reads -f FILE ("-": stdin): one target per line, blank lines and lines
// starting with # skipped, as fping. At most probe.MaxMonitorTargets.
func readTargetFile(path string, stdin io.Reader) ([]string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		out = append(out, strings.Fields(line)[0])
		if len(out) > probe.MaxMonitorTargets {
			return nil, fmt.Errorf("%s: more than %d targets", path, probe.MaxMonitorTargets)
		}
	}
	return out, sc.Err()
}
