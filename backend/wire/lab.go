package wire

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// The Packet Lab builds one ICMP echo request field by field (or takes its bytes as typed)
// and explains its checksum both ways: as RFC 1071 computes it and as the classic textbook
// example did (ClassicExampleChecksum). Everything here runs in the page through
// cmd/wirewasm on every keystroke, so it only builds and explains; it never sends.

// Checksum modes of a LabSpec.
const (
	// LabChecksumCorrect fills the RFC 1071 checksum (for ICMPv6 over the pseudo-header of
	// Src and Dst).
	LabChecksumCorrect = "correct"
	// LabChecksumKeep writes LabSpec.Checksum as given, right or wrong.
	LabChecksumKeep = "keep"
	// LabChecksumClassic fills what ClassicExampleChecksum computes.
	LabChecksumClassic = "classic"
)

// Payload kinds of a LabSpec.
const (
	LabPayloadText    = "text"    // Payload is UTF-8 text, written as its bytes
	LabPayloadHex     = "hex"     // Payload is hex digits (ParseHex rules; empty is no payload)
	LabPayloadPattern = "pattern" // Payload is hex digits repeated to Size bytes, as ping -p
)

// ErrLabSpec: a LabSpec the Lab cannot build (bad mode, payload, size or address).
var ErrLabSpec = errors.New("wire: lab packet")

// LabMaxPayload is the largest echo payload a packet of the family can carry: an IPv4
// datagram is at most 65535 bytes with a 20-byte header, an IPv6 payload at most 65535.
func LabMaxPayload(f Family) int {
	if f == IPv6 {
		return 65535 - EchoHeaderLen
	}
	return 65535 - IPv4HeaderLen - EchoHeaderLen
}

// LabSpec describes an echo request (or any 8-byte-header ICMP message) field by field.
type LabSpec struct {
	Family      Family `json:"family"` // 4 or 6
	Type        uint8  `json:"type"`
	Code        uint8  `json:"code"`
	ID          uint16 `json:"id"`
	Seq         uint16 `json:"seq"`
	PayloadKind string `json:"payloadKind"`
	Payload     string `json:"payload"`
	Size        int    `json:"size"`     // payload bytes for LabPayloadPattern
	Mode        string `json:"mode"`     // LabChecksum*
	Checksum    uint16 `json:"checksum"` // written as is with LabChecksumKeep
	// Src and Dst are the ICMPv6 pseudo-header's addresses (RFC 8200 section 8.1).
	Src netip.Addr `json:"src"`
	Dst netip.Addr `json:"dst"`
}

// LabPayload returns the payload bytes a spec asks for.
func LabPayload(s LabSpec) ([]byte, error) {
	var p []byte
	switch s.PayloadKind {
	case LabPayloadText, "":
		p = []byte(s.Payload)
	case LabPayloadHex:
		if strings.TrimSpace(s.Payload) == "" {
			return []byte{}, nil
		}
		b, err := ParseHex(s.Payload)
		if err != nil {
			return nil, fmt.Errorf("payload hex: %w", err)
		}
		p = b
	case LabPayloadPattern:
		if s.Size < 0 {
			return nil, fmt.Errorf("payload size %d is negative: %w", s.Size, ErrLabSpec)
		}
		if s.Size == 0 || s.Size > LabMaxPayload(s.Family) {
			p = []byte{}
			break // an empty payload needs no pattern; too large is reported below
		}
		pat, err := ParseHex(s.Payload)
		if err != nil {
			return nil, fmt.Errorf("payload pattern: %w", err)
		}
		p = make([]byte, s.Size)
		for i := range p {
			p[i] = pat[i%len(pat)]
		}
	default:
		return nil, fmt.Errorf("payload kind %q: want text, hex or pattern: %w", s.PayloadKind, ErrLabSpec)
	}
	size := len(p)
	if s.PayloadKind == LabPayloadPattern {
		size = s.Size
	}
	if max := LabMaxPayload(s.Family); size > max {
		return nil, fmt.Errorf("payload of %d bytes: an %s echo carries at most %d: %w", size, s.Family.ICMPName(), max, ErrLabSpec)
	}
	return p, nil
}

// BuildLab builds the message a spec describes, its checksum filled as the mode says.
func BuildLab(s LabSpec) ([]byte, error) {
	if !s.Family.valid() {
		return nil, fmt.Errorf("lab: %w", ErrBadFamily)
	}
	payload, err := LabPayload(s)
	if err != nil {
		return nil, err
	}
	msg := make([]byte, EchoHeaderLen, EchoHeaderLen+len(payload))
	msg[0], msg[1] = s.Type, s.Code
	binary.BigEndian.PutUint16(msg[4:6], s.ID)
	binary.BigEndian.PutUint16(msg[6:8], s.Seq)
	msg = append(msg, payload...)
	var c uint16
	switch s.Mode {
	case LabChecksumCorrect, "":
		if s.Family == IPv6 {
			ph, err := labPseudoHeader(s.Src, s.Dst)
			if err != nil {
				return nil, err
			}
			c = ^Fold(Sum(ph.Sum(len(msg)), msg))
		} else {
			c = Checksum(msg)
		}
	case LabChecksumKeep:
		c = s.Checksum
	case LabChecksumClassic:
		c = ClassicExampleChecksum(msg)
	default:
		return nil, fmt.Errorf("checksum mode %q: want correct, keep or classic: %w", s.Mode, ErrLabSpec)
	}
	binary.BigEndian.PutUint16(msg[2:4], c)
	return msg, nil
}

func labPseudoHeader(src, dst netip.Addr) (*PseudoHeader, error) {
	if !src.Is6() || !dst.Is6() {
		return nil, fmt.Errorf("an ICMPv6 checksum covers the source and destination IPv6 addresses; give both (%v, %v): %w", src, dst, ErrBadAddress)
	}
	return &PseudoHeader{Src: src, Dst: dst}, nil
}

// LabFields are the header fields read back from the bytes, so a form edited as hex shows
// what the bytes now say.
type LabFields struct {
	Type        uint8  `json:"type"`
	Code        uint8  `json:"code"`
	Checksum    uint16 `json:"checksum"`
	ID          uint16 `json:"id"`
	Seq         uint16 `json:"seq"`
	PayloadHex  string `json:"payloadHex"`
	PayloadText string `json:"payloadText"` // "" when the payload is not valid UTF-8 text
}

// LabAnalysis is everything the Lab shows for one message.
type LabAnalysis struct {
	Hex    string `json:"hex"`
	Length int    `json:"length"`
	// Report is Decode's view of the bare message (field table, RFC 1071 walkthrough with
	// the checksum field taken as 0, verdict).
	Report Report     `json:"report"`
	Fields *LabFields `json:"fields"` // nil when shorter than an echo header
	// Carried is the checksum the bytes hold; Correct the RFC 1071 value (Verifiable false
	// for ICMPv6 without addresses); Classic the classic example's value.
	Carried    uint16       `json:"carried"`
	Correct    uint16       `json:"correct"`
	Verifiable bool         `json:"verifiable"`
	Classic    uint16       `json:"classic"`
	ClassicRun ClassicTrace `json:"classicTrace"`
	// Verdict: "correct", "classic" (the classic example's wrong value), "wrong", or
	// "unverifiable".
	Verdict string `json:"verdict"`
	// OddLength: RFC 1071 pads the last byte with a zero byte on the right.
	OddLength bool `json:"oddLength"`
	// Sendable is "" when the helper would send this message, else why it would not.
	Sendable string `json:"sendable"`
}

// AnalyzeLab explains the ICMP message msg (no IP header) of family f; src and dst are the
// IPv6 pseudo-header addresses (ignored for IPv4).
func AnalyzeLab(f Family, msg []byte, src, dst netip.Addr) LabAnalysis {
	a := LabAnalysis{Hex: hex.EncodeToString(msg), Length: len(msg), OddLength: len(msg)%2 == 1}
	opts := Options{Family: f}
	if f == IPv6 {
		opts.Src, opts.Dst = src, dst
	}
	a.Report = Decode(msg, opts)
	zeroed := append([]byte(nil), msg...)
	if len(zeroed) >= ICMPHeaderLen {
		a.Carried = binary.BigEndian.Uint16(msg[2:4])
		zeroed[2], zeroed[3] = 0, 0
	}
	a.Classic = ClassicExampleChecksum(zeroed)
	a.ClassicRun = TraceClassicExampleChecksum(zeroed)
	for _, c := range a.Report.Checksums {
		if c.IsICMPMessageChecksum() && c.Verifiable {
			a.Correct, a.Verifiable = c.Computed, true
		}
	}
	switch {
	case !a.Verifiable:
		a.Verdict = "unverifiable"
	case a.Carried == a.Correct:
		a.Verdict = "correct"
	case a.Carried == a.Classic:
		a.Verdict = "classic"
	default:
		a.Verdict = "wrong"
	}
	if len(msg) >= EchoHeaderLen {
		p := msg[EchoHeaderLen:]
		a.Fields = &LabFields{
			Type: msg[0], Code: msg[1], Checksum: a.Carried,
			ID: binary.BigEndian.Uint16(msg[4:6]), Seq: binary.BigEndian.Uint16(msg[6:8]),
			PayloadHex: hex.EncodeToString(p),
		}
		if utf8.Valid(p) {
			a.Fields.PayloadText = string(p)
		}
	}
	if err := CraftedEchoAllowed(f, msg); err != nil {
		a.Sendable = err.Error()
	}
	return a
}

// ErrCraftRefused: a crafted message the helper will not send.
var ErrCraftRefused = errors.New("wire: crafted packet refused")

// CraftedEchoAllowed says whether the helper may send msg as a crafted packet: only an
// echo request (ICMPv4 type 8, ICMPv6 type 128) with a full header and a payload no
// larger than the family allows; the checksum, identifier, sequence, code and payload may
// be anything. Every other message is refused in words.
func CraftedEchoAllowed(f Family, msg []byte) error {
	if !f.valid() {
		return fmt.Errorf("crafted packet: %w", ErrBadFamily)
	}
	if len(msg) < EchoHeaderLen {
		return fmt.Errorf("only echo requests can be sent: %d bytes is shorter than the %d-byte echo header: %w", len(msg), EchoHeaderLen, ErrCraftRefused)
	}
	if want := EchoRequestType(f); msg[0] != want {
		return fmt.Errorf("only echo requests can be sent: type %d (%s) is not %s echo request (type %d): %w",
			msg[0], TypeName(f, msg[0]), f.ICMPName(), want, ErrCraftRefused)
	}
	if n := len(msg) - EchoHeaderLen; n > LabMaxPayload(f) {
		return fmt.Errorf("payload of %d bytes: an %s echo carries at most %d: %w", n, f.ICMPName(), LabMaxPayload(f), ErrCraftRefused)
	}
	return nil
}
