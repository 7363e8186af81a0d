// The codec's types. The decode report (Report, Field, ChecksumReport, ChecksumTrace, ...)
// is generated from the Go structs of backend/wire (generated.ts, tools/wirets, run by `make
// bindings`); what is kept by hand here is the shape of the JavaScript functions that
// cmd/wirewasm installs, which no Go struct describes.

export type { ChecksumFold, ChecksumReport, ChecksumStep, ChecksumTrace, Field, Report } from './generated';

/** Options passed to the codec's decode(hex, options). */
export interface DecodeOptions {
  /** Label the Echoscope token/timestamp payload fields (only for packets Echoscope sent). */
  echoscopePayload?: boolean;
  /** How to read a bare ICMP message (no IP header): 4 = ICMPv4, 6 = ICMPv6; default guesses. */
  family?: 4 | 6;
  /** IPv6 source/destination of a bare ICMPv6 message, so its checksum can be verified. */
  src?: string;
  dst?: string;
  /** Read the text as base64 instead of hex or a hex dump (a switch, never guessed). */
  base64?: boolean;
  /**
   * The bytes are an ICMP message as written to a socket whose kernel fills the checksum: a
   * checksum of 0 is then "left for the kernel" (ChecksumReport.kernelFilled), not wrong.
   */
  kernelChecksum?: boolean;
}

/**
 * What cmd/wirewasm installs on globalThis.echoscopeWire. Neither function throws on bad
 * input: it comes back as JSON with "error" set.
 */
export interface WireGlobal {
  version: string;
  decode(hex: string, options?: DecodeOptions): string;
  checksumTrace(hex: string): string;
  /** The bytes as hex, a C array (xxd -i) or a hex dump (tshark -x): JSON {text} or {error}. */
  format(hex: string, style: CopyStyle, name?: string): string;
}

/** How a packet is copied: plain hex, a C array, or Wireshark's hex dump form. */
export type CopyStyle = 'hex' | 'c' | 'hexdump';
