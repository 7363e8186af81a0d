package service

import (
	"testing"
	"time"

	"echoscope/backend/probe"
)

// An ICMP error quoting a request of ours is a marker of its own at that request's send
// time, with no RTT (it is not an answer from the target); one tied to no request, or
// without a send time, is not drawn (it would sit at a made-up time).
func TestChartPointICMPError(t *testing.T) {
	start := time.Unix(3000, 0)
	sent := start.Add(1500 * time.Millisecond)
	p, ok := chartPoint(chartEvent{probe.EventICMPError, probe.ClassICMPError, sent, 3 * time.Millisecond, 4, 4, 9}, start)
	if !ok || p.Mark != MarkICMPError || p.T != 1500 || p.RTTMs != nil || p.Index != 4 || p.Seq != 4 || p.Row != 9 {
		t.Fatalf("ICMP error point %+v, %v", p, ok)
	}
	if _, ok := chartPoint(chartEvent{probe.EventICMPError, probe.ClassICMPError, sent, 0, 0, 0, 9}, start); ok {
		t.Error("an ICMP error tied to no request is drawn")
	}
	if _, ok := chartPoint(chartEvent{probe.EventICMPError, probe.ClassICMPError, time.Time{}, 0, 4, 4, 9}, start); ok {
		t.Error("an ICMP error without a send time is drawn")
	}
	c := newSessionChart(10)
	c.add(p)
	if points, _ := c.points(); len(points) != 1 || points[0].Mark != MarkICMPError {
		t.Fatalf("session chart %+v", points)
	}
}
