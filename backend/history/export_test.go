package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

// sessionRows is a session as a raw-socket engine stores it: sends without IP header,
// IPv4 replies with, IPv6 replies without, plus a loss.
func sessionRows(t *testing.T, fam wire.Family, n int) []Packet {
	t0 := time.Unix(1700000000, 5)
	var rows []Packet
	for i := range n {
		send, reply := echoPair(t, fam, uint16(i+1), t0.Add(time.Duration(i)*time.Second))
		if fam == wire.IPv6 {
			// The raw ICMPv6 socket leaves the checksum to the kernel.
			binary.BigEndian.PutUint16(send.Bytes[2:4], 0)
		}
		rows = append(rows, PacketFromEvent(send), PacketFromEvent(reply))
	}
	rows = append(rows, PacketFromEvent(probe.Event{Kind: probe.EventLoss, Seq: 99, Sent: probe.Timestamp{Time: t0}}))
	for i := range rows {
		rows[i].N = int64(i)
	}
	return rows
}

// datagramRows: Linux datagram socket: the kernel rewrote the identifier to 0x8f21 and
// fills the checksum, and no packet has an IP header.
func datagramRows(t *testing.T) []Packet {
	send, reply := echoPair(t, wire.IPv4, 1, time.Unix(1700000000, 5))
	binary.BigEndian.PutUint16(send.Bytes[2:4], 0)
	send.ID = 0x8f21
	send.Note = "identifier rewritten by kernel to 0x8f21"
	_, icmp, _ := wire.SplitIPv4(reply.Bytes)
	icmp = append([]byte(nil), icmp...)
	binary.BigEndian.PutUint16(icmp[4:6], 0x8f21)
	binary.BigEndian.PutUint16(icmp[2:4], 0)
	binary.BigEndian.PutUint16(icmp[2:4], wire.Checksum(icmp))
	reply.Bytes, reply.IncludesIPHeader, reply.ID, reply.To = icmp, false, 0x8f21, netip.Addr{}
	return []Packet{PacketFromEvent(send), PacketFromEvent(reply)}
}

func tsharkFields(t *testing.T, file string, fields ...string) [][]string {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	args := []string{"-r", file, "-T", "fields"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var lines [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		lines = append(lines, strings.Split(l, "\t"))
	}
	return lines
}

func writeTemp(t *testing.T, name string, rows []Packet) (string, PcapngResult) {
	var buf bytes.Buffer
	res, err := WritePcapng(&buf, PacketSlice(rows))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, res
}

func TestPcapngExportDissectsInTshark(t *testing.T) {
	cases := []struct {
		name     string
		rows     []Packet
		link     int
		fields   []string
		want     []string // type seq checksum-status per packet
		synthesd int
	}{
		{"IPv4 raw", sessionRows(t, wire.IPv4, 3), LinkTypeIPv4,
			[]string{"icmp.type", "icmp.seq", "icmp.checksum.status"},
			[]string{"8 1 1", "0 1 1", "8 2 1", "0 2 1", "8 3 1", "0 3 1"}, 3},
		{"IPv6 raw", sessionRows(t, wire.IPv6, 2), LinkTypeIPv6,
			[]string{"icmpv6.type", "icmpv6.echo.sequence_number", "icmpv6.checksum.status"},
			[]string{"128 1 1", "129 1 1", "128 2 1", "129 2 1"}, 4},
		{"IPv4 datagram", datagramRows(t), LinkTypeIPv4,
			[]string{"icmp.type", "icmp.ident", "icmp.checksum.status"},
			[]string{"8 36641 1", "0 36641 1"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, res := writeTemp(t, "x.pcapng", c.rows)
			if res.LinkType != c.link || res.Synthesized != c.synthesd || res.Packets != len(c.want) {
				t.Fatalf("result %+v", res)
			}
			lines := tsharkFields(t, path, c.fields...)
			var got []string
			for _, l := range lines {
				got = append(got, strings.Join(l, " "))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("tshark sees %q, want %q", got, c.want)
			}
			// No address had to be left unspecified: loopback traffic is 127.0.0.1 / ::1.
			for _, l := range tsharkFields(t, path, "ip.src", "ip.dst", "ipv6.src", "ipv6.dst") {
				if strings.Join(l, "") == "" || slices.Contains(l, "0.0.0.0") || slices.Contains(l, "::") {
					t.Fatalf("addresses %q", l)
				}
			}
			// Nanosecond timestamps survive, and the comment explains synthesized headers.
			meta := tsharkFields(t, path, "frame.time_epoch", "frame.comment")
			if !strings.HasPrefix(meta[0][0], "1700000000.000000005") {
				t.Fatalf("first timestamp %q", meta[0][0])
			}
			if !strings.Contains(meta[0][1], "header synthesized") || !strings.Contains(meta[0][1], "Echoscope send") {
				t.Fatalf("first comment %q", meta[0][1])
			}
		})
	}
}

func TestCSVAndJSONExport(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := beginTest(t, s, "127.0.0.1", time.Unix(1700000000, 0))
	rows := sessionRows(t, wire.IPv4, 2)
	rows[1].Note = `bad "checksum", want 0x1234` + "\nsecond line"
	if err := s.AppendPackets(ctx, id, rows); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishSession(ctx, id, probe.Summary{Stats: probe.Stats{Sent: 2, Received: 2}}); err != nil {
		t.Fatal(err)
	}

	var cbuf bytes.Buffer
	n, err := s.ExportCSV(ctx, id, &cbuf)
	if err != nil || n != len(rows) {
		t.Fatalf("csv: %d, %v", n, err)
	}
	if !bytes.Contains(cbuf.Bytes(), []byte("\r\n")) {
		t.Fatal("CSV lines do not end in CRLF")
	}
	recs, err := csv.NewReader(&cbuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 || strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("csv header/rows: %d rows, header %v", len(recs), recs[0])
	}
	col := func(name string) int {
		for i, h := range CSVHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	if recs[2][col("note")] != rows[1].Note || recs[2][col("rtt_ms")] != "0.150000" ||
		recs[2][col("class")] != "on-time" || recs[1][col("ttl")] != "" || recs[2][col("ttl")] != "64" ||
		recs[2][col("time")] != "2023-11-14T22:13:20.000150005Z" {
		t.Fatalf("csv row: %q", recs[2])
	}

	var jbuf bytes.Buffer
	if _, err := s.ExportJSON(ctx, id, &jbuf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Session Session `json:"session"`
		Packets []struct {
			N     int64  `json:"n"`
			Bytes string `json:"bytes"`
			Class string `json:"class"`
		} `json:"packets"`
	}
	if err := json.Unmarshal(jbuf.Bytes(), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, jbuf.String())
	}
	if doc.Session.ID != id || doc.Session.Stats == nil || doc.Session.Stats.Received != 2 ||
		len(doc.Packets) != len(rows) || doc.Packets[1].Class != "on-time" ||
		!strings.HasPrefix(doc.Packets[1].Bytes, "4500") || !strings.Contains(string(doc.Session.Options), `"target":"127.0.0.1"`) {
		t.Fatalf("json doc: %+v", doc)
	}
	if _, err := s.ExportJSON(ctx, 999, &jbuf); err == nil {
		t.Fatal("export of a missing session succeeded")
	}
}
