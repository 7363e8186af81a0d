package service

import (
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

func sendEvent(i uint64, at time.Time) probe.Event {
	return probe.Event{Kind: probe.EventSend, Index: i, Seq: uint16(i), ICMPType: 8, Size: 64,
		Sent: probe.Timestamp{Time: at, Clock: probe.ClockUser}, TTL: -1}
}

func replyEvent(i uint64, at time.Time, class probe.Class) probe.Event {
	return probe.Event{Kind: probe.EventReply, Class: class, Index: i, Seq: uint16(i), Size: 64, TTL: 64,
		Sent: probe.Timestamp{Time: at}, Received: probe.Timestamp{Time: at.Add(time.Millisecond)}, RTT: time.Millisecond}
}

func TestStreamBatcherBoundsAFloodIntoOneFrame(t *testing.T) {
	b := newStreamBatcher("1", wire.IPv4)
	start := time.Unix(1000, 0)
	n := int64(0)
	// 10000 requests and replies between two frames (10 s of 1000/s if frames stalled), with
	// one loss and one duplicate near the start that must survive decimation.
	for i := uint64(1); i <= 10000; i++ {
		at := start.Add(time.Duration(i) * time.Millisecond)
		b.add(sendEvent(i, at), n)
		n++
		ev := replyEvent(i, at, probe.ClassOnTime)
		switch i {
		case 3:
			ev = probe.Event{Kind: probe.EventLoss, Index: 3, Sent: probe.Timestamp{Time: at}}
		case 5:
			b.add(ev, n)
			n++
			ev = replyEvent(5, at, probe.ClassDuplicate)
		}
		b.add(ev, n)
		n++
	}
	b.addStats(&probe.Stats{Sent: 10000, Received: 9999, Lost: 1, Min: time.Millisecond})
	f, ok := b.take(0)
	if !ok {
		t.Fatal("no frame")
	}
	if len(f.Rows) != MaxFrameRows || f.TotalRows != n || f.SkippedRows != n-MaxFrameRows {
		t.Fatalf("frame rows %d total %d skipped %d; want the newest %d of %d", len(f.Rows), f.TotalRows, f.SkippedRows, MaxFrameRows, n)
	}
	if f.Rows[len(f.Rows)-1].N != n-1 || f.Rows[0].N != n-MaxFrameRows {
		t.Fatalf("rows %d..%d, want the newest", f.Rows[0].N, f.Rows[len(f.Rows)-1].N)
	}
	if len(f.Points) > MaxFramePoints || f.SkippedPoints == 0 {
		t.Fatalf("points %d skipped %d, want at most %d", len(f.Points), f.SkippedPoints, MaxFramePoints)
	}
	marks := map[string]int{}
	for _, p := range f.Points {
		marks[p.Mark]++
	}
	if marks[MarkLost] != 1 || marks[MarkDuplicate] != 1 {
		t.Fatalf("marks %v: the loss and the duplicate must survive decimation", marks)
	}
	if f.Stats == nil || f.Stats.MinMs != 1 || f.Stats.Lost != 1 {
		t.Fatalf("stats %+v", f.Stats)
	}
	if _, ok := b.take(0); ok {
		t.Fatal("a second frame with nothing new")
	}
}

func TestStreamBatcherRowTypesAndChartTimes(t *testing.T) {
	b := newStreamBatcher("7", wire.IPv4)
	at := time.Unix(2000, 0)
	b.add(sendEvent(1, at), 0)
	b.add(replyEvent(1, at, probe.ClassOnTime), 1)
	b.add(probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, ICMPType: 3, ICMPCode: 1, Index: 2,
		Received: probe.Timestamp{Time: at.Add(time.Second)}, TTL: 63}, 2)
	b.add(replyEvent(2, at.Add(time.Second), probe.ClassLate), -1) // refused by the store: no row
	f, _ := b.take(3)
	types := []string{}
	for _, r := range f.Rows {
		types = append(types, r.Type)
	}
	if len(types) != 3 || types[0] != "Echo Request" || types[1] != "Echo Reply" || types[2] != "Destination Unreachable" {
		t.Fatalf("types %v", types)
	}
	if f.DroppedEvents != 3 || f.Rows[0].TTL != -1 || f.Rows[1].RTTMs == nil || *f.Rows[1].RTTMs != 1 {
		t.Fatalf("frame %+v", f)
	}
	// Each point names the row it selects: the reply's 1; the late reply was refused (-1).
	if len(f.Points) != 2 || f.Points[0].T != 0 || f.Points[0].Row != 1 || f.Points[0].Seq != 1 || f.Points[1].Mark != MarkLate || f.Points[1].T != 1000 || f.Points[1].Row != -1 {
		t.Fatalf("points %+v", f.Points)
	}
}
