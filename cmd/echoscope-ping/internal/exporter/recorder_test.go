package exporter

import (
	"net/netip"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"echoscope/backend/probe"
)

// TestRecorderCounts feeds the recorder one target's events as the monitor delivers them
// and checks every counter: requests count when their outcome is known, a request cut off
// by a stop counts nowhere, a timeout during a stop still counts as lost.
func TestRecorderCounts(t *testing.T) {
	m := newMetrics(defaultBuckets)
	s := m.newSeries(seriesKey{host: "h.test", ip: netip.MustParseAddr("198.18.0.2")})
	const timeout = time.Second
	r := &recorder{m: m, series: []*targetSeries{s}, timeout: timeout}
	t0 := time.Now()
	at := func(d time.Duration) probe.Timestamp { return probe.Timestamp{Time: t0.Add(d), Clock: probe.ClockUser} }
	send := func(seq int) {
		r.handle(0, probe.Event{Kind: probe.EventSend, Seq: uint16(seq), Sent: at(time.Duration(seq) * time.Second)})
	}
	reply := func(seq int, c probe.Class, rtt time.Duration) {
		sent := time.Duration(seq) * time.Second
		r.handle(0, probe.Event{Kind: probe.EventReply, Class: c, Seq: uint16(seq), TTL: 63, RTT: rtt,
			Sent: at(sent), Received: at(sent + rtt)})
	}
	loss := func(seq int, after time.Duration) {
		sent := time.Duration(seq) * time.Second
		r.handle(0, probe.Event{Kind: probe.EventLoss, Seq: uint16(seq), Sent: at(sent), Received: at(sent + after)})
	}

	send(1)
	if got := testutil.ToFloat64(s.requests); got != 0 {
		t.Errorf("requests %v while the first is in flight, want 0", got)
	}
	reply(1, probe.ClassOnTime, 3*time.Millisecond)
	reply(1, probe.ClassDuplicate, 4*time.Millisecond)
	send(2)
	loss(2, timeout) // no reply by its timeout
	reply(2, probe.ClassLate, 1500*time.Millisecond)
	send(3)
	r.handle(0, probe.Event{Kind: probe.EventReply, Class: probe.ClassCorrupt, Seq: 3})
	r.handle(0, probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Seq: 3, ICMPType: 3, ICMPCode: 1})
	loss(3, timeout)
	r.handle(0, probe.Event{Kind: probe.EventSend, Seq: 4, Sent: at(4 * time.Second), Note: probe.SendFailedNote + "network is unreachable"})
	loss(4, 0) // a failed send is lost at once
	send(5)
	send(6)
	r.stopping.Store(true)
	loss(5, timeout+time.Millisecond) // timed out as the stop came: a loss
	loss(6, 200*time.Millisecond)     // cut off by the stop: counted nowhere

	for name, c := range map[string]struct {
		got  float64
		want float64
	}{
		"sent":               {testutil.ToFloat64(s.sent), 6},
		"requests":           {testutil.ToFloat64(s.requests), 5},
		"received":           {testutil.ToFloat64(s.received), 1},
		"lost":               {testutil.ToFloat64(s.lost), 4},
		"duplicates":         {testutil.ToFloat64(s.duplicates), 1},
		"send errors":        {testutil.ToFloat64(s.sendErrors), 1},
		"ttl":                {testutil.ToFloat64(s.ttl), 63},
		"class on-time":      {testutil.ToFloat64(s.byClass[probe.ClassOnTime]), 1},
		"class duplicate":    {testutil.ToFloat64(s.byClass[probe.ClassDuplicate]), 1},
		"class late":         {testutil.ToFloat64(s.byClass[probe.ClassLate]), 1},
		"class corrupt":      {testutil.ToFloat64(s.byClass[probe.ClassCorrupt]), 1},
		"class icmp-error":   {testutil.ToFloat64(s.byClass[probe.ClassICMPError]), 1},
		"class out-of-order": {testutil.ToFloat64(s.byClass[probe.ClassOutOfOrder]), 0},
		"icmp error host unreachable": {testutil.ToFloat64(m.icmpErrors.WithLabelValues("198.18.0.2", "h.test", "",
			"Destination Unreachable", "Host Unreachable")), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.rtt); n != 1 {
		t.Errorf("%d histograms, want 1", n)
	}

	m.deleteSeries(s.key)
	for _, name := range []string{"smokeping_requests_total", "smokeping_response_duration_seconds",
		"echoscope_ping_messages_total", "echoscope_ping_icmp_errors_total"} {
		if n, err := testutil.GatherAndCount(m.reg, name); err != nil || n != 0 {
			t.Errorf("%s after deleting the target: %d series (%v)", name, n, err)
		}
	}
}
