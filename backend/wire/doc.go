// Package wire builds and parses the bytes Echoscope sends and receives: the RFC 1071
// Internet checksum (fast, plus a step-by-step trace for teaching), ICMPv4 and ICMPv6
// messages, IPv4 and IPv6 headers, and a decoder that turns any such packet into a
// Report: an ordered map of every field with its meaning, for hex dumps and inspectors.
//
// The package does no I/O, never panics on input and never logs. Parsing functions check
// lengths before every read and return the named errors of errors.go; payload slices in
// parsed values alias the input (no copies). The Append... builders write into a caller's
// buffer so the ping engine can build packets without allocating.
//
// Map of the API:
//   - Engine hot path: AppendEcho (build into a reused buffer, checksum filled; ICMPv6
//     with a PseudoHeader, or left zero for the kernel), ParseEcho (no allocation),
//     SplitIPv4 (IPv4 header + payload of a raw-socket read), VerifyChecksum.
//   - Errors tied to requests: ParseMessage, then Message.Quoted and QuotedDatagram.Echo
//     give the quoted identifier and sequence.
//   - Checksums: Checksum, Sum/Fold for multi-part sums, TraceChecksum for teaching.
//   - Inspection: Decode(bytes, Options) Report, the JSON contract of docs/wire-json.md,
//     used by `echoscope-ping decode`, cmd/wirewasm and the GUI; ParseHex reads pasted hex.
//
// Standards implemented:
//   - RFC 791: Internet Protocol (IPv4 header, options EOL/NOP/RR/Timestamp, fragmentation flags).
//   - RFC 792: Internet Control Message Protocol (echo, destination unreachable, time
//     exceeded, parameter problem, redirect, timestamp).
//   - RFC 1071: Computing the Internet Checksum (and RFC 1624 for why 0x0000/0xffff both
//     denote zero in one's complement arithmetic).
//   - RFC 1122 section 3.2.2 and RFC 1812 section 4.3.2.3: an ICMP error quotes the IP header
//     and at least the first 8 bytes of the original datagram (routers may quote more),
//     which is how an error is tied back to the echo request that caused it.
//   - RFC 1191: the Next-Hop MTU in "Fragmentation Needed" (type 3 code 4).
//   - RFC 2474 and RFC 3168: the DSCP and ECN fields of the former Type of Service byte.
//   - RFC 4443: ICMPv6 (echo, destination unreachable, packet too big, time exceeded,
//     parameter problem).
//   - RFC 8200: IPv6 header, extension header chain (hop-by-hop, routing, fragment,
//     destination options) and the upper-layer pseudo-header of section 8.1 that the
//     ICMPv6 checksum covers.
//   - RFC 4884: the "length" field of multi-part ICMP messages that separates the quoted
//     datagram from an extension structure.
//   - RFC 4861: names of the Neighbor Discovery messages (router/neighbor solicitation and
//     advertisement, redirect).
package wire
