package exporter

import (
	"bytes"
	"os/exec"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// TestScrapePassesPromtool scrapes an exporter pinging a test host that answers every
// second request with host unreachable (so ICMP error series, whose labels hold spaces,
// are in the scrape) and has `promtool check metrics` read it: format and naming lint.
// The class counts are checked against the error counts in the same scrape.
func TestScrapePassesPromtool(t *testing.T) {
	promtool := requireTool(t, "promtool")
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	h := testnet.NewT(t, testnet.Config{SilenceKernel: true})
	testnet.NewResponderT(t, h, testnet.Chaos{Fault: testnet.FaultUnreachable, Every: 2})
	v4, v6 := h.PeerV4.String(), h.PeerV6.String()
	addr := startExporter(t, []string{v4, v6}, 100*time.Millisecond, 300*time.Millisecond)

	waitFor(t, 30*time.Second, "ICMP errors from both addresses", func() bool {
		_, fams := scrape(t, addr)
		return sum(fams, "echoscope_ping_icmp_errors_total", host(v4)) >= 2 &&
			sum(fams, "echoscope_ping_icmp_errors_total", host(v6)) >= 2
	})
	body, fams := scrape(t, addr)
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s\nscrape:\n%s", err, out, body)
	}
	for _, c := range []struct{ host, typ, code string }{
		{v4, "Destination Unreachable", "Host Unreachable"},
		{v6, "Destination Unreachable", "Address Unreachable"},
	} {
		errs := sum(fams, "echoscope_ping_icmp_errors_total", map[string]string{"host": c.host, "type": c.typ, "code": c.code})
		class, _ := value(fams, "echoscope_ping_messages_total", map[string]string{"host": c.host, "class": "icmp-error"})
		all := sum(fams, "echoscope_ping_icmp_errors_total", host(c.host))
		if errs < 2 || class != all || errs != all {
			t.Errorf("%s: %v %q/%q errors of %v in all, %v in the icmp-error class", c.host, errs, c.typ, c.code, all, class)
		}
	}
}
