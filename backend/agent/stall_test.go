package agent

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"

	"echoscope/backend/probe"
)

// The GUI that stops reading the helper's stdout (its reader goroutine stuck in a handler,
// the process starved) must not stall the helper's probes. The requests are counted on the
// wire, by identifier, while the client's handler is blocked; before the helper queued its
// events, it stopped sending once the pipe was full (about a hundred events).
func TestAStalledClientDoesNotStallTheHelpersSends(t *testing.T) {
	c := spawn(t)
	needRaw(t, c)
	const count = 600
	const id = 0xe5c1 // other processes' pings to 127.0.0.1 carry other identifiers

	wire, err := icmp.ListenPacket("ip4:icmp", "127.0.0.1")
	if err != nil {
		t.Skipf("no raw socket to watch the wire: %v", err)
	}
	defer wire.Close()
	var seen atomic.Int64
	go func() {
		buf := make([]byte, 1500)
		for {
			n, _, err := wire.ReadFrom(buf)
			if err != nil {
				return
			}
			m, err := icmp.ParseMessage(1, buf[:n])
			if err != nil || m.Type != ipv4.ICMPTypeEcho {
				continue
			}
			if e, ok := m.Body.(*icmp.Echo); ok && e.ID == id {
				seen.Add(1)
			}
		}
	}()

	release := make(chan struct{})
	var handled atomic.Int64
	var sends atomic.Int64
	s, err := c.Start(context.Background(), probe.Options{Target: "127.0.0.1", Count: count, Identifier: id,
		Interval: 2 * time.Millisecond, Timeout: 10 * time.Second}, func(ev probe.Event) {
		if handled.Add(1) == 1 {
			<-release // the client's reader stalls: the pipe from the helper fills up
		}
		if ev.Kind == probe.EventSend {
			sends.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second) // only for failing; the sends take 1.2 s
	for seen.Load() < count && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	onWire := seen.Load()
	close(release)
	if onWire < count {
		t.Fatalf("only %d of %d requests reached the wire while the client did not read", onWire, count)
	}
	sum, err := s.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != count || sum.EventsDropped != 0 || sends.Load() != count {
		t.Fatalf("summary sent %d dropped %d, handler saw %d sends; want %d, 0, %d", sum.Sent, sum.EventsDropped, sends.Load(), count, count)
	}
}
