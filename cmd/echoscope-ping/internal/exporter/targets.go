package exporter

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"echoscope/backend/probe"
)

// MaxTargets bounds the targets of one exporter: every target is a fixed set of series
// (about 40 with the histogram's buckets), so 4096 targets are ~160,000 series per scrape,
// already more than one scrape should carry. It is also the monitor's own bound.
const MaxTargets = probe.MaxMonitorTargets

// MaxTargetsFileBytes bounds the targets file: MaxTargets host names of up to 253
// characters fit in 1 MiB with room for comments. A larger file is refused, not truncated.
const MaxTargetsFileBytes = 1 << 20

// maxHostLen is the longest DNS name (RFC 1035), longer than any address literal.
const maxHostLen = 253

// readTargetsFile reads a targets file: one host name or address per line; blank lines and
// everything after a '#' are ignored. Errors name the file and the line.
func readTargetsFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("targets file: %w", err)
	}
	defer f.Close()
	// One byte more than allowed tells a file of exactly the limit from a larger one.
	data, err := io.ReadAll(io.LimitReader(f, MaxTargetsFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("targets file %s: %w", path, err)
	}
	if len(data) > MaxTargetsFileBytes {
		return nil, fmt.Errorf("targets file %s is larger than %d bytes", path, MaxTargetsFileBytes)
	}
	hosts, err := parseTargets(data)
	if err != nil {
		return nil, fmt.Errorf("targets file %s: %w", path, err)
	}
	return hosts, nil
}

// parseTargets parses a targets file's contents (see readTargetsFile).
func parseTargets(data []byte) ([]string, error) {
	var hosts []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxTargetsFileBytes)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		switch {
		case len(fields) == 0:
			continue
		case len(fields) > 1:
			return nil, fmt.Errorf("line %d: %q is more than one host (one per line)", line, strings.TrimSpace(text))
		}
		if err := checkHost(fields[0]); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		hosts = append(hosts, fields[0])
		if len(hosts) > MaxTargets {
			return nil, fmt.Errorf("more than %d targets", MaxTargets)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return hosts, nil
}

// checkHost refuses what cannot be a host name or address before the resolver sees it.
func checkHost(h string) error {
	if len(h) > maxHostLen {
		return fmt.Errorf("host name of %d characters (at most %d)", len(h), maxHostLen)
	}
	for _, r := range h {
		if r < 0x21 || r == 0x7f {
			return fmt.Errorf("host %q has a control character", h)
		}
	}
	return nil
}

// mergeTargets joins the command line's targets and the file's, in that order, each host
// once (a host is one set of series: two targets with the same name would share them).
func mergeTargets(lists ...[]string) ([]string, error) {
	seen := make(map[string]bool)
	var out []string
	for _, l := range lists {
		for _, h := range l {
			if seen[h] {
				continue
			}
			seen[h] = true
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no targets (give hosts on the command line or in --targets-file)")
	}
	if len(out) > MaxTargets {
		return nil, fmt.Errorf("%d targets, at most %d", len(out), MaxTargets)
	}
	return out, nil
}
