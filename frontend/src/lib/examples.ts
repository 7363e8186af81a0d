// Example packets for the Decode panel, so a learner sees a full decode at once.
// Built with known fields and RFC 1071 checksums; tshark dissects each one cleanly
// (`text2pcap` then `tshark -V`), and the e2e test checks what the codec says about them.

export interface ExamplePacket {
  id: string;
  label: string;
  /** One sentence on what the packet shows. */
  description: string;
  hex: string;
}

export const examplePackets: readonly ExamplePacket[] = [
  {
    id: 'echo-request',
    label: 'Echo request',
    description:
      'An ICMPv4 echo request as the textbook example sends it: identifier 13, sequence 37, and a 16-byte payload, without the IP header.',
    // type 08, code 00, checksum 92bf, id 000d, seq 0025, "echoscope lesson"
    hex: '080092bf000d00256563686f73636f7065206c6573736f6e',
  },
  {
    id: 'echo-reply-ipv4',
    label: 'Echo reply with IPv4 header',
    description:
      'An echo reply from 127.0.0.1 as a raw socket receives it: the 20-byte IPv4 header (TTL 64, DF set) and then ICMP.',
    // IPv4 45 00 0033 04d2 4000 40 01 37f6 7f000001 7f000001 | ICMP 00 00 cf28 1c2d 0001 "abc…w"
    hex: '4500003304d24000400137f67f0000017f0000010000cf281c2d00016162636465666768696a6b6c6d6e6f7071727374757677',
  },
  {
    id: 'icmpv6-echo',
    label: 'ICMPv6 echo',
    description:
      'An ICMPv6 echo request from ::1 to ::1 with its IPv6 header, so the checksum over the pseudo-header can be verified.',
    // IPv6 60000000 0014 3a 40 ::1 ::1 | ICMPv6 80 00 587c 1c2d 0007 "hello, ipv6!"
    hex: '6000000000143a4000000000000000000000000000000001000000000000000000000000000000018000587c1c2d000768656c6c6f2c206970763621',
  },
  {
    id: 'time-exceeded',
    label: 'Time exceeded',
    description:
      'A router (203.0.113.1) reports that a TTL-1 echo request from 192.0.2.10 died in transit, quoting its IPv4 header and first 8 ICMP bytes.',
    // IPv4 from 203.0.113.1 | ICMP 0b 00 f4ff 00000000 | quoted IPv4 (TTL 1) to 198.51.100.7 | quoted echo 08 00 dbcf 1c2d 0003
    hex: '4500003822220000fe019c96cb007101c000020a0b00f4ff000000004500003c1111400001017c6bc000020ac63364070800dbcf1c2d0003',
  },
];
