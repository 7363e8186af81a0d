package history

import (
	"bufio"
	"encoding/binary"
	"net/netip"
	"os"
	"testing"
	"time"

	"echoscope/backend/capture"
	"echoscope/backend/capture/capturetest"
	"echoscope/backend/wire"
)

// synthCapture describes a synthetic capture: pings of several flows, and non-ICMP traffic
// (UDP datagrams) around them to make the file as large as wanted without more rows.
type synthCapture struct {
	Pairs     int   // echo requests; each answered unless LossEvery says otherwise
	Flows     int   // pings (identifiers) taking turns
	LossEvery int   // every n-th request gets no reply (0: none lost)
	Filler    int64 // bytes of UDP traffic spread among the pings
}

// writeSynthCapture writes the capture as a nanosecond pcap of raw IPv4 and returns its size.
// It streams to the file, so it can write gigabytes.
func writeSynthCapture(tb testing.TB, path string, sc synthCapture) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write(capture.PcapHeader(capture.LinkTypeRaw, true, 65535))
	local, remote := netip.MustParseAddr("198.18.1.1"), netip.MustParseAddr("198.18.1.2")
	payload := make([]byte, 56)
	for i := range payload {
		payload[i] = byte(i)
	}
	udp := make([]byte, 1400)
	udpIP, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(udp)), TTL: 64,
		Protocol: 17, Src: local, Dst: remote})
	udpIP = append(udpIP, udp...)
	flows := max(sc.Flows, 1)
	fillerPerPair := float64(sc.Filler) / float64(max(sc.Pairs, 1)) / float64(len(udpIP)+16)
	var fillerDebt float64
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var rec []byte
	datagram := func(src, dst netip.Addr, typ uint8, id, seq uint16) []byte {
		icmp := wire.AppendEcho(nil, wire.IPv4, typ, wire.Echo{ID: id, Seq: seq, Data: payload}, nil)
		ip, _ := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(icmp)), TTL: 64,
			Protocol: wire.ProtocolICMP, Src: src, Dst: dst})
		return append(ip, icmp...)
	}
	for i := range sc.Pairs {
		id, seq := uint16(0x5000+i%flows), uint16(i/flows)
		rec = capturetest.PcapRecord(rec[:0], binary.LittleEndian, true, t, datagram(local, remote, wire.ICMPv4EchoRequest, id, seq), 84)
		if sc.LossEvery == 0 || (i+1)%sc.LossEvery != 0 {
			reply := datagram(remote, local, wire.ICMPv4EchoReply, id, seq)
			rec = capturetest.PcapRecord(rec, binary.LittleEndian, true, t.Add(150*time.Microsecond), reply, len(reply))
		}
		for fillerDebt += fillerPerPair; fillerDebt >= 1; fillerDebt-- {
			rec = capturetest.PcapRecord(rec, binary.LittleEndian, true, t.Add(200*time.Microsecond), udpIP, len(udpIP))
		}
		if _, err := w.Write(rec); err != nil {
			tb.Fatal(err)
		}
		t = t.Add(time.Millisecond)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}
