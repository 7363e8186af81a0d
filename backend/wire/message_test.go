package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"reflect"
	"testing"
)

var (
	loop6 = netip.MustParseAddr("::1")
	doc6a = netip.MustParseAddr("2001:db8::1")
	doc6b = netip.MustParseAddr("2001:db8::2")
)

func TestEchoRoundTrip(t *testing.T) {
	data := []byte("echoscope payload, odd length!")
	for _, tc := range []struct {
		name string
		f    Family
		ph   *PseudoHeader
	}{
		{"IPv4", IPv4, nil},
		{"IPv6", IPv6, &PseudoHeader{Src: doc6a, Dst: doc6b}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, typ := range []uint8{EchoRequestType(tc.f), EchoReplyType(tc.f)} {
				b := AppendEcho(nil, tc.f, typ, Echo{ID: 0x1c2d, Seq: 7, Data: data}, tc.ph)
				if !VerifyChecksum(tc.f, b, tc.ph) {
					t.Fatalf("type %d: built message does not verify: % x", typ, b)
				}
				em, err := ParseEcho(tc.f, b)
				if err != nil {
					t.Fatalf("ParseEcho: %v", err)
				}
				if em.Type != typ || em.ID != 0x1c2d || em.Seq != 7 || !bytes.Equal(em.Data, data) {
					t.Fatalf("ParseEcho = %+v", em)
				}
				m, err := ParseMessage(tc.f, b)
				if err != nil {
					t.Fatalf("ParseMessage: %v", err)
				}
				again, err := m.Marshal(tc.ph)
				if err != nil || !bytes.Equal(again, b) {
					t.Fatalf("Marshal after parse = % x, %v; want % x", again, err, b)
				}
			}
		})
	}
}

func TestAppendEchoMatchesCapturedPackets(t *testing.T) {
	t.Run("IPv4", func(t *testing.T) {
		got := AppendEcho(nil, IPv4, ICMPv4EchoRequest, Echo{ID: 0x3fa0, Seq: 1, Data: ping4Request[28:]}, nil)
		if !bytes.Equal(got, ping4Request[20:]) {
			t.Fatalf("built\n% x\ncaptured\n% x", got, ping4Request[20:])
		}
	})
	t.Run("IPv6", func(t *testing.T) {
		ph := &PseudoHeader{Src: loop6, Dst: loop6}
		got := AppendEcho(nil, IPv6, ICMPv6EchoRequest, Echo{ID: 0x400e, Seq: 1, Data: ping6Request[48:]}, ph)
		if !bytes.Equal(got, ping6Request[40:]) {
			t.Fatalf("built\n% x\ncaptured\n% x", got, ping6Request[40:])
		}
	})
}

func TestAppendEchoDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 128)
	data := make([]byte, 56)
	ph := &PseudoHeader{Src: doc6a, Dst: doc6b}
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendEcho(buf[:0], IPv4, ICMPv4EchoRequest, Echo{ID: 1, Seq: 2, Data: data}, nil)
		buf = AppendEcho(buf[:0], IPv6, ICMPv6EchoRequest, Echo{ID: 1, Seq: 2, Data: data}, ph)
		if _, err := ParseEcho(IPv6, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per build+parse, want 0", allocs)
	}
}

func TestICMPv6WithoutPseudoHeaderLeavesChecksumZero(t *testing.T) {
	b := AppendEcho(nil, IPv6, ICMPv6EchoRequest, Echo{ID: 1, Seq: 1}, nil)
	if b[2] != 0 || b[3] != 0 {
		t.Fatalf("checksum % x, want zero for the kernel to fill", b[2:4])
	}
	if VerifyChecksum(IPv6, b, nil) {
		t.Fatal("ICMPv6 verified without a pseudo-header")
	}
}

func TestErrorMessagesRoundTrip(t *testing.T) {
	quote := append([]byte{}, ping4Request[:28]...) // IP header + 8 bytes of ICMP
	quote6 := append([]byte{}, ping6Request[:48]...)
	ph := &PseudoHeader{Src: doc6a, Dst: loop6}
	ext := []byte{0x20, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0xc0, 0x00, 0x02, 0x01}
	for _, tc := range []struct {
		name string
		m    Message
		ph   *PseudoHeader
	}{
		{"IPv4/unreachable", Message{Family: IPv4, Type: ICMPv4DestinationUnreachable, Code: 3, Body: &DstUnreach{Data: quote}}, nil},
		{"IPv4/frag-needed", Message{Family: IPv4, Type: ICMPv4DestinationUnreachable, Code: ICMPv4CodeFragNeeded, Body: &DstUnreach{NextHopMTU: 1400, Data: quote}}, nil},
		{"IPv4/time-exceeded", Message{Family: IPv4, Type: ICMPv4TimeExceeded, Body: &TimeExceeded{Data: quote}}, nil},
		{"IPv4/time-exceeded-ext", Message{Family: IPv4, Type: ICMPv4TimeExceeded, Body: &TimeExceeded{Data: quote, Extensions: ext}}, nil},
		{"IPv4/param-prob", Message{Family: IPv4, Type: ICMPv4ParameterProblem, Body: &ParamProb{Pointer: 9, Data: quote}}, nil},
		{"IPv6/unreachable", Message{Family: IPv6, Type: ICMPv6DestinationUnreachable, Code: 4, Body: &DstUnreach{Data: quote6}}, ph},
		{"IPv6/too-big", Message{Family: IPv6, Type: ICMPv6PacketTooBig, Body: &PacketTooBig{MTU: 1280, Data: quote6}}, ph},
		{"IPv6/time-exceeded-ext", Message{Family: IPv6, Type: ICMPv6TimeExceeded, Body: &TimeExceeded{Data: quote6, Extensions: ext}}, ph},
		{"IPv6/param-prob", Message{Family: IPv6, Type: ICMPv6ParameterProblem, Code: 1, Body: &ParamProb{Pointer: 6, Data: quote6}}, ph},
		{"IPv4/redirect-raw", Message{Family: IPv4, Type: ICMPv4Redirect, Code: 1, Body: &RawBody{Data: append([]byte{10, 0, 0, 1}, quote...)}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.m.Marshal(tc.ph)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != tc.m.Len() {
				t.Fatalf("Marshal gave %d bytes, Len says %d", len(b), tc.m.Len())
			}
			if !VerifyChecksum(tc.m.Family, b, tc.ph) {
				t.Fatal("checksum does not verify")
			}
			got, err := ParseMessage(tc.m.Family, b)
			if err != nil {
				t.Fatal(err)
			}
			again, err := got.Marshal(tc.ph)
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-marshal differs: %v\n% x\n% x", err, again, b)
			}
			if reflect.TypeOf(got.Body) != reflect.TypeOf(tc.m.Body) {
				t.Fatalf("body %T, want %T", got.Body, tc.m.Body)
			}
			if _, isRaw := tc.m.Body.(*RawBody); isRaw {
				return
			}
			q, err := got.Quoted()
			if err != nil {
				t.Fatalf("Quoted: %v", err)
			}
			em, ok := q.Echo()
			if !ok || em.Type != EchoRequestType(tc.m.Family) || em.Seq != 1 {
				t.Fatalf("quoted echo = %+v, %v", em, ok)
			}
		})
	}
}

func TestParseMessageErrors(t *testing.T) {
	if _, err := ParseMessage(IPv4, []byte{8, 0, 0}); !errors.Is(err, ErrTooShort) {
		t.Errorf("3 bytes: %v, want ErrTooShort", err)
	}
	if _, err := ParseMessage(IPv4, []byte{8, 0, 0, 0, 1}); !errors.Is(err, ErrTooShort) {
		t.Errorf("echo with 1 body byte: %v, want ErrTooShort", err)
	}
	if _, err := ParseMessage(Family(5), []byte{8, 0, 0, 0}); !errors.Is(err, ErrBadFamily) {
		t.Errorf("family 5: %v, want ErrBadFamily", err)
	}
	if _, err := ParseEcho(IPv4, []byte{11, 0, 0, 0, 0, 0, 0, 0}); !errors.Is(err, ErrNotEcho) {
		t.Errorf("time exceeded as echo: %v, want ErrNotEcho", err)
	}
	m, _ := ParseMessage(IPv4, textbookRequest)
	if _, err := m.Quoted(); !errors.Is(err, ErrNotError) {
		t.Errorf("Quoted of echo: %v, want ErrNotError", err)
	}
}
