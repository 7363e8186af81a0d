package capture

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

const (
	pcapHeaderLen = 24
	pcapRecordLen = 16
)

// pcapState is what the classic pcap file header says about every record.
type pcapState struct {
	order binary.ByteOrder
	nanos bool
	link  int
}

func (r *Reader) readPcapHeader() error {
	b, got, err := r.readFull(pcapHeaderLen)
	if err != nil {
		if atEOF(err) {
			return truncatedErr(0, "pcap file header needs %d bytes, %d present", pcapHeaderLen, got)
		}
		return err
	}
	st := &r.pcap
	st.order = binary.LittleEndian
	magic := st.order.Uint32(b)
	if magic != pcapMagicMicro && magic != pcapMagicNano {
		st.order = binary.BigEndian
		magic = st.order.Uint32(b)
	}
	st.nanos = magic == pcapMagicNano
	if major := st.order.Uint16(b[4:]); major != 2 {
		return formatErr(4, "pcap version %d.%d, only 2.x is defined", major, st.order.Uint16(b[6:]))
	}
	st.link = int(st.order.Uint32(b[20:]) & 0x0fffffff) // the upper bits carry FCS information
	return nil
}

// nextPcap reads one record (draft-ietf-opsawg-pcap section 5).
func (r *Reader) nextPcap() error {
	start := r.off
	head, got, err := r.readFull(pcapRecordLen)
	switch {
	case err == io.EOF:
		return io.EOF
	case atEOF(err):
		return truncatedErr(start, "pcap record header needs %d bytes, %d left", pcapRecordLen, got)
	case err != nil:
		return err
	}
	o := r.pcap.order
	sec, frac := o.Uint32(head), o.Uint32(head[4:])
	incl, orig := o.Uint32(head[8:]), o.Uint32(head[12:])
	if incl > maxRecord {
		return formatErr(start+8, "pcap record claims %d captured bytes", incl)
	}
	data, got, err := r.readFull(int(incl))
	if atEOF(err) {
		return truncatedErr(start+8, "pcap record claims %d captured bytes, %d left in the file", incl, got)
	} else if err != nil {
		return err
	}
	ns := int64(frac) * 1000
	if r.pcap.nanos {
		ns = int64(frac)
	}
	// 32-bit unsigned seconds end in 2106, inside what Unix nanoseconds hold.
	r.frame = Frame{Offset: start, Time: time.Unix(int64(sec), ns), LinkType: r.pcap.link,
		Data: data, OrigLen: int(orig)}
	return nil
}

// PcapHeader is the file header of a classic pcap (little-endian, micro- or nanosecond
// magic) for a writer of that format.
func PcapHeader(linkType int, nanos bool, snaplen uint32) []byte {
	magic := uint32(pcapMagicMicro)
	if nanos {
		magic = pcapMagicNano
	}
	b := binary.LittleEndian.AppendUint32(nil, magic)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint64(b, 0) // thiszone, sigfigs
	b = binary.LittleEndian.AppendUint32(b, snaplen)
	return binary.LittleEndian.AppendUint32(b, uint32(linkType))
}

// AppendPcapRecord appends one classic pcap record (little-endian) holding data, which
// had origLen bytes before the snap length cut it.
func AppendPcapRecord(b []byte, t time.Time, nanos bool, data []byte, origLen int) ([]byte, error) {
	if t.Unix() < 0 || t.Unix() > 1<<32-1 {
		return b, fmt.Errorf("capture: time %v does not fit pcap's 32-bit seconds", t)
	}
	frac := uint32(t.Nanosecond() / 1000)
	if nanos {
		frac = uint32(t.Nanosecond())
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(t.Unix()))
	b = binary.LittleEndian.AppendUint32(b, frac)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(origLen))
	return append(b, data...), nil
}
