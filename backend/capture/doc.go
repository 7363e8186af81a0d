// Package capture reads and writes capture files: classic pcap (both byte orders,
// microsecond and nanosecond magic; draft-ietf-opsawg-pcap) and pcapng (Section Header,
// Interface Description, Enhanced and Simple Packet Blocks; draft-ietf-opsawg-pcapng),
// and takes the link-layer header off a frame (LinkPayload) for the link types tcpdump
// and Wireshark write for IP traffic (https://www.tcpdump.org/linktypes.html).
//
// The Reader streams: it holds one record at a time, so a capture of any size is read in
// bounded memory. A capture cut short ends with an error wrapping ErrTruncated that names
// the byte where it was cut; every complete record before it has been returned. The
// Writer writes pcapng one packet at a time.
//
// This package is the one place the block and option codes and the link-type numbers
// live; backend/history (import) and backend/export (export, echoscope-ping --pcap) use it.
package capture
