package cli

// usageText is -h: iputils' options that echoscope-ping takes, then its own.
const usageText = `Usage
  echoscope-ping [options] <destination>
  echoscope-ping --agent
  echoscope-ping decode [--json] [--trace] HEX|-

Options (as iputils ping):
  <destination>      dns name or ip address
  -a                 use audible ping
  -c <count>         stop after <count> replies
  -D                 print timestamps
  -e <identifier>    define identifier for ping session (raw sockets only)
  -f                 flood ping (root only)
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet (users: at least 0.002)
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want|probe>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte (up to 16 bytes of hex)
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -t <ttl>           define time to live
  -v                 verbose output (also foreign packets, shown to root only)
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response
  -4                 use IPv4
  -6                 use IPv6
  -b                 allow pinging broadcast

Echoscope options:
  --json             one JSON object per event (packet bytes in hex), then a summary
  --socket <kind>    auto, raw or datagram
  --pcap <file>      write every sent and received packet to <file> as pcapng
  --csv <file>       write one row per packet to <file> (the GUI's CSV columns)
  --agent            speak the GUI helper protocol on stdin/stdout

Not supported (refused with a message): -A -B -C -d -F -l -L -m -N -R -S -T.

Markers after a reply: (DUP!) (BAD CHECKSUM!) (DIFFERENT ADDRESS!) as iputils, and
(LATE!) (OUT OF ORDER!) (TRUNCATED!) (CORRUPT: why); -v adds (FOREIGN: why) lines.
Exit status: 0 some reply, 1 no reply, 2 error.
`
