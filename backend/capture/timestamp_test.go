package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"echoscope/backend/capture/capturetest"
)

// exactSplit is units * 2^-exp (or 10^-exp) seconds split into seconds and nanoseconds
// (fractions truncated), with arbitrary precision.
func exactSplit(units uint64, r tsResolution) (uint64, uint64) {
	per := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(r.exp)), nil)
	if r.base2 {
		per = new(big.Int).Lsh(big.NewInt(1), uint(r.exp))
	}
	u := new(big.Int).SetUint64(units)
	sec, rem := new(big.Int).QuoRem(u, per, new(big.Int))
	ns := new(big.Int).Quo(new(big.Int).Mul(rem, big.NewInt(1e9)), per)
	return sec.Uint64(), ns.Uint64()
}

// Power-of-two resolutions are converted exactly: these values are ones the old float64
// conversion (units / 2^exp * 1e9) got wrong by tens of nanoseconds.
func TestPowerOfTwoResolutionIsExact(t *testing.T) {
	cases := []struct {
		units uint64
		r     tsResolution
	}{
		{1700000000<<32 | 0xfffffff3, tsResolution{base2: true, exp: 32}},
		{1700000000<<30 | 0x3fffffff, tsResolution{base2: true, exp: 30}},
		{1234567890<<20 | 0xabcde, tsResolution{base2: true, exp: 20}},
		{math.MaxUint64, tsResolution{base2: true, exp: 40}},
		{math.MaxUint64, tsResolution{base2: true, exp: 127}},
		{1700000000123456789, tsResolution{exp: 9}},
		{17000000001234567891, tsResolution{exp: 19}},
		{1700000000123456, tsResolution{exp: 6}},
	}
	floatWrong := 0
	for _, c := range cases {
		sec, ns := c.r.split(c.units)
		wantSec, wantNs := exactSplit(c.units, c.r)
		if sec != wantSec || ns != wantNs {
			t.Errorf("%d units of %+v: %d s %d ns, want %d s %d ns", c.units, c.r, sec, ns, wantSec, wantNs)
		}
		if c.r.base2 && c.r.exp <= 32 {
			old := int64(float64(c.units) / math.Exp2(float64(c.r.exp)) * 1e9)
			if old != int64(wantSec)*1e9+int64(wantNs) {
				floatWrong++
			}
		}
	}
	if floatWrong < 2 {
		t.Fatalf("only %d cases would have caught the float64 conversion", floatWrong)
	}
}

// A time outside what Unix nanoseconds hold is refused in words, not wrapped to another
// date.
func TestTimestampOutsideUnixNanosecondsIsRefused(t *testing.T) {
	ips, _ := fixtureDatagrams(t)
	for name, ifc := range map[string]capturetest.Iface{
		"year 2500":      {Link: LinkTypeRaw, Tsresol: 0},                  // microseconds
		"offset to 1600": {Link: LinkTypeRaw, Tsresol: 9, Tsoffset: -12e9}, // ~380 years back
	} {
		units := uint64(16725225600) * 1e6 // 2500-01-01 in microseconds
		if ifc.Tsresol == 9 {
			units = 1e9
		}
		data := capturetest.Pcapng(binary.LittleEndian, []capturetest.Iface{ifc}, []capturetest.Packet{{Units: units, Data: ips[0]}})
		_, frames, err := readAll(data)
		if !errors.Is(err, ErrBadFile) || errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "outside the years 1678 to 2262") || len(frames) != 0 {
			t.Errorf("%s: %d frames, %v", name, len(frames), err)
		}
	}
}

// Major version 2 of pcapng is refused, as tshark refuses it; 1.0 is read.
func TestPcapngMajorVersion2IsRefused(t *testing.T) {
	ips, _ := fixtureDatagrams(t)
	pkts := []capturetest.Packet{{Units: 1700000000000000, Data: ips[0]}}
	ifaces := []capturetest.Iface{{Link: LinkTypeRaw}}
	v2 := capturetest.PcapngSection(binary.LittleEndian, capturetest.Section{Major: 2}, ifaces, pkts)
	_, _, err := readAll(v2)
	if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), "pcapng version 2.0") {
		t.Fatalf("version 2: %v", err)
	}
	if _, frames, err := readAll(capturetest.Pcapng(binary.LittleEndian, ifaces, pkts)); err != nil || len(frames) != 1 {
		t.Fatalf("version 1: %d frames, %v", len(frames), err)
	}
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the comparison with it is skipped")
	}
	path := filepath.Join(t.TempDir(), "v2.pcapng")
	if err := os.WriteFile(path, v2, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-n", "-r", path).CombinedOutput()
	if err == nil {
		t.Fatalf("tshark read a pcapng 2.0 file: %s", out)
	}
}

// tshark reads the same times as this reader from a 2^-32 s interface.
func TestPowerOfTwoResolutionAgreesWithTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	ips, _ := fixtureDatagrams(t)
	units := []uint64{1700000000<<32 | 0xfffffff3, 1700000001<<32 | 0x12345678, 1700000002<<32 | 1}
	var pkts []capturetest.Packet
	for _, u := range units {
		pkts = append(pkts, capturetest.Packet{Units: u, Data: ips[0]})
	}
	data := capturetest.Pcapng(binary.LittleEndian, []capturetest.Iface{{Link: LinkTypeRaw, Tsresol: 0x80 | 32}}, pkts)
	path := filepath.Join(t.TempDir(), "base2.pcapng")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch").Output()
	if err != nil {
		t.Fatal(err)
	}
	_, frames, err := readAll(data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != len(frames) {
		t.Fatalf("tshark %d frames, reader %d", len(lines), len(frames))
	}
	for i, f := range frames {
		want := lines[i]
		if got := fmt.Sprintf("%d.%09d", f.Time.Unix(), f.Time.Nanosecond()); got != want {
			t.Errorf("frame %d: %s, tshark %s", i, got, want)
		}
	}
}
