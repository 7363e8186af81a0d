// Command sendgaps reads the send times of echo requests taken from a capture of the wire
// (tshark -T fields -e frame.time_epoch -e icmp.ident, one request a line) and prints, per
// identifier, how regular the sender was: requests, requests per second, and the median,
// 99th percentile and largest gap between consecutive requests. scripts/bench.sh gap runs
// it on a capture holding an Echoscope GUI-path session and iputils ping side by side.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// flow is the requests of one identifier.
type flow struct {
	ID    uint16
	Times []float64 // seconds since the epoch, in capture order
}

// gapStats is what the benchmark compares.
type gapStats struct {
	ID                uint16
	Requests          int
	Seconds           float64 // first to last request
	PerSecond         float64
	P50Ms, P99Ms, Max float64
}

// readFlows parses "epoch ident" lines; the identifier may be decimal or 0x-hex (tshark
// prints it either way depending on its version and preferences). Lines that are not two
// such fields are an error in words, with their number.
func readFlows(r io.Reader) (map[uint16]*flow, error) {
	flows := map[uint16]*flow{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("line %d: want \"epoch identifier\", got %q", n, line)
		}
		t, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: time %q: %w", n, f[0], err)
		}
		id, err := strconv.ParseUint(strings.Split(f[1], ",")[0], 0, 16)
		if err != nil {
			return nil, fmt.Errorf("line %d: identifier %q: %w", n, f[1], err)
		}
		fl := flows[uint16(id)]
		if fl == nil {
			fl = &flow{ID: uint16(id)}
			flows[uint16(id)] = fl
		}
		fl.Times = append(fl.Times, t)
	}
	return flows, sc.Err()
}

// measure computes a flow's gap statistics (nearest-rank percentiles, in milliseconds).
func measure(fl *flow) gapStats {
	s := gapStats{ID: fl.ID, Requests: len(fl.Times)}
	if len(fl.Times) < 2 {
		return s
	}
	times := slices.Clone(fl.Times)
	slices.Sort(times)
	gaps := make([]float64, 0, len(times)-1)
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, (times[i]-times[i-1])*1000)
	}
	slices.Sort(gaps)
	s.Seconds = times[len(times)-1] - times[0]
	if s.Seconds > 0 {
		s.PerSecond = float64(len(times)-1) / s.Seconds
	}
	rank := func(q float64) float64 {
		return gaps[max(0, min(len(gaps)-1, int(math.Ceil(q*float64(len(gaps))))-1))]
	}
	s.P50Ms, s.P99Ms, s.Max = rank(0.50), rank(0.99), gaps[len(gaps)-1]
	return s
}
