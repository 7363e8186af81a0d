package wire

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// Seeds shared by the fuzz targets; more live in testdata/fuzz.
func seedPackets(t testing.TB) [][]byte {
	return [][]byte{ping4Request, ping4Reply, ping6Request, ping6Reply, ping6Request[40:], textbookRequest, timeExceeded4(t),
		timeExceededWithExtensions(t, 0, mplsAndInterfaceExtensions(false)), routedEcho(routingTypeSRH)}
}

func FuzzDecode(f *testing.F) {
	for _, p := range seedPackets(f) {
		f.Add(p, uint8(0), false)
		f.Add(p, uint8(6), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, family uint8, payload bool) {
		opts := Options{Family: Family(family % 7), EchoscopePayload: payload}
		if family&0x80 != 0 {
			opts.Src, opts.Dst = doc6a, doc6b
		}
		r := Decode(b, opts)
		if err := checkReport(b, r); err != nil {
			t.Fatalf("%v\n%x", err, b)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		for _, c := range r.Checksums {
			if c.Correct && !c.Verifiable {
				t.Fatalf("checksum correct but not verifiable: %+v", c)
			}
		}
	})
}

func FuzzParseIPv4(f *testing.F) {
	f.Add(ping4Request)
	f.Add([]byte{0x46, 0, 0, 24, 0, 0, 0, 0, 1, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 7, 3, 4, 0})
	f.Add([]byte{0x47, 0, 0, 28, 0, 0, 0, 0, 1, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 68, 8, 5, 0x01, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseIPv4Header(b)
		if err != nil {
			if !errors.Is(err, ErrTooShort) && !errors.Is(err, ErrBadVersion) && !errors.Is(err, ErrBadHeaderLength) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		if h.Len() > len(b) || h.Len() < IPv4HeaderLen {
			t.Fatalf("header length %d with %d bytes", h.Len(), len(b))
		}
		// Rebuilding gives the same bytes, with the checksum recomputed.
		again, err := AppendIPv4Header(nil, h)
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte{}, b[:h.Len()]...)
		want[10], want[11] = again[10], again[11]
		if !bytes.Equal(again, want) {
			t.Fatalf("rebuilt\n% x\nfrom\n% x", again, want)
		}
		if !VerifyIPv4HeaderChecksum(again) {
			t.Fatal("rebuilt header checksum does not verify")
		}
		opts, err := ParseIPv4Options(h.Options)
		end := 0
		for _, o := range opts {
			if o.Offset != end || o.Len < 1 || o.Offset+o.Len > len(h.Options) {
				t.Fatalf("option %+v out of place (expected at %d)", o, end)
			}
			end += o.Len
		}
		if err != nil && !errors.Is(err, ErrBadOption) {
			t.Fatalf("unnamed option error %v", err)
		}
	})
}

func FuzzParseICMP(f *testing.F) {
	for _, p := range seedPackets(f) {
		f.Add(p[min(len(p), 20):], false)
		f.Add(p[min(len(p), 40):], true)
	}
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		fam, ph := IPv4, (*PseudoHeader)(nil)
		if v6 {
			fam, ph = IPv6, &PseudoHeader{Src: doc6a, Dst: doc6b}
		}
		m, err := ParseMessage(fam, b)
		if err != nil {
			if !errors.Is(err, ErrTooShort) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		out, err := m.Marshal(ph)
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyChecksum(fam, out, ph) {
			t.Fatalf("marshalled message does not verify: % x", out)
		}
		if len(out) != m.Len() {
			t.Fatalf("Marshal %d bytes, Len %d", len(out), m.Len())
		}
		// Marshal is exact for echo and unparsed bodies (up to the checksum), and a fixpoint
		// after one round for error bodies (which drop unused bytes and pad RFC 4884 quotes).
		switch m.Body.(type) {
		case *Echo, *RawBody:
			want := append([]byte{}, b...)
			want[2], want[3] = out[2], out[3]
			if !bytes.Equal(out, want) {
				t.Fatalf("round trip\n% x\nfrom\n% x", out, want)
			}
		}
		m2, err := ParseMessage(fam, out)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		out2, _ := m2.Marshal(ph)
		if ambiguousQuote(fam, m.Body) {
			// A quote over 255 units that looks like a legacy extension structure cannot
			// be marked as extension-free (noExtensionsLength): the re-parse splits it, and
			// the fixpoint comes one round later.
			m3, err := ParseMessage(fam, out2)
			if err != nil {
				t.Fatalf("re-parse: %v", err)
			}
			out, out2 = out2, nil
			out2, _ = m3.Marshal(ph)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("not a fixpoint\n% x\n% x", out, out2)
		}
		if IsEcho(fam, b[0]) && len(b) >= EchoHeaderLen {
			em, err := ParseEcho(fam, b)
			e := m.Body.(*Echo)
			if err != nil || em.ID != e.ID || em.Seq != e.Seq || !bytes.Equal(em.Data, e.Data) {
				t.Fatalf("ParseEcho %+v %v disagrees with ParseMessage %+v", em, err, e)
			}
		}
		if q, ok := m.Body.(quoting); ok {
			if _, err := m.Quoted(); err != nil && len(q.quoted()) > 0 &&
				!errors.Is(err, ErrTooShort) && !errors.Is(err, ErrBadVersion) && !errors.Is(err, ErrBadHeaderLength) && !errors.Is(err, ErrFragment) {
				t.Fatalf("unnamed quote error %v", err)
			}
		}
	})
}

func FuzzChecksum(f *testing.F) {
	f.Add([]byte{}, uint8(0))
	f.Add([]byte{0xff}, uint8(1))
	f.Add(ping4Request, uint8(20))
	f.Fuzz(func(t *testing.T, b []byte, cut uint8) {
		want := referenceChecksum(b)
		if got := Checksum(b); got != want {
			t.Fatalf("Checksum %#04x, reference %#04x", got, want)
		}
		if got := TraceChecksum(b).Result; got != want {
			t.Fatalf("trace %#04x, reference %#04x", got, want)
		}
		c := min(int(cut)&^1, len(b)&^1)
		if got := ^Fold(Sum(Sum(0, b[:c]), b[c:])); got != want {
			t.Fatalf("in two parts at %d: %#04x, want %#04x", c, got, want)
		}
	})
}

func FuzzEchoRoundTrip(f *testing.F) {
	f.Add(uint16(13), uint16(37), []byte{}, false)
	f.Add(uint16(0xffff), uint16(0), []byte("odd"), true)
	f.Fuzz(func(t *testing.T, id, seq uint16, data []byte, v6 bool) {
		fam, ph := IPv4, (*PseudoHeader)(nil)
		if v6 {
			fam, ph = IPv6, &PseudoHeader{Src: doc6a, Dst: loop6}
		}
		b := AppendEcho(nil, fam, EchoRequestType(fam), Echo{ID: id, Seq: seq, Data: data}, ph)
		if !VerifyChecksum(fam, b, ph) {
			t.Fatal("does not verify")
		}
		em, err := ParseEcho(fam, b)
		if err != nil || em.ID != id || em.Seq != seq || !bytes.Equal(em.Data, data) || em.Type != EchoRequestType(fam) {
			t.Fatalf("ParseEcho %+v %v", em, err)
		}
	})
}

func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"45 00", "0x4500", "45:00:0a", "0X45 0x00\n", "4", "zz", "", "0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseHex(s)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrOddHex) && !errors.Is(err, ErrBadHex) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		if len(b) == 0 {
			t.Fatal("no bytes and no error")
		}
		for _, form := range []string{hex.EncodeToString(b), "0x" + hex.EncodeToString(b), colonSeparated(b)} {
			again, err := ParseHex(form)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("%q -> % x; %q -> % x, %v", s, b, form, again, err)
			}
		}
	})
}

func colonSeparated(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = hex.EncodeToString([]byte{c})
	}
	return strings.Join(parts, ":")
}

// ambiguousQuote reports whether b is an error body without extensions whose quote a
// receiver would split into quote and legacy extensions, and whose length field cannot say
// otherwise because the quote is longer than 255 units.
func ambiguousQuote(f Family, b Body) bool {
	q, ok := b.(quoting)
	if !ok {
		return false
	}
	var ext []byte
	switch e := b.(type) {
	case *DstUnreach:
		ext = e.Extensions
	case *TimeExceeded:
		ext = e.Extensions
	case *ParamProb:
		if f == IPv6 {
			return false // no length field: nothing is split off
		}
		ext = e.Extensions
	default:
		return false
	}
	return len(ext) == 0 && legacyExtensions(q.quoted()) && noExtensionsLength(f, q.quoted()) == 0
}
