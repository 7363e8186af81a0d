package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// TestPrometheusScrapesExporter starts a real Prometheus server on loopback that scrapes
// the exporter every second while it pings one test host that answers and one that stays
// silent, then reads the stored series back through Prometheus' HTTP API. At every scrape
// Prometheus stored, the answering host's requests equal its replies and the silent host's
// requests equal its losses (loss exactly 0 and 1); the figures grow to at least 15 over
// at least 5 scrapes.
func TestPrometheusScrapesExporter(t *testing.T) {
	prom := requireTool(t, "prometheus")
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	answering := testnet.NewT(t, testnet.Config{})
	silent := testnet.NewT(t, testnet.Config{SilenceKernel: true})
	on, off := answering.PeerV4.String(), silent.PeerV4.String()
	addr := startExporter(t, []string{on, off}, 200*time.Millisecond, 400*time.Millisecond)
	api := startPrometheus(t, prom, addr)

	const min = 15
	waitFor(t, 40*time.Second, fmt.Sprintf("Prometheus to hold %d requests per target from 5 scrapes", min), func() bool {
		return query(t, api, `min(smokeping_requests_total)`) >= min &&
			query(t, api, `count_over_time(up{job="echoscope"}[1m])`) >= 5
	})
	// One evaluation time for every query (now, to the millisecond: a whole second could
	// fall before the first scrape): the figures of one set of scrapes.
	at := strconv.FormatFloat(float64(time.Now().UnixMilli())/1000, 'f', 3, 64)
	q := func(expr string) float64 { return queryAt(t, api, expr, at) }
	if up := q(`up{job="echoscope"}`); up != 1 {
		t.Errorf("up = %v", up)
	}
	for _, c := range []struct {
		host               string
		received, lossRate float64 // received as a share of requests
	}{{on, 1, 0}, {off, 0, 1}} {
		sel := fmt.Sprintf(`{host=%q}`, c.host)
		requests := q("smokeping_requests_total" + sel)
		received := q("echoscope_ping_received_total" + sel)
		lost := q("echoscope_ping_lost_total" + sel)
		hist := q("smokeping_response_duration_seconds_count" + sel)
		sent := q("echoscope_ping_sent_total" + sel)
		loss := q(fmt.Sprintf("1 - echoscope_ping_received_total%s / smokeping_requests_total%s", sel, sel))
		t.Logf("%s: sent %v, requests %v, received %v, lost %v, loss %v", c.host, sent, requests, received, lost, loss)
		if requests < min || received != c.received*requests || lost != c.lossRate*requests || hist != received || loss != c.lossRate {
			t.Errorf("%s: requests %v received %v lost %v histogram count %v loss %v; want received %v x requests, loss %v",
				c.host, requests, received, lost, hist, loss, c.received, c.lossRate)
		}
		// In flight: at most timeout/interval + 1 requests sent but not yet resolved.
		if d := sent - requests; d < 0 || d > 3 {
			t.Errorf("%s: sent %v, requests %v: %v in flight", c.host, sent, requests, d)
		}
		// Every stored scrape, not only the last: the outcome counters add up at each.
		wantZero := fmt.Sprintf("max_over_time(abs(smokeping_requests_total%s - echoscope_ping_received_total%s - echoscope_ping_lost_total%s)[1m:1s])", sel, sel, sel)
		if v := q(wantZero); v != 0 {
			t.Errorf("%s: |requests - received - lost| reached %v in the stored scrapes", c.host, v)
		}
		if v := q(fmt.Sprintf(`sum(echoscope_ping_messages_total%s)`, sel)); v != received {
			t.Errorf("%s: %v messages in all classes, want the %v replies only", c.host, v, received)
		}
	}
}

// startPrometheus runs prometheus scraping target every second, storing in a temporary
// directory, and returns its API base URL once it is ready; it stops at the test's end.
func startPrometheus(t *testing.T, bin, target string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"+
		"scrape_configs:\n  - job_name: echoscope\n    static_configs:\n      - targets: [%q]\n", target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+listen, "--log.level=warn")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("prometheus: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", logs.String())
		}
	})
	base := "http://" + listen
	waitFor(t, 30*time.Second, "prometheus to be ready", func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

// query evaluates expr now and returns its one value (NaN when the result is empty).
func query(t *testing.T, api, expr string) float64 { return queryAt(t, api, expr, "") }

// queryAt evaluates expr at time at (Unix seconds; "" is now) through /api/v1/query and
// returns its one value (NaN when the result is empty, which no check accepts).
func queryAt(t *testing.T, api, expr, at string) float64 {
	t.Helper()
	params := url.Values{"query": {expr}}
	if at != "" {
		params.Set("time", at)
	}
	resp, err := http.Get(api + "/api/v1/query?" + params.Encode())
	if err != nil {
		t.Fatalf("query %s: %v", expr, err)
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Status != "success" {
		t.Fatalf("query %s: status %q error %q (%v)", expr, r.Status, r.Error, err)
	}
	switch len(r.Data.Result) {
	case 0:
		return math.NaN()
	case 1:
	default:
		t.Fatalf("query %s: %d series, want 1", expr, len(r.Data.Result))
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("query %s: value %v", expr, r.Data.Result[0].Value)
	}
	return v
}
