package history

import (
	"bufio"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"
)

// CSVHeader is the first row of WriteCSV: the packet table's columns.
var CSVHeader = []string{"n", "kind", "time", "clock", "index", "seq", "id", "class", "rule",
	"rtt_ms", "rtt_clocks", "ttl", "from", "to", "icmp_type", "icmp_code", "size", "note",
	"includes_ip_header", "bytes_hex"}

// WriteCSV writes the rows as CSV (RFC 4180: CRLF line ends, fields quoted when they hold
// commas, quotes or line breaks), one row per packet after the header row. Times are
// RFC 3339 with nanoseconds in UTC; unknown TTL and RTT are empty cells.
func WriteCSV(out io.Writer, pkts iter.Seq2[Packet, error]) (int, error) {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	if err := w.Write(CSVHeader); err != nil {
		return 0, fmt.Errorf("csv export: %w", err)
	}
	n := 0
	for p, err := range pkts {
		if err != nil {
			return n, fmt.Errorf("csv export: %w", err)
		}
		if err := w.Write(csvRow(&p)); err != nil {
			return n, fmt.Errorf("csv export: %w", err)
		}
		n++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return n, fmt.Errorf("csv export: %w", err)
	}
	return n, nil
}

func csvRow(p *Packet) []string {
	ts, ttl, rtt, index := "", "", "", ""
	if !p.Time.Time.IsZero() {
		ts = p.Time.Time.UTC().Format(time.RFC3339Nano)
	}
	if p.TTL >= 0 {
		ttl = strconv.Itoa(p.TTL)
	}
	if p.RTT > 0 {
		rtt = strconv.FormatFloat(float64(p.RTT)/float64(time.Millisecond), 'f', 6, 64)
	}
	if p.Index > 0 {
		index = strconv.FormatUint(p.Index, 10)
	}
	return []string{strconv.FormatInt(p.N, 10), string(p.Kind), ts, string(p.Time.Clock), index,
		strconv.Itoa(int(p.Seq)), strconv.Itoa(int(p.ID)), string(p.Class), string(p.Rule), rtt,
		p.RTTClocks, ttl, addrText(p.From), addrText(p.To), strconv.Itoa(p.ICMPType),
		strconv.Itoa(p.ICMPCode), strconv.Itoa(p.Size), p.Note,
		strconv.FormatBool(p.IncludesIPHeader), hex.EncodeToString(p.Bytes)}
}

// WriteJSON writes {"session": ..., "packets": [...]} with the session's statistics and
// every row (bytes in hex). Rows are streamed, so a huge session needs no big buffer.
func WriteJSON(out io.Writer, ss Session, pkts iter.Seq2[Packet, error]) (int, error) {
	bw := bufio.NewWriter(out)
	head, err := json.Marshal(ss)
	if err != nil {
		return 0, fmt.Errorf("json export: %w", err)
	}
	bw.WriteString(`{"session":`)
	bw.Write(head)
	bw.WriteString(`,"packets":[`)
	n := 0
	for p, err := range pkts {
		if err != nil {
			return n, fmt.Errorf("json export: %w", err)
		}
		row, err := json.Marshal(p)
		if err != nil {
			return n, fmt.Errorf("json export: row %d: %w", p.N, err)
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		bw.Write(row)
		n++
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("json export: %w", err)
	}
	return n, nil
}
