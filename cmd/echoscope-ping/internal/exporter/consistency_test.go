package exporter

import (
	"net/netip"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"echoscope/backend/probe"
)

// TestScrapeIsOneMoment: while the recorder counts replies and losses as fast as it can,
// every scrape reads requests = received + lost and a histogram count equal to received.
// (Without metrics.mu one scrape in a few read a loss in lost but not yet in requests: the
// Prometheus test saw requests - received - lost = -1.)
func TestScrapeIsOneMoment(t *testing.T) {
	m := newMetrics(defaultBuckets)
	s := m.newSeries(seriesKey{host: "h.test", ip: netip.MustParseAddr("198.18.0.2")})
	r := &recorder{m: m, series: []*targetSeries{s}, timeout: time.Second}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t0 := time.Now()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			sent := probe.Timestamp{Time: t0}
			if i%2 == 0 {
				r.handle(0, probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, RTT: time.Millisecond, TTL: 64, Sent: sent})
			} else {
				r.handle(0, probe.Event{Kind: probe.EventLoss, Sent: sent, Received: probe.Timestamp{Time: t0.Add(time.Second)}})
			}
		}
	}()
	defer func() { close(stop); <-done }()
	get := func(fams []*dto.MetricFamily, name string) float64 {
		for _, f := range fams {
			if f.GetName() != name {
				continue
			}
			for _, mt := range f.GetMetric() {
				switch {
				case mt.Counter != nil:
					return mt.GetCounter().GetValue()
				case mt.Histogram != nil:
					return float64(mt.GetHistogram().GetSampleCount())
				}
			}
		}
		t.Fatalf("no %s in the scrape", name)
		return 0
	}
	for range 300 {
		fams, err := m.Gather()
		if err != nil {
			t.Fatal(err)
		}
		req, rec := get(fams, "smokeping_requests_total"), get(fams, "echoscope_ping_received_total")
		lost, hist := get(fams, "echoscope_ping_lost_total"), get(fams, "smokeping_response_duration_seconds")
		if req != rec+lost || hist != rec {
			t.Fatalf("one scrape read requests %v, received %v, lost %v, histogram count %v", req, rec, lost, hist)
		}
	}
}
