package history

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/capture/capturetest"
	"echoscope/backend/probe"
)

func fixture(t testing.TB, name string) []byte { return capturetest.Fixture(t, name) }

// fixtureDatagrams returns the IP datagrams and times of a fixture captured on Linux lo.
func fixtureDatagrams(t testing.TB) ([][]byte, []time.Time) {
	t.Helper()
	r, err := capture.NewReader(bytes.NewReader(fixture(t, "loopback.pcapng")))
	if err != nil {
		t.Fatal(err)
	}
	var ips [][]byte
	var times []time.Time
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return ips, times
		}
		if err != nil {
			t.Fatal(err)
		}
		ips = append(ips, append([]byte(nil), f.Data[14:]...))
		times = append(times, f.Time)
	}
}

// extractAll extracts every ICMP echo and error packet of a capture in memory, in file
// order, with the counts; it stops at the first reading error and returns it.
func extractAll(data []byte) ([]Packet, ExtractStats, error) {
	var st ExtractStats
	r, err := capture.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, st, err
	}
	var rows []Packet
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, st, nil
		}
		if err != nil {
			return rows, st, err
		}
		if x, ok := extractFrame(f, &st); ok {
			rows = append(rows, x.p)
		}
	}
}

// classifyRows judges rows in memory (whole IP datagrams, unclassified) as an import of a
// capture holding them does: planned, then judged in time order. It returns the rows with
// the loss rows among them, and the statistics.
func classifyRows(rows []Packet, timeout time.Duration) ([]Packet, probe.Stats) {
	src := inTimeOrder(func(yield func(time.Time, *extracted) bool) error {
		for _, p := range rows {
			trunc := false
			if len(p.Bytes) > 0 && p.IncludesIPHeader {
				_, _, trunc, _ = packetOfIP(p.Bytes)
			}
			if !yield(p.Time.Time, &extracted{p: p, truncated: trunc}) {
				return nil
			}
		}
		return nil
	})
	plan := newImportPlan(timeout)
	src(func(x *extracted) bool { n := plannedOf(&x.p); plan.add(&n); return true }) //nolint:errcheck // never fails
	plan.finish()
	var out []Packet
	j := newJudge(plan, timeout, func(p Packet) error { out = append(out, p); return nil })
	src(func(x *extracted) bool { return j.add(x) == nil }) //nolint:errcheck // never fails
	st, _ := j.finish()
	return out, st
}
