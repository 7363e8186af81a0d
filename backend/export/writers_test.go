package export_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/netip"
	"slices"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/export"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// liveRows is a datagram-socket style exchange: a request without IP header (as sent) and a
// reply without one, so the writer must synthesize both headers.
func liveRows() []export.Packet {
	t0 := time.Unix(1_700_000_000, 0)
	lo := netip.MustParseAddr("127.0.0.1")
	req := []byte{8, 0, 0, 0, 0x12, 0x34, 0, 1, 'h', 'i'}
	rep := []byte{0, 0, 0, 0, 0x12, 0x34, 0, 1, 'h', 'i'}
	sum := ^wire.Fold(wire.Sum(0, rep))
	rep[2], rep[3] = byte(sum>>8), byte(sum)
	send := export.PacketFromEvent(probe.Event{Kind: probe.EventSend, Seq: 1, ID: 0x1234, To: lo,
		Bytes: req, TTL: -1, Sent: probe.Timestamp{Time: t0}})
	reply := export.PacketFromEvent(probe.Event{Kind: probe.EventReply, Seq: 1, ID: 0x1234, From: lo,
		Bytes: rep, TTL: 64, Received: probe.Timestamp{Time: t0.Add(time.Millisecond)}})
	loss := export.PacketFromEvent(probe.Event{Kind: probe.EventLoss, Seq: 2, To: lo, Request: req})
	return []export.Packet{send, reply, loss}
}

// The streaming writer's file reads back as pcapng with one frame per packet (the loss is
// skipped), each a whole IPv4 datagram with a good ICMP checksum.
func TestPcapngWriterStreamsReadableFrames(t *testing.T) {
	var buf bytes.Buffer
	w := export.NewPcapngWriter(&buf, export.LinkTypeIPv4)
	for _, p := range liveRows() {
		w.Write(&p)
	}
	res, err := w.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if res.Packets != 2 || res.Synthesized != 2 || res.Skipped != 1 {
		t.Fatalf("result %+v, want 2 packets, 2 synthesized, 1 skipped", res)
	}
	r, err := capture.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var frames []capture.Frame
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		c := *f
		c.Data = append([]byte(nil), f.Data...)
		frames = append(frames, c)
	}
	if r.Format() != capture.FormatPcapng || len(frames) != 2 {
		t.Fatalf("read back %s with %d frames", r.Format(), len(frames))
	}
	for i, f := range frames {
		h, icmp, err := wire.SplitIPv4(f.Data)
		if err != nil || f.LinkType != export.LinkTypeIPv4 {
			t.Fatalf("frame %d: link %d, %v", i, f.LinkType, err)
		}
		if h.Src != netip.MustParseAddr("127.0.0.1") || !wire.VerifyChecksum(wire.IPv4, icmp, nil) {
			t.Errorf("frame %d: src %v, checksum good %v", i, h.Src, wire.VerifyChecksum(wire.IPv4, icmp, nil))
		}
	}
}

// WriteCSV (a stored session) and CSVWriter (a live run) write the same file.
func TestCSVWriterMatchesWriteCSV(t *testing.T) {
	rows := liveRows()
	var whole, live bytes.Buffer
	if n, err := export.WriteCSV(&whole, export.PacketSlice(rows)); err != nil || n != len(rows) {
		t.Fatalf("WriteCSV: %d, %v", n, err)
	}
	w, err := export.NewCSVWriter(&live)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rows {
		if err := w.Write(&p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole.Bytes(), live.Bytes()) {
		t.Errorf("CSVWriter wrote\n%s\nWriteCSV wrote\n%s", live.Bytes(), whole.Bytes())
	}
	recs, err := csv.NewReader(&live).ReadAll()
	if err != nil || len(recs) != 4 || !slices.Equal(recs[0], export.CSVHeader) || recs[3][1] != "loss" {
		t.Errorf("records %v, %v", recs, err)
	}
}
