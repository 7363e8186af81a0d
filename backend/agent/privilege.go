package agent

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
)

// capNetRawBit is CAP_NET_RAW's bit number (linux/capability.h).
const capNetRawBit = 13

// hasCapNetRaw reports whether CAP_NET_RAW is in this process's effective set. It reads
// /proc/self/status (no libcap, no cgo); on systems without it the answer is false.
func hasCapNetRaw() bool {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return false
	}
	defer f.Close()
	return capEffHas(f, capNetRawBit)
}

// capEffHas parses the CapEff line of a /proc/<pid>/status file.
func capEffHas(r io.Reader, bit uint) bool {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "CapEff:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&(1<<bit) != 0
		}
	}
	return false
}
