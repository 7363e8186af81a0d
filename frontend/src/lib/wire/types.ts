// The decode report, mirrored from docs/wire-json.md (the Go structs in backend/wire are the
// source of truth). Change both together: the frontend only renders what the Go codec says.

export interface Report {
  /** One line, e.g. "IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Request id=0x1c2d seq=1, 64 bytes". */
  summary: string;
  /** Bytes decoded. */
  length: number;
  /** The bytes, lowercase hex, no spaces. */
  hex: string;
  /**
   * Outermost first: ["IPv4", "ICMPv4", "Echoscope payload"]; error messages may add
   * "Quoted IPv4", "Quoted UDP", "Quoted Data" and "ICMP Extensions" (RFC 4884 objects decoded
   * field by field: MPLS label stacks, interface information; docs/wire-json.md).
   */
  layers: string[];
  /** In byte order within each layer, layers outermost first. */
  fields: Field[];
  /** Every checksum the packet carries (IPv4 header, ICMP). */
  checksums: ChecksumReport[];
  /** Non-fatal problems, e.g. "truncated: IPv4 total length 84 but 60 bytes present". */
  warnings: string[];
  /** Set when nothing could be decoded (then fields may be empty). */
  error?: string;
}

/**
 * Fields with depth 0 tile the packet in byte order; deeper fields refine the depth-0 field
 * before them (the bits of Flags, the options inside Options).
 */
export interface Field {
  layer: string;
  name: string;
  /** Byte offset of the first byte of the field in Report.hex. */
  offset: number;
  /** Bytes the field touches (>= 1). */
  length: number;
  /** For sub-byte fields: first bit within the first byte, 0 = most significant. */
  bitOffset?: number;
  /** For sub-byte fields: length in bits. */
  bitLength?: number;
  /** Raw value: "0x45", "64", "0x1c2d", hex for byte runs. */
  value: string;
  /** Human meaning: "Echo Request", "TTL 64", "checksum 0x1c2d (correct)". */
  meaning: string;
  /** Nesting for the tree (0 = layer top level). */
  depth?: number;
}

export interface ChecksumReport {
  layer: string;
  /** Offset of the checksum field in Report.hex. */
  fieldOffset: number;
  /** First byte covered. */
  start: number;
  /** One past the last byte covered. */
  end: number;
  /** ICMPv6: the IPv6 pseudo-header is part of the sum. */
  pseudoHeader: boolean;
  received: number;
  /** Computed with the checksum field taken as zero. */
  computed: number;
  correct: boolean;
  /** False when it cannot be checked (ICMPv6 without addresses). */
  verifiable: boolean;
  trace: ChecksumTrace;
}

export interface ChecksumStep {
  /** The word's place in Report.hex, or -1 for pseudo-header parts not in the packet. */
  offset: number;
  word: number;
  /** 32-bit running sum after adding word. */
  sum: number;
  note?: string;
}

export interface ChecksumFold {
  before: number;
  carry: number;
  after: number;
}

export interface ChecksumTrace {
  steps: ChecksumStep[];
  folds: ChecksumFold[];
  /** 16-bit one's complement sum after folding. */
  sum: number;
  /** ^sum & 0xffff: the checksum. */
  result: number;
}

/** Options passed to the codec's decode(hex, options). */
export interface DecodeOptions {
  /** Label the Echoscope token/timestamp payload fields (only for packets Echoscope sent). */
  echoscopePayload?: boolean;
  /** How to read a bare ICMP message (no IP header): 4 = ICMPv4, 6 = ICMPv6; default guesses. */
  family?: 4 | 6;
  /** IPv6 source/destination of a bare ICMPv6 message, so its checksum can be verified. */
  src?: string;
  dst?: string;
}

/**
 * What cmd/wirewasm installs on globalThis.echoscopeWire. Neither function throws on bad
 * input: it comes back as JSON with "error" set.
 */
export interface WireGlobal {
  version: string;
  decode(hex: string, options?: DecodeOptions): string;
  checksumTrace(hex: string): string;
}
