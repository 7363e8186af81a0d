package cli

// usageText is -h: iputils' options that echoscope-ping takes, then its own.
const usageText = `Usage
  echoscope-ping [options] <destination>
  echoscope-ping [fping options] <destination> <destination>...   (the fping mode)
  echoscope-ping [fping options] -g <cidr> | -g <start> <end>     (echoscope-ping --fping -h)
  echoscope-ping --agent
  echoscope-ping decode [--json] [--trace] HEX|-

Options (as iputils ping):
  <destination>      dns name or ip address (also 127.1, 0x7f000001, IDN names)
  -a                 use audible ping
  -A                 adaptive interval from the RTT (users: at least 0.2 s)
  -b                 allow pinging broadcast
  -B                 sticky source address (the one chosen at the start)
  -c <count>         stop after <count> replies (with -w: keep sending until then)
  -D                 print timestamps
  -e <identifier>    define identifier for ping session (raw sockets only)
  -f                 flood ping (root only)
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet (users: at least 0.002)
  -j                 JSON output in upstream iputils' shape
  -l <preload>       send <preload> packets at once at the start (users: at most 3)
  -m <mark>          tag the packets going out (SO_MARK, root only)
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want|probe>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte (up to 16 bytes of hex)
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -r                 bypass the routing table (SO_DONTROUTE)
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -v                 verbose output (also foreign packets, shown to root only)
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds (stops at the first error)
  -W <timeout>       time to wait for response
  -4                 use IPv4
  -6                 use IPv6
Numbers are decimal, as iputils reads them (010 is ten; 0x10 and 1_0 are refused).

Echoscope options:
  --json[=full]          Echoscope's JSON lines (docs/cli-json.md); =full adds packet hex
  --json-bytes           packet bytes in hex in --json (as --json=full)
  --stats-interval <s>   statistics every <s> seconds (--json objects, else a status line on stderr)
  --socket <kind>        auto, raw or datagram
  --pcap <file>          write every sent and received packet to <file> as pcapng
  --csv <file>           write one row per packet to <file> (the GUI's CSV columns)
  --agent                speak the GUI helper protocol on stdin/stdout

Refused, with the reason: -C -d -F -L -N -R -T (-R and -T need IP options, which
the helper does not set for callers).

Markers after a reply: (DUP!) (BAD CHECKSUM!) (DIFFERENT ADDRESS!) as iputils, and
(LATE!) (OUT OF ORDER!) (TRUNCATED!) (CORRUPT: why); -v adds (FOREIGN: why) lines.
Exit status: 0 some reply, 1 no reply (or a bad number), 2 error.
`
