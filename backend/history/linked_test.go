package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// AnswersTo finds every answer to a request (on time, duplicate, late), in order, and
// nothing for a request that got none, within the window it is given.
func TestAnswersTo(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "127.0.0.1", time.Unix(1700000000, 0))
	at := time.Unix(1700000000, 0)
	send1, reply1 := echoPair(t, wire.IPv4, 1, at)
	send2, _ := echoPair(t, wire.IPv4, 2, at.Add(time.Second))
	dup := reply1
	dup.Class = probe.ClassDuplicate
	loss2 := probe.Event{Kind: probe.EventLoss, Index: send2.Index, Seq: 2, ID: send2.ID}
	late2 := reply1
	late2.Index, late2.Seq, late2.Class, late2.RTT = send2.Index, 2, probe.ClassLate, 1500*time.Millisecond
	// rows: 0 send1, 1 reply1, 2 send2, 3 dup of 1, 4 loss 2, 5 late reply to 2
	var pkts []Packet
	for _, ev := range []probe.Event{send1, reply1, send2, dup, loss2, late2} {
		pkts = append(pkts, PacketFromEvent(ev))
	}
	if err := s.AppendPackets(ctx, id, pkts); err != nil {
		t.Fatal(err)
	}
	got, err := s.AnswersTo(ctx, id, send1.Index, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].N != 1 || got[0].Class != probe.ClassOnTime || got[1].N != 3 || got[1].Class != probe.ClassDuplicate || got[0].RTT != 150*time.Microsecond || got[0].To != loop4 {
		t.Fatalf("answers to request 1: %+v", got)
	}
	got, err = s.AnswersTo(ctx, id, send2.Index, 2, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].N != 5 || got[0].Class != probe.ClassLate {
		t.Fatalf("answers to request 2: %+v", got)
	}
	// The window bounds the search: the late reply is 3 rows after the send.
	if got, err = s.AnswersTo(ctx, id, send2.Index, 2, 2); err != nil || len(got) != 0 {
		t.Fatalf("window 2: %+v %v", got, err)
	}
}
