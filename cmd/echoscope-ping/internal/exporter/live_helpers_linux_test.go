package exporter

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// startExporter runs the exporter in this process (as root: raw sockets) with hosts and
// the given interval and timeout, and returns the address it serves on; it stops at the
// end of the test.
func startExporter(t *testing.T, hosts []string, interval, timeout time.Duration) string {
	t.Helper()
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	c := config{listen: "127.0.0.1:0", hosts: hosts,
		opts: probe.Options{Interval: interval, Timeout: timeout, Size: probe.DefaultSize, SizeSet: true}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewTextHandler(testLogWriter{t}, nil))
	go func() { done <- Run(ctx, c, probe.RootPolicy(), log, nil, ready) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("exporter: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr.String()
	case err := <-done:
		t.Fatalf("exporter did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("exporter did not start within 30 s")
	}
	return ""
}

// testLogWriter sends the exporter's log to the test's.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// scrape fetches addr's /metrics: the text and its parsed families.
func scrape(t *testing.T, addr string) ([]byte, map[string]*dto.MetricFamily) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: status %d, %v", resp.StatusCode, err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("scrape does not parse: %v\n%s", err, body)
	}
	return body, fams
}

// value is the value of metric name whose labels include want (a histogram's count),
// and whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	for _, m := range seriesWith(fams, name, want) {
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// sum adds up metric name over every series whose labels include want.
func sum(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	total := 0.0
	for _, m := range seriesWith(fams, name, want) {
		total += m.GetCounter().GetValue()
	}
	return total
}

// seriesWith is the series of metric name whose labels include every pair of want, in the
// scrape's order (none when the scrape has no such metric).
func seriesWith(fams map[string]*dto.MetricFamily, name string, want map[string]string) []*dto.Metric {
	var out []*dto.Metric
next:
	for _, m := range fams[name].GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		out = append(out, m)
	}
	return out
}

// host is the label set of one target.
func host(h string) map[string]string { return map[string]string{"host": h} }

// waitFor polls cond every 200 ms until it holds or limit passes (then fails with what).
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// freePort is a loopback TCP port free a moment ago (for a program that takes a port).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// requireTool skips t only when name is not installed (scripts/setup.sh installs it).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (Debian package prometheus; scripts/setup.sh installs it): %v", name, err)
	}
	return path
}
