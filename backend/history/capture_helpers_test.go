package history

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixtureDatagrams returns the IP datagrams and times of a fixture captured on Linux lo.
func fixtureDatagrams(t testing.TB) ([][]byte, []time.Time) {
	t.Helper()
	c, err := ReadCapture(fixture(t, "loopback.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	var ips [][]byte
	var times []time.Time
	for _, f := range c.Frames {
		ips = append(ips, f.Data[14:])
		times = append(times, f.Time)
	}
	return ips, times
}

// buildPcap writes a classic pcap file in the given byte order and timestamp precision.
func buildPcap(order byteOrder, nano bool, link uint32, frames [][]byte, times []time.Time) []byte {
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
		frac := uint32(times[i].Nanosecond() / 1000)
		if nano {
			frac = uint32(times[i].Nanosecond())
		}
		b = order.AppendUint32(b, uint32(times[i].Unix()))
		b = order.AppendUint32(b, frac)
		b = order.AppendUint32(b, uint32(len(f)))
		b = order.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

type ngIface struct {
	link    uint16
	tsresol byte // 0: leave the option out (microseconds)
}

type ngPacket struct {
	iface  uint32
	units  uint64 // timestamp in the interface's units
	data   []byte
	simple bool // write a Simple Packet Block (interface 0, no time)
}

// buildPcapng writes a one-section pcapng file in the given byte order.
func buildPcapng(order byteOrder, ifaces []ngIface, pkts []ngPacket) []byte {
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
	shb := order.AppendUint32(nil, byteOrderMagic)
	shb = order.AppendUint16(shb, 1)
	shb = order.AppendUint16(shb, 0)
	shb = order.AppendUint64(shb, ^uint64(0))
	b := block(nil, blockSHB, shb)
	for _, ifc := range ifaces {
		body := order.AppendUint16(nil, ifc.link)
		body = order.AppendUint16(body, 0)
		body = order.AppendUint32(body, 0)
		if ifc.tsresol != 0 {
			body = order.AppendUint16(body, optIfTsresol)
			body = order.AppendUint16(body, 1)
			body = append(body, ifc.tsresol, 0, 0, 0)
			body = append(body, 0, 0, 0, 0)
		}
		b = block(b, blockIDB, body)
	}
	for _, p := range pkts {
		if p.simple {
			body := order.AppendUint32(nil, uint32(len(p.data)))
			b = block(b, blockSPB, append(body, p.data...))
			continue
		}
		body := order.AppendUint32(nil, p.iface)
		body = order.AppendUint32(body, uint32(p.units>>32))
		body = order.AppendUint32(body, uint32(p.units))
		body = order.AppendUint32(body, uint32(len(p.data)))
		body = order.AppendUint32(body, uint32(len(p.data)))
		b = block(b, blockEPB, append(body, p.data...))
	}
	return b
}

// byteOrder is what the builders need: put and append in one order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}
