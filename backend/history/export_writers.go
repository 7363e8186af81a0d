package history

import (
	"io"
	"iter"

	"echoscope/backend/capture"
	"echoscope/backend/export"
	"echoscope/backend/wire"
)

// The capture and CSV writers live in backend/export, which has no SQLite, so the small
// echoscope-ping binary can write them too; these names keep history's API whole.

// PcapngResult counts what an export wrote (see export.PcapngResult).
type PcapngResult = export.PcapngResult

// CSVHeader is the first row of WriteCSV: the packet table's columns.
var CSVHeader = export.CSVHeader

// Link types an export writes (backend/capture holds them all).
const (
	LinkTypeRaw  = capture.LinkTypeRaw
	LinkTypeIPv4 = capture.LinkTypeIPv4
	LinkTypeIPv6 = capture.LinkTypeIPv6
)

// WritePcapng writes the rows as pcapng (see export.WritePcapng).
func WritePcapng(out io.Writer, pkts iter.Seq2[Packet, error]) (PcapngResult, error) {
	return export.WritePcapng(out, pkts)
}

// WriteCSV writes the rows as CSV (see export.WriteCSV).
func WriteCSV(out io.Writer, pkts iter.Seq2[Packet, error]) (int, error) {
	return export.WriteCSV(out, pkts)
}

// familyOf tells a row's IP version (see export.FamilyOf).
func familyOf(p *Packet) wire.Family { return export.FamilyOf(p) }
