package export_test

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/export"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// The writer holds a request until a row about it says when it left (a reply's or a loss's
// Sent, the kernel TX stamp), writes it at that time, and keeps the rows' order; a request
// nothing answered is written at its own time when the file is flushed.
func TestPcapngWriterWritesRequestsAtTheirRTTSendTime(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	lo := netip.MustParseAddr("127.0.0.1")
	user := func(d time.Duration) probe.Timestamp { return probe.Timestamp{Time: t0.Add(d), Clock: probe.ClockUser} }
	ktx := func(d time.Duration) probe.Timestamp {
		return probe.Timestamp{Time: t0.Add(d), Clock: probe.ClockKernelTX}
	}
	krx := func(d time.Duration) probe.Timestamp {
		return probe.Timestamp{Time: t0.Add(d), Clock: probe.ClockKernelRX}
	}
	echo := func(typ uint8, seq uint16) []byte {
		return wire.AppendEcho(nil, wire.IPv4, typ, wire.Echo{ID: 7, Seq: seq, Data: []byte("x")}, nil)
	}
	send := func(i uint64, at probe.Timestamp) probe.Event {
		return probe.Event{Kind: probe.EventSend, Index: i, Seq: uint16(i), ID: 7, To: lo, TTL: -1,
			Bytes: echo(wire.ICMPv4EchoRequest, uint16(i)), Sent: at}
	}
	events := []probe.Event{
		send(1, user(0)),
		send(2, user(10*time.Microsecond)),
		{Kind: probe.EventReply, Index: 1, Seq: 1, ID: 7, From: lo, To: lo, TTL: 64, Bytes: echo(wire.ICMPv4EchoReply, 1),
			Sent: ktx(3 * time.Microsecond), Received: krx(15 * time.Microsecond)},
		send(3, user(20*time.Microsecond)),
		// Request 2 is lost: its loss carries the kernel send time too.
		{Kind: probe.EventLoss, Index: 2, Seq: 2, ID: 7, To: lo, Sent: ktx(12 * time.Microsecond),
			Request: echo(wire.ICMPv4EchoRequest, 2)},
		// Request 3 is never answered before the run ends.
	}
	var buf bytes.Buffer
	w := export.NewPcapngWriter(&buf, export.LinkTypeIPv4)
	for _, ev := range events {
		p := export.PacketFromEvent(ev)
		w.Write(&p)
	}
	res, err := w.Flush()
	if err != nil || res.Packets != 4 || res.Skipped != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	r, err := capture.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var times []time.Duration
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		_, icmp, _ := wire.SplitIPv4(f.Data)
		got = append(got, wire.TypeName(wire.IPv4, icmp[0])+" "+string(rune('0'+icmp[7])))
		times = append(times, f.Time.Sub(t0))
	}
	wantOrder := []string{"Echo Request 1", "Echo Request 2", "Echo Reply 1", "Echo Request 3"}
	wantTimes := []time.Duration{3 * time.Microsecond, 12 * time.Microsecond, 15 * time.Microsecond, 20 * time.Microsecond}
	for i := range wantOrder {
		if i >= len(got) || got[i] != wantOrder[i] || times[i] != wantTimes[i] {
			t.Fatalf("frames %v at %v, want %v at %v", got, times, wantOrder, wantTimes)
		}
	}
}
