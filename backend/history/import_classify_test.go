package history

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"echoscope/backend/capture/capturetest"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

var (
	host   = netip.MustParseAddr("198.18.0.1")
	target = netip.MustParseAddr("198.18.0.2")
	router = netip.MustParseAddr("198.18.0.254")
)

// ip4 wraps an ICMP message in an IPv4 header and reads it back as an imported row.
func ip4(t testing.TB, src, dst netip.Addr, icmp []byte, at time.Duration) Packet {
	t.Helper()
	b, err := wire.AppendIPv4Header(nil, wire.IPv4Header{TotalLength: uint16(20 + len(icmp)), TTL: 64,
		Protocol: wire.ProtocolICMP, Src: src, Dst: dst})
	if err != nil {
		t.Fatal(err)
	}
	p, skip, _, err := packetOfIP(append(b, icmp...))
	if err != nil || skip != keep {
		t.Fatalf("packetOfIP: %v %v", skip, err)
	}
	p.Time = probe.Timestamp{Time: time.Unix(1700000000, 0).Add(at), Clock: CaptureClock}
	return p
}

func echo4(typ uint8, seq uint16, data string) []byte {
	return wire.AppendEcho(nil, wire.IPv4, typ, wire.Echo{ID: 0x4242, Seq: seq, Data: []byte(data)}, nil)
}

func TestImportJudgesWithTheEngineRules(t *testing.T) {
	const ms = time.Millisecond
	out, st := classifyRows(engineRulesRows(t), time.Second)
	var got []string
	for _, p := range out {
		s := string(p.Kind)
		if p.Class != "" {
			s += ":" + string(p.Class)
		}
		got = append(got, s)
	}
	// As the engine does live, a request's loss comes at its timeout, before a send at the
	// same moment (the engine expires requests before it sends the next).
	want := []string{"send", "reply:on-time", "reply:duplicate",
		"send", "send", "reply:on-time", "reply:out-of-order",
		"send", "loss", "reply:late", "reply:foreign",
		"send", "reply:corrupt", "loss", "send", "reply:corrupt", "loss", "send", "icmp-error:icmp-error", "loss"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("classes\n got %v\nwant %v", got, want)
	}
	byClass := map[probe.Class]Packet{}
	for _, p := range out {
		byClass[p.Class] = p
	}
	if p := byClass[probe.ClassOutOfOrder]; p.RTT != 200*ms || p.Index != 2 || p.Rule != probe.RuleIDSeq {
		t.Errorf("out-of-order row %+v", p)
	}
	if p := byClass[probe.ClassICMPError]; p.Index != 7 || p.Seq != 7 || p.Rule != probe.RuleQuotedIDSeq ||
		!strings.Contains(p.Note, "from 198.18.0.254") {
		t.Errorf("icmp-error row %+v", p)
	}
	if p := byClass[probe.ClassForeign]; p.Rule != probe.RuleNone || !strings.Contains(p.Note, "never sent") {
		t.Errorf("foreign row %+v", p)
	}
	if st.Sent != 7 || st.Received != 3 || st.Lost != 4 || st.Duplicates != 1 || st.OutOfOrder != 1 ||
		st.Late != 1 || st.Corrupt != 2 || st.Foreign != 1 || st.Errors != 1 || st.Min != 10*ms || st.Max != 200*ms {
		t.Fatalf("stats %+v", st)
	}
	var notes []string
	for _, p := range out {
		if p.Class == probe.ClassCorrupt {
			notes = append(notes, p.Note)
		}
	}
	if len(notes) != 2 || !strings.HasPrefix(notes[0], "bad checksum") || !strings.HasPrefix(notes[1], "payload differs at byte 0") {
		t.Fatalf("corrupt notes %q", notes)
	}
}

// Importing real loopback traffic: every request answered on time, for IPv4 and IPv6,
// in agreement with tshark's own request/reply pairing.
func TestImportLoopbackCapture(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	path := capturetest.FixturePath("loopback.pcapng")
	res, err := s.ImportCapture(ctx, path, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "pcapng" || res.Rows != 20 || res.Stats.Sent != 10 || res.Stats.Received != 10 ||
		res.Stats.Lost != 0 || res.Stats.LossPercent != 0 || res.Stats.P50 <= 0 {
		t.Fatalf("import result %+v", res)
	}
	ss, err := s.Session(ctx, res.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if ss.ImportedFrom != "loopback.pcapng" || ss.Engine != EngineImported || ss.Target != "2 targets" ||
		ss.Packets != 20 || ss.Duration <= 0 || ss.MedianRTT != res.Stats.P50 {
		t.Fatalf("session %+v", ss)
	}
	rows, _ := s.Packets(ctx, res.SessionID, 0, 100)
	var v6 int
	for _, r := range rows {
		if r.Kind == probe.EventReply && r.Class != probe.ClassOnTime {
			t.Fatalf("reply %d classed %s: %s", r.N, r.Class, r.Note)
		}
		if r.From.Is6() {
			v6++
		}
	}
	if v6 != 10 {
		t.Fatalf("%d IPv6 rows", v6)
	}
	found, _ := s.ListSessions(ctx, SessionFilter{Search: "loopback"})
	if len(found) != 1 {
		t.Fatalf("search by file name: %d sessions", len(found))
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		return
	}
	// tshark pairs replies with requests too ("icmp.resp_to"): same count as ours.
	lines := tsharkFields(t, path, "icmp.resp_to", "icmpv6.resp_to")
	paired := 0
	for _, l := range lines {
		if strings.Join(l, "") != "" {
			paired++
		}
	}
	if paired != int(res.Stats.Received) {
		t.Fatalf("tshark paired %d replies, we %d", paired, res.Stats.Received)
	}
	// Round trip: the imported session exports to a file tshark reads with good checksums.
	var buf bytes.Buffer
	pres, err := s.ExportPcapng(ctx, res.SessionID, &buf)
	if err != nil || pres.Packets != 20 || pres.Synthesized != 0 || pres.LinkType != LinkTypeRaw {
		t.Fatalf("export %+v, %v", pres, err)
	}
	out := filepath.Join(t.TempDir(), "re.pcapng")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	good := 0
	for _, l := range tsharkFields(t, out, "icmp.checksum.status", "icmpv6.checksum.status") {
		if strings.Join(l, "") == "1" {
			good++
		}
	}
	if good != 20 {
		t.Fatalf("%d of 20 packets with good checksums after export", good)
	}
}

// engineRulesRows are captured rows (unjudged) of every verdict the engine gives: on time,
// duplicate, out of order, late, foreign, corrupt (checksum, payload), lost, an ICMP error.
func engineRulesRows(t testing.TB) []Packet {
	const ms = time.Millisecond
	req := func(seq uint16, at time.Duration) Packet {
		return ip4(t, host, target, echo4(wire.ICMPv4EchoRequest, seq, "hello"), at)
	}
	rep := func(seq uint16, at time.Duration) Packet {
		return ip4(t, target, host, echo4(wire.ICMPv4EchoReply, seq, "hello"), at)
	}
	badSum := echo4(wire.ICMPv4EchoReply, 5, "hello")
	badSum[2] ^= 0xff
	req7 := req(7, 7000*ms)
	unreach, err := (&wire.Message{Family: wire.IPv4, Type: wire.ICMPv4DestinationUnreachable, Code: 1,
		Body: &wire.DstUnreach{Data: req7.Bytes[:28]}}).Marshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	return []Packet{
		req(1, 0), rep(1, 10*ms), rep(1, 20*ms),
		req(2, 1000*ms), req(3, 1100*ms), rep(3, 1150*ms), rep(2, 1200*ms),
		req(4, 3000*ms), rep(4, 4500*ms),
		rep(77, 4600*ms),
		req(5, 5000*ms), ip4(t, target, host, badSum, 5010*ms),
		req(6, 6000*ms), ip4(t, target, host, echo4(wire.ICMPv4EchoReply, 6, "HELLO"), 6010*ms),
		req7, ip4(t, router, host, unreach, 7005*ms),
	}
}
