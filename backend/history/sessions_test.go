package history

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

func TestSessionLifecycle(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := beginTest(t, s, "alpha.example", t0)
	b := beginTest(t, s, "beta_100%.example", t0.Add(time.Hour))
	c := beginTest(t, s, "127.0.0.1", t0.Add(2*time.Hour))

	send, reply := echoPair(t, wire.IPv4, 1, t0)
	if err := s.AppendPackets(ctx, a, []Packet{PacketFromEvent(send), PacketFromEvent(reply)}); err != nil {
		t.Fatal(err)
	}
	sum := probe.Summary{Stats: probe.Stats{Sent: 4, Received: 3, Lost: 1, LossPercent: 25, P50: 1500 * time.Microsecond},
		Socket: probe.SocketDatagram, End: t0.Add(3 * time.Second)}
	if err := s.FinishSession(ctx, a, sum); err != nil {
		t.Fatal(err)
	}

	got, err := s.Session(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if got.Duration != 3*time.Second || got.LossPercent != 25 || got.MedianRTT != 1500*time.Microsecond ||
		got.Engine != "raw" || got.Socket != "datagram" || got.Packets != 2 || got.Stats == nil || got.Stats.Received != 3 {
		t.Fatalf("session: %+v", got)
	}
	if !got.Started.Equal(t0) {
		t.Fatalf("started %v, want %v", got.Started, t0)
	}

	all, err := s.ListSessions(ctx, SessionFilter{})
	if err != nil || len(all) != 3 || all[0].ID != c || all[2].ID != a {
		t.Fatalf("list newest first: %+v, %v", all, err)
	}
	for search, want := range map[string][]int64{"ALPHA": {a}, "100%": {b}, "_": {b}, ".example": {b, a}, "nothing": nil} {
		found, err := s.ListSessions(ctx, SessionFilter{Search: search})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, f := range found {
			ids = append(ids, f.ID)
		}
		if len(ids) != len(want) || (len(ids) > 0 && ids[0] != want[0]) {
			t.Errorf("search %q: %v, want %v", search, ids, want)
		}
	}

	if err := s.DeleteSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
	if n, _ := s.CountPackets(ctx, a); n != 0 {
		t.Fatalf("%d packets left after delete", n)
	}
	if err := s.DeleteSession(ctx, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := s.FinishSession(ctx, 999, sum); !errors.Is(err, ErrNotFound) {
		t.Fatalf("finish unknown: %v", err)
	}
}

func TestPacketRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	t0 := time.Unix(1700000000, 123456789)
	id := beginTest(t, s, "::1", t0)
	send, reply := echoPair(t, wire.IPv6, 9, t0)
	loss := probe.Event{Kind: probe.EventLoss, Index: 11, Seq: 10, ID: 0x1c2d, Sent: send.Sent, Request: send.Bytes, TTL: -1}
	if err := s.AppendPackets(ctx, id, []Packet{PacketFromEvent(send), PacketFromEvent(reply), PacketFromEvent(loss)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Packets(ctx, id, 0, 10)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d packets, %v", len(got), err)
	}
	r := got[1]
	if r.N != 1 || r.Kind != probe.EventReply || r.Class != probe.ClassOnTime || r.Rule != probe.RuleIDSeqToken ||
		r.Seq != 9 || r.ID != 0x1c2d || r.TTL != 64 || r.From != loop6 || r.To != loop6 || r.RTT != 150*time.Microsecond ||
		r.RTTClocks != "kernel-tx/kernel-rx" || string(r.Bytes) != string(reply.Bytes) || r.Index != 10 ||
		!r.Time.Time.Equal(reply.Received.Time) || r.Time.Clock != probe.ClockKernelRX ||
		!r.Sent.Time.Equal(send.Sent.Time) || r.Size != reply.Size || r.ICMPType != 129 {
		t.Fatalf("reply row: %+v", r)
	}
	if got[0].Time.Clock != probe.ClockKernelTX || !got[0].Time.Time.Equal(t0) || got[0].TTL != -1 {
		t.Fatalf("send row: %+v", got[0])
	}
	if got[2].Kind != probe.EventLoss || string(got[2].Bytes) != string(send.Bytes) {
		t.Fatalf("loss row: %+v", got[2])
	}
}

func TestPacketJSONRoundTrip(t *testing.T) {
	send, reply := echoPair(t, wire.IPv6, 3, time.Unix(1700000000, 42))
	for _, ev := range []probe.Event{send, reply} {
		p := PacketFromEvent(ev)
		p.N, p.SessionID = 5, 2
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"bytes":"`+hex.EncodeToString(p.Bytes)+`"`) {
			t.Fatalf("bytes not in hex: %s", b)
		}
		var back Packet
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(b) || !bytes.Equal(back.Bytes, p.Bytes) || !back.Time.Time.Equal(p.Time.Time) || back.To != p.To {
			t.Fatalf("round trip\n got %s\nwant %s", again, b)
		}
	}
}
