package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// The chart's rows include ICMP errors (a marker of their own) besides replies and losses;
// sends and foreign replies stay out.
func TestChartRowsIncludeICMPErrors(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "127.0.0.1", time.Unix(1700000000, 0))
	at := time.Unix(1700000000, 0)
	send, reply := echoPair(t, wire.IPv4, 1, at)
	icmpErr := probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Index: 2, Seq: 2, ID: 0x1c2d,
		Sent: probe.Timestamp{Time: at.Add(time.Second)}, ICMPType: 11}
	foreign := reply
	foreign.Class, foreign.Index = probe.ClassForeign, 0
	var pkts []Packet
	for _, ev := range []probe.Event{send, reply, icmpErr, foreign} {
		pkts = append(pkts, PacketFromEvent(ev))
	}
	if err := s.AppendPackets(ctx, id, pkts); err != nil {
		t.Fatal(err)
	}
	var got []ChartRow
	for r, err := range s.ChartRows(ctx, id) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 2 || got[0].Class != probe.ClassOnTime || got[1].Kind != probe.EventICMPError || got[1].Index != 2 || got[1].Seq != 2 || got[1].N != 2 || got[0].N != 1 || !got[1].Sent.Equal(at.Add(time.Second)) {
		t.Fatalf("chart rows %+v", got)
	}
}
