package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// BenchmarkEventFrame is the helper's cost per event on the wire: encode a reply event with
// its 84-byte reply and 64-byte request into a frame, then read and decode the frame the way
// the client does. In flood mode every packet pays it twice (send and reply events).
func BenchmarkEventFrame(b *testing.B) {
	ev := probe.Event{Kind: probe.EventReply, Class: probe.ClassOnTime, Rule: probe.RuleIDSeqToken,
		Index: 1, Seq: 1, ID: 0x1c2d, Bytes: make([]byte, 84), IncludesIPHeader: true, Request: make([]byte, 64),
		From: netip.MustParseAddr("127.0.0.1"), To: netip.MustParseAddr("127.0.0.1"), TTL: 64, Size: 64,
		Sent:     probe.Timestamp{Time: time.Unix(1795743779, 1), Clock: probe.ClockKernelTX},
		Received: probe.Timestamp{Time: time.Unix(1795743779, 2), Clock: probe.ClockKernelRX},
		RTT:      15 * time.Microsecond, RTTClocks: "kernel-tx/kernel-rx"}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		m, err := NewMessage(TypeEvent, "s1", ev)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.WriteMessage(m); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
		got, err := NewReader(&buf, 0).ReadMessage()
		if err != nil || got.Type != TypeEvent {
			b.Fatal(err)
		}
		var back probe.Event
		if err := json.Unmarshal(got.Body, &back); err != nil || back.Seq != 1 {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgentFloodLoopback floods 127.0.0.1 through the real helper: one op is one request
// answered, with its send and reply events carried over the pipe and decoded. Root only.
func BenchmarkAgentFloodLoopback(b *testing.B) {
	c, err := Spawn(context.Background(), helperBin, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if !c.Hello().Policy.AllowFlood || c.Hello().Capabilities.Best != probe.SocketRaw {
		b.Skip("flood needs a root helper with raw sockets")
	}
	events := 0
	b.ResetTimer()
	s, err := c.Start(context.Background(), probe.Options{Target: "127.0.0.1", Flood: true, Count: b.N}, func(probe.Event) { events++ })
	if err != nil {
		b.Fatal(err)
	}
	sum, err := s.Wait(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
	if sum.Sent != uint64(b.N) || sum.Received == 0 {
		b.Errorf("sent %d, received %d, for %d requests", sum.Sent, sum.Received, b.N)
	}
}
