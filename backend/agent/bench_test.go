package agent

import (
	"bytes"
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
