package cli

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

var lo4 = netip.MustParseAddr("127.0.0.1")

func TestHeaderMatchesIputils(t *testing.T) {
	cases := []struct {
		args   []string
		target string
		addr   string
		want   string
	}{
		// ping -c 3 127.0.0.1
		{[]string{"127.0.0.1"}, "127.0.0.1", "127.0.0.1", "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n"},
		// ping -c 2 -s 0 127.0.0.1
		{[]string{"-s", "0", "127.0.0.1"}, "127.0.0.1", "127.0.0.1", "PING 127.0.0.1 (127.0.0.1) 0(28) bytes of data.\n"},
		// ping -c1 localhost
		{[]string{"localhost"}, "localhost", "127.0.0.1", "PING localhost (127.0.0.1) 56(84) bytes of data.\n"},
		// ping -6 -c 2 ::1
		{[]string{"-6", "::1"}, "::1", "::1", "PING ::1(::1) 56 data bytes\n"},
		// ping -p ff -c1 127.0.0.1
		{[]string{"-p", "ff", "127.0.0.1"}, "127.0.0.1", "127.0.0.1", "PATTERN: 0xff\nPING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n"},
	}
	for _, c := range cases {
		cfg, err := parseArgs(c.args)
		if err != nil {
			t.Fatal(err)
		}
		if got := header(&cfg, c.target, netip.MustParseAddr(c.addr), nil, source{}); got != c.want {
			t.Errorf("%v: got %q, want %q", c.args, got, c.want)
		}
	}
}

func TestIPv6HeaderNamesTheAddressLikeReplies(t *testing.T) {
	cfg, _ := parseArgs([]string{"-6", "v6host"})
	names := func(a netip.Addr) string { return "v6host (" + a.String() + ")" }
	want := "PING v6host(v6host (fd00::2)) 56 data bytes\n"
	if got := header(&cfg, "v6host", netip.MustParseAddr("fd00::2"), names, source{}); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	cfg.numeric = true
	if got := header(&cfg, "v6host", netip.MustParseAddr("fd00::2"), names, source{}); got != "PING v6host(fd00::2) 56 data bytes\n" {
		t.Errorf("-n: got %q", got)
	}
}

func TestFormatRTTUsesIputilsPrecision(t *testing.T) {
	cases := map[time.Duration]string{
		45 * time.Microsecond:     "0.045",
		999 * time.Microsecond:    "0.999",
		1234 * time.Microsecond:   "1.23",
		9994 * time.Microsecond:   "9.99",
		12345 * time.Microsecond:  "12.3",
		99940 * time.Microsecond:  "99.9",
		123456 * time.Microsecond: "123",
		45*time.Microsecond + 900: "0.045", // sub-microsecond part is dropped, as iputils' timeval
	}
	for d, w := range cases {
		if got := formatRTT(d); got != w {
			t.Errorf("formatRTT(%v) = %q, want %q", d, got, w)
		}
	}
}

func reply(seq uint16, class probe.Class, rtt time.Duration) probe.Event {
	return probe.Event{Kind: probe.EventReply, Class: class, Index: uint64(seq), Seq: seq,
		From: lo4, TTL: 64, Size: 64, RTT: rtt}
}

func printAll(t *testing.T, args []string, evs ...probe.Event) string {
	t.Helper()
	cfg, err := parseArgs(args)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	p := newTextPrinter(&buf, &cfg, lo4, nil)
	for _, ev := range evs {
		p.Event(ev)
	}
	return buf.String()
}

func TestReplyLinesAndMarkers(t *testing.T) {
	bad := reply(4, probe.ClassCorrupt, 50*time.Microsecond)
	bad.Note = "bad checksum 0x1234, want 0x1235"
	other := reply(5, probe.ClassOnTime, 50*time.Microsecond)
	other.From = netip.MustParseAddr("127.0.0.2")
	foreign := reply(9, probe.ClassForeign, 0)
	foreign.Note = "other identifier"
	foreign.ID = 77
	// As the engine reports it: foreign, matched to request 7, note "different address".
	elsewhere := reply(7, probe.ClassForeign, 0)
	elsewhere.From = netip.MustParseAddr("198.18.0.3")
	elsewhere.Note = "different address: reply from 198.18.0.3, the target is 127.0.0.1"
	short := reply(6, probe.ClassOnTime, 0)
	short.Size = 8
	got := printAll(t, []string{"127.0.0.1"},
		probe.Event{Kind: probe.EventSend, Index: 1, Seq: 1},
		reply(1, probe.ClassOnTime, 45*time.Microsecond),
		reply(1, probe.ClassDuplicate, 60*time.Microsecond),
		reply(2, probe.ClassLate, 12*time.Second),
		reply(3, probe.ClassOutOfOrder, 2*time.Millisecond),
		bad, other, foreign, short, elsewhere,
	)
	want := "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms\n" +
		"64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.060 ms (DUP!)\n" +
		"64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=12000 ms (LATE!)\n" +
		"64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=2.00 ms (OUT OF ORDER!)\n" +
		"64 bytes from 127.0.0.1: icmp_seq=4 ttl=64 time=0.050 ms (BAD CHECKSUM!)\n" +
		"64 bytes from 127.0.0.2: icmp_seq=5 ttl=64 time=0.050 ms (DIFFERENT ADDRESS!)\n" +
		// iputils prints no time when the payload is too short to carry one
		"8 bytes from 127.0.0.1: icmp_seq=6 ttl=64\n" +
		"64 bytes from 198.18.0.3: icmp_seq=7 ttl=64 (DIFFERENT ADDRESS!)\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := printAll(t, []string{"-v", "127.0.0.1"}, foreign); got != "64 bytes from 127.0.0.1: icmp_id=77 icmp_seq=9 (FOREIGN: other identifier)\n" {
		t.Errorf("-v foreign: got %q", got)
	}
	if got := printAll(t, []string{"-q", "127.0.0.1"}, reply(1, probe.ClassOnTime, time.Millisecond)); got != "" {
		t.Errorf("-q printed %q", got)
	}
}

func TestAudibleRingsOnReplies(t *testing.T) {
	got := printAll(t, []string{"-a", "127.0.0.1"}, reply(1, probe.ClassOnTime, time.Millisecond), reply(1, probe.ClassDuplicate, time.Millisecond))
	// iputils rings before the newline (putchar('\a') ahead of the line's end).
	if strings.Count(got, "\a") != 1 || !strings.HasPrefix(got, "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=1.00 ms\a\n") {
		t.Errorf("got %q", got)
	}
}

func TestICMPErrorLines(t *testing.T) {
	from := netip.MustParseAddr("198.18.0.2")
	// ICMPv4 destination unreachable (host), as a raw socket delivers it: IPv4 header first.
	ipHdr := make([]byte, 20)
	ipHdr[0] = 0x45
	unreach := probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Seq: 3, From: from,
		ICMPType: 3, ICMPCode: 1, Bytes: append(ipHdr, 3, 1, 0, 0, 0, 0, 0, 0), IncludesIPHeader: true}
	ttl := unreach
	ttl.ICMPType, ttl.ICMPCode, ttl.Seq = 11, 0, 4
	frag := unreach
	frag.ICMPType, frag.ICMPCode, frag.Seq = 3, 4, 5
	frag.Bytes = append(append([]byte{}, ipHdr...), 3, 4, 0, 0, 0, 0, 0x05, 0xdc)
	v6 := probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Seq: 6,
		From: netip.MustParseAddr("fd00::2"), ICMPType: 1, ICMPCode: 3, Bytes: []byte{1, 3, 0, 0, 0, 0, 0, 0}}
	ptb := v6
	ptb.ICMPType, ptb.ICMPCode, ptb.Seq = 2, 0, 7
	ptb.Bytes = []byte{2, 0, 0, 0, 0, 0, 0x05, 0x00}
	got := printAll(t, []string{"127.0.0.1"}, unreach, ttl, frag, v6, ptb)
	want := "From 198.18.0.2 icmp_seq=3 Destination Host Unreachable\n" +
		"From 198.18.0.2 icmp_seq=4 Time to live exceeded\n" +
		"From 198.18.0.2 icmp_seq=5 Frag needed and DF set (mtu = 1500)\n" +
		"From fd00::2 icmp_seq=6 Destination unreachable: Address unreachable\n" +
		"From fd00::2 icmp_seq=7 Packet too big: mtu=1280\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestOutstandingAndTimestamps(t *testing.T) {
	at := time.Unix(1795743779, 125792000)
	r2 := reply(2, probe.ClassOnTime, 61*time.Microsecond)
	r2.Received = probe.Timestamp{Time: at}
	got := printAll(t, []string{"-O", "-D", "127.0.0.1"},
		probe.Event{Kind: probe.EventSend, Index: 1, Seq: 1, Sent: probe.Timestamp{Time: at}},
		probe.Event{Kind: probe.EventSend, Index: 2, Seq: 2, Sent: probe.Timestamp{Time: at}},
		r2,
		probe.Event{Kind: probe.EventSend, Index: 3, Seq: 3},
	)
	// Only request 1 was unanswered when the next one went out.
	wantPrefix := "["
	if len(got) == 0 || got[:1] != wantPrefix {
		t.Fatalf("no timestamp prefix: %q", got)
	}
	want := "no answer yet for icmp_seq=1\n"
	if !bytes.Contains([]byte(got), []byte(want)) || bytes.Count([]byte(got), []byte("no answer yet")) != 1 {
		t.Errorf("got %q, want exactly one %q", got, want)
	}
	if !bytes.Contains([]byte(got), []byte("[1795743779.125792] 64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.061 ms\n")) {
		t.Errorf("timestamped reply line missing in %q", got)
	}
}

func TestFloodDots(t *testing.T) {
	got := printAll(t, []string{"-f", "127.0.0.1"},
		probe.Event{Kind: probe.EventSend, Index: 1, Seq: 1}, reply(1, probe.ClassOnTime, 2*time.Microsecond),
		probe.Event{Kind: probe.EventSend, Index: 2, Seq: 2},
		probe.Event{Kind: probe.EventICMPError, Class: probe.ClassICMPError, Seq: 2, From: lo4, ICMPType: 3, ICMPCode: 1})
	if got != ".\b \b.\bE" {
		t.Errorf("got %q", got)
	}
}

func TestStatisticsBlock(t *testing.T) {
	cfg, _ := parseArgs([]string{"127.0.0.1"})
	p := newTextPrinter(new(bytes.Buffer), &cfg, lo4, nil)
	// ping -c 3 127.0.0.1 above: 0.047/0.059/0.074/0.011, time 2041ms
	st := probe.Stats{Sent: 3, Received: 3, Min: 47 * time.Microsecond, Avg: 59 * time.Microsecond,
		Max: 74 * time.Microsecond, Mdev: 11 * time.Microsecond, Elapsed: 2041 * time.Millisecond}
	want := "\n--- 127.0.0.1 ping statistics ---\n" +
		"3 packets transmitted, 3 received, 0% packet loss, time 2041ms\n" +
		"rtt min/avg/max/mdev = 0.047/0.059/0.074/0.011 ms\n"
	if got := p.statistics("127.0.0.1", iputilsFigures(st)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// ping -s 65508: "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms" and a blank line.
	st = probe.Stats{Sent: 1, Errors: 1}
	want = "\n--- 127.0.0.1 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n"
	if got := p.statistics("127.0.0.1", iputilsFigures(st)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// C's %g: six significant digits
	st = probe.Stats{Sent: 3, Received: 2, Duplicates: 1, Late: 1, Foreign: 9, Min: time.Millisecond, Avg: time.Millisecond, Max: time.Millisecond}
	want = "\n--- h ping statistics ---\n3 packets transmitted, 2 received, +1 duplicates, +1 late, 33.3333% packet loss, time 0ms\n" +
		"rtt min/avg/max/mdev = 1.000/1.000/1.000/0.000 ms\n"
	if got := p.statistics("h", iputilsFigures(st)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	p.cfg.verbose = true
	if got := p.statistics("h", iputilsFigures(st)); !strings.Contains(got, ", +1 late, +9 foreign, 33.3333% packet loss") {
		t.Errorf("-v: got %q", got)
	}
}

// TestFloodStatisticsHaveIpgEwma: the ewma comes from the engine's statistics, so a quiet
// flood, whose events never reach the printer, prints the same line.
func TestFloodStatisticsHaveIpgEwma(t *testing.T) {
	cfg, _ := parseArgs([]string{"-f", "-q", "127.0.0.1"})
	p := newTextPrinter(new(bytes.Buffer), &cfg, lo4, nil)
	st := probe.Stats{Sent: 1000, Received: 1000, Min: 2 * time.Microsecond, Avg: 2 * time.Microsecond,
		Max: 41 * time.Microsecond, Mdev: 2 * time.Microsecond, Elapsed: 5994 * time.Microsecond, EWMA: 8 * time.Microsecond}
	// iputils rounds the time to the nearest millisecond: (tv_usec + 500) / 1000.
	want := "\n--- 127.0.0.1 ping statistics ---\n1000 packets transmitted, 1000 received, 0% packet loss, time 6ms\n" +
		"rtt min/avg/max/mdev = 0.002/0.002/0.041/0.002 ms, ipg/ewma 0.006/0.008 ms\n"
	if got := p.statistics("127.0.0.1", iputilsFigures(st)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestExitCodes(t *testing.T) {
	if c := exitCode(probe.Options{}, probe.Stats{Sent: 3, Received: 1}); c != 0 {
		t.Errorf("some replies: %d", c)
	}
	if c := exitCode(probe.Options{}, probe.Stats{Sent: 3}); c != 1 {
		t.Errorf("no replies: %d", c)
	}
	if c := exitCode(probe.Options{Count: 3, Deadline: time.Second}, probe.Stats{Sent: 3, Received: 2}); c != 1 {
		t.Errorf("-c 3 -w 1 with 2 replies: %d", c)
	}
}

func TestWithFixOnce(t *testing.T) {
	hint := "Fix: sudo setcap cap_net_raw=ep /x."
	msg := "no ICMP socket available: raw: operation not permitted. " + hint + "; datagram: permission denied. " + hint + ". " + hint
	want := "no ICMP socket available: raw: operation not permitted.; datagram: permission denied.\n" + hint
	if got := withFixOnce(msg, hint); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := withFixOnce("socket: operation not permitted", hint); got != "socket: operation not permitted\n"+hint {
		t.Errorf("no hint inside: got %q", got)
	}
}

// TestSIGQUITStatusLine: the status line is worded from the engine's statistics (here
// recorded by probe.StatsRecorder, the engine's accumulator), with iputils' figures, which
// count the duplicate's RTT too (tsum / (nreceived + nrepeats)).
func TestSIGQUITStatusLine(t *testing.T) {
	r := probe.NewStatsRecorder(0, 1)
	t0 := time.Unix(1000, 0)
	for i := 1; i <= 4; i++ {
		r.Record(&probe.Event{Kind: probe.EventSend, Index: uint64(i), Sent: probe.Timestamp{Time: t0}})
	}
	for i, us := range []int{40, 50, 60} {
		ev := reply(uint16(i+1), probe.ClassOnTime, time.Duration(us)*time.Microsecond)
		r.Record(&ev)
	}
	dup := reply(1, probe.ClassDuplicate, time.Millisecond)
	r.Record(&dup)
	st := r.Stats(t0.Add(time.Second))
	// ewma: 40*8=320; 320+50-40=330; 330+60-41=349; 349+1000-43=1306 -> 163 us
	want := "3/4 packets, 25% loss, min/avg/ewma/max = 0.040/0.287/0.163/1.000 ms"
	if got := statsStatus(&st); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := statsStatus(&probe.Stats{}); got != "0/0 packets, 0% loss" {
		t.Errorf("empty: %q", got)
	}
	if got := statsStatus(&probe.Stats{Sent: 2}); got != "0/2 packets, 100% loss" {
		t.Errorf("no replies: %q", got)
	}
}

// iputilsFigures fills Stats.WithDuplicates from the first-reply figures, as the engine
// does when no duplicate carried an RTT.
func iputilsFigures(st probe.Stats) probe.Stats {
	st.WithDuplicates = probe.RTTFigures{Min: st.Min, Avg: st.Avg, Max: st.Max, Mdev: st.Mdev, EWMA: st.EWMA}
	return st
}
