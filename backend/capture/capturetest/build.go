// Package capturetest builds capture files for tests: classic pcap in either byte order
// and timestamp precision, and pcapng with several interfaces, resolutions and block
// kinds, and it finds the real captures in backend/capture/testdata. Tests of the reader
// and of the import use it; nothing else should.
package capturetest

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// ByteOrder is what the builders need: put and append in one order.
type ByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// Fixture returns a file of backend/capture/testdata (see its README for how each was made).
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(FixturePath(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FixturePath is where a file of backend/capture/testdata is.
func FixturePath(name string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "testdata", name)
}

// Pcap writes a classic pcap file in the given byte order and timestamp precision.
func Pcap(order ByteOrder, nano bool, link uint32, frames [][]byte, times []time.Time) []byte {
	magic := uint32(0xa1b2c3d4)
	if nano {
		magic = 0xa1b23c4d
	}
	b := order.AppendUint32(nil, magic)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, 4)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 65535)
	b = order.AppendUint32(b, link)
	for i, f := range frames {
		b = PcapRecord(b, order, nano, times[i], f, len(f))
	}
	return b
}

// PcapRecord appends one pcap record of data, which had orig bytes on the wire.
func PcapRecord(b []byte, order ByteOrder, nano bool, t time.Time, data []byte, orig int) []byte {
	frac := uint32(t.Nanosecond() / 1000)
	if nano {
		frac = uint32(t.Nanosecond())
	}
	b = order.AppendUint32(b, uint32(t.Unix()))
	b = order.AppendUint32(b, frac)
	b = order.AppendUint32(b, uint32(len(data)))
	b = order.AppendUint32(b, uint32(orig))
	return append(b, data...)
}

// Iface is one pcapng interface.
type Iface struct {
	Link    uint16
	Tsresol byte // 0: leave the option out (microseconds)
	// Tsoffset, when not zero, is written as if_tsoffset (seconds).
	Tsoffset int64
}

// Packet is one pcapng packet.
type Packet struct {
	Iface  uint32
	Units  uint64 // timestamp in the interface's units
	Data   []byte
	Orig   int  // bytes on the wire; 0 means len(Data)
	Simple bool // write a Simple Packet Block (interface 0, no time)
}

// Section says how the section header is written.
type Section struct {
	Major, Minor uint16 // 0.0 means 1.0
}

// Pcapng writes a one-section pcapng file in the given byte order.
func Pcapng(order ByteOrder, ifaces []Iface, pkts []Packet) []byte {
	return PcapngSection(order, Section{}, ifaces, pkts)
}

// PcapngSection is Pcapng with the section header's version chosen.
func PcapngSection(order ByteOrder, sec Section, ifaces []Iface, pkts []Packet) []byte {
	block := func(b []byte, typ uint32, body []byte) []byte {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		total := uint32(12 + len(body))
		b = order.AppendUint32(b, typ)
		b = order.AppendUint32(b, total)
		b = append(b, body...)
		return order.AppendUint32(b, total)
	}
	if sec.Major == 0 && sec.Minor == 0 {
		sec.Major = 1
	}
	shb := order.AppendUint32(nil, 0x1A2B3C4D)
	shb = order.AppendUint16(shb, sec.Major)
	shb = order.AppendUint16(shb, sec.Minor)
	shb = order.AppendUint64(shb, ^uint64(0))
	b := block(nil, 0x0A0D0D0A, shb)
	for _, ifc := range ifaces {
		body := order.AppendUint16(nil, ifc.Link)
		body = order.AppendUint16(body, 0)
		body = order.AppendUint32(body, 0)
		if ifc.Tsresol != 0 {
			body = order.AppendUint16(body, 9)
			body = order.AppendUint16(body, 1)
			body = append(body, ifc.Tsresol, 0, 0, 0)
		}
		if ifc.Tsoffset != 0 {
			body = order.AppendUint16(body, 14)
			body = order.AppendUint16(body, 8)
			body = order.AppendUint64(body, uint64(ifc.Tsoffset))
		}
		if ifc.Tsresol != 0 || ifc.Tsoffset != 0 {
			body = append(body, 0, 0, 0, 0)
		}
		b = block(b, 1, body)
	}
	for _, p := range pkts {
		orig := p.Orig
		if orig == 0 {
			orig = len(p.Data)
		}
		if p.Simple {
			body := order.AppendUint32(nil, uint32(orig))
			b = block(b, 3, append(body, p.Data...))
			continue
		}
		body := order.AppendUint32(nil, p.Iface)
		body = order.AppendUint32(body, uint32(p.Units>>32))
		body = order.AppendUint32(body, uint32(p.Units))
		body = order.AppendUint32(body, uint32(len(p.Data)))
		body = order.AppendUint32(body, uint32(orig))
		b = block(b, 6, append(body, p.Data...))
	}
	return b
}
