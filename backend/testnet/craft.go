//go:build linux

package testnet

import (
	"net/netip"

	"echoscope/backend/wire"
)

// request is one echo request as the responder saw it.
type request struct {
	fam      wire.Family
	client   netip.Addr // who asked (the reply's destination)
	addr     netip.Addr // which of our addresses it was sent to
	id, seq  uint16
	data     []byte
	original []byte // the request's IP datagram (IPv6: header rebuilt), for quoting in errors
	n        uint64 // arrival number, per family, from 1
}

// echoReply builds the ICMP echo reply for req with the given fields (checksum correct).
func echoReply(req *request, src netip.Addr, id, seq uint16, data []byte) []byte {
	var ph *wire.PseudoHeader
	if req.fam == wire.IPv6 {
		ph = &wire.PseudoHeader{Src: src, Dst: req.client}
	}
	return wire.AppendEcho(nil, req.fam, wire.EchoReplyType(req.fam), wire.Echo{ID: id, Seq: seq, Data: data}, ph)
}

// icmpError builds an ICMP error of type/code quoting req's datagram, as a router would
// (as much of the original as fits in a minimum-MTU error: 576 bytes IPv4, 1280 IPv6).
func icmpError(req *request, src netip.Addr, typ, code uint8) []byte {
	limit := 576 - wire.IPv4HeaderLen - 8
	var ph *wire.PseudoHeader
	if req.fam == wire.IPv6 {
		limit = 1280 - wire.IPv6HeaderLen - 8
		ph = &wire.PseudoHeader{Src: src, Dst: req.client}
	}
	quote := req.original[:min(len(req.original), limit)]
	m := &wire.Message{Family: req.fam, Type: typ, Code: code}
	switch {
	case req.fam == wire.IPv4 && typ == wire.ICMPv4TimeExceeded, req.fam == wire.IPv6 && typ == wire.ICMPv6TimeExceeded:
		m.Body = &wire.TimeExceeded{Data: quote}
	default:
		m.Body = &wire.DstUnreach{Data: quote}
	}
	b, err := m.Marshal(ph)
	if err != nil {
		return nil // only with addresses of the wrong family, which the responder never has
	}
	return b
}

// datagram wraps an ICMP message in an IP header from src to dst (for IP_HDRINCL sockets).
func datagram(fam wire.Family, src, dst netip.Addr, icmp []byte) []byte {
	if fam == wire.IPv6 {
		b, err := wire.AppendIPv6Header(make([]byte, 0, wire.IPv6HeaderLen+len(icmp)), wire.IPv6Header{
			PayloadLength: uint16(len(icmp)), NextHeader: wire.ProtocolICMPv6, HopLimit: 64, Src: src, Dst: dst,
		})
		if err != nil {
			return nil
		}
		return append(b, icmp...)
	}
	b, err := wire.AppendIPv4Header(make([]byte, 0, wire.IPv4HeaderLen+len(icmp)), wire.IPv4Header{
		TotalLength: uint16(wire.IPv4HeaderLen + len(icmp)), TTL: 64, Protocol: wire.ProtocolICMP,
		Src: src, Dst: dst,
	})
	if err != nil {
		return nil
	}
	return append(b, icmp...)
}
