package export

import (
	"encoding/csv"
	"encoding/hex"
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
	w, err := NewCSVWriter(out)
	if err != nil {
		return 0, err
	}
	for p, err := range pkts {
		if err != nil {
			return w.n, fmt.Errorf("csv export: %w", err)
		}
		if err := w.Write(&p); err != nil {
			return w.n, err
		}
	}
	return w.n, w.Flush()
}

// CSVWriter writes rows one at a time as they happen (a live run), in WriteCSV's format.
type CSVWriter struct {
	w *csv.Writer
	n int
}

// NewCSVWriter writes the header row.
func NewCSVWriter(out io.Writer) (*CSVWriter, error) {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	if err := w.Write(CSVHeader); err != nil {
		return nil, fmt.Errorf("csv export: %w", err)
	}
	return &CSVWriter{w: w}, nil
}

// Write adds the row for p.
func (w *CSVWriter) Write(p *Packet) error {
	if err := w.w.Write(csvRow(p)); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	w.n++
	return nil
}

// Flush writes out what is buffered and reports the first write error.
func (w *CSVWriter) Flush() error {
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	return nil
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
