//go:build linux

// Command floodcalls measures what one flood round trip costs with each way of making its two
// socket calls (sendto of the request, recvmsg of the reply), on one raw IPv4 socket, in one
// process: the variants take turns in blocks of 256 packets (a rotation, so each follows
// every other), and each variant's figure is the first quartile and the median of its
// packets' times. A whole flood per variant (scripts/bench.sh flood) swings by 5 to 10 %
// between runs on a busy machine; interleaved blocks of packets in one process see the same
// neighbours, so differences of 1 % show (docs/benchmarks.md, "The flood: the socket calls
// measured one by one"). Run it as root inside the client namespace of a test host:
//
//	ip netns exec NS taskset -c 1 floodcalls -target PEER [-blocks 400]
package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// variant is one way of making the two calls.
type variant struct {
	name      string
	source    bool // recvmsg asks for the source address
	timestamp bool // SO_TIMESTAMPNS on, a control buffer given
	cooked    bool // syscall.Syscall6 (the scheduler is told) instead of RawSyscall6
	extraNow  bool // one time.Now more per packet
	// ownFiles: the block runs on a thread locked to its goroutine that has its own copy of
	// the file table (unshare CLONE_FILES), as the flood's loop in backend/probe does.
	ownFiles bool
	times    []time.Duration
}

const (
	block      = 256
	identifier = 0x4553
	maxSpins   = 200000 // reads of an empty socket before a request counts as lost
)

func main() {
	target := flag.String("target", "", "IPv4 address of a host that answers echo requests (required)")
	blocks := flag.Int("blocks", 400, "blocks of 256 packets, shared out among the variants")
	flag.Parse()
	dst, err := netip.ParseAddr(*target)
	if err != nil || !dst.Is4() {
		fmt.Fprintln(os.Stderr, "floodcalls: -target must be an IPv4 address")
		os.Exit(2)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floodcalls: raw socket:", err)
		os.Exit(1)
	}
	// Echo replies only, as both tools' ICMP_FILTER (a set bit blocks its type).
	blocked := ^uint32(1)
	if err := unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, int(int32(blocked))); err != nil {
		fmt.Fprintln(os.Stderr, "floodcalls: ICMP_FILTER:", err)
		os.Exit(1)
	}
	vs := []*variant{
		{name: "source address + timestamp (before)", source: true, timestamp: true},
		{name: "no source address, timestamp (after)", timestamp: true},
		{name: "no source address, no timestamp"},
		{name: "before, with syscall.Syscall6", source: true, timestamp: true, cooked: true},
		{name: "before, one time.Now more", source: true, timestamp: true, extraNow: true},
		{name: "after, on a thread with its own file table", timestamp: true, ownFiles: true},
	}
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: dst.As4()}
	msg := make([]byte, 64) // an echo request with 56 bytes of payload, as ping's default
	buf, oob := make([]byte, 65536+64), make([]byte, 512)
	var rsa unix.RawSockaddrAny
	var seq uint16
	var sink int64
	lost := 0
	own := ownFilesThread()
	for b := range *blocks {
		v := vs[(b+b/len(vs))%len(vs)]
		on := 0
		if v.timestamp {
			on = 1
		}
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, on); err != nil {
			fmt.Fprintln(os.Stderr, "floodcalls: SO_TIMESTAMPNS:", err)
			os.Exit(1)
		}
		call := rawCall
		if v.cooked {
			call = cookedCall
		}
		run := func() {
			for range block {
				seq++
				echoRequest(msg, seq)
				start := time.Now()
				if v.extraNow {
					sink += time.Now().UnixNano()
				}
				if e := call(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&msg[0])), uintptr(len(msg)),
					unix.MSG_DONTWAIT, uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa)); e != 0 {
					fmt.Fprintln(os.Stderr, "floodcalls: sendto:", unix.Errno(e))
					os.Exit(1)
				}
				if !awaitReply(fd, v, call, buf, oob, &rsa, seq) {
					lost++
					continue
				}
				v.times = append(v.times, time.Since(start))
			}
		}
		if v.ownFiles {
			own <- run
			<-own
		} else {
			run()
		}
	}
	_ = sink
	base := quantile(vs[0].times, 4)
	for _, v := range vs {
		q1 := quantile(v.times, 4)
		fmt.Printf("%-44s %6d packets  p25 %6d ns  p50 %6d ns  p25 against the first %+.1f %%\n",
			v.name, len(v.times), q1.Nanoseconds(), quantile(v.times, 2).Nanoseconds(), 100*(float64(q1)/float64(base)-1))
	}
	if lost > 0 {
		fmt.Printf("%d requests without a reply (left out)\n", lost)
	}
}

// awaitReply reads until the reply to seq is there, as a flood's non-blocking reads do.
func awaitReply(fd int, v *variant, call func(trap, a1, a2, a3, a4, a5, a6 uintptr) uintptr,
	buf, oob []byte, rsa *unix.RawSockaddrAny, seq uint16) bool {
	for range maxSpins {
		iov := unix.Iovec{Base: &buf[0]}
		iov.SetLen(len(buf))
		m := unix.Msghdr{Iov: &iov, Iovlen: 1}
		if v.source {
			m.Name, m.Namelen = (*byte)(unsafe.Pointer(rsa)), uint32(unsafe.Sizeof(*rsa))
		}
		if v.timestamp {
			m.Control = &oob[0]
			m.SetControllen(len(oob))
		}
		e := call(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&m)), unix.MSG_DONTWAIT, 0, 0, 0)
		if e == uintptr(unix.EAGAIN) {
			continue
		}
		if e != 0 {
			fmt.Fprintln(os.Stderr, "floodcalls: recvmsg:", unix.Errno(e))
			os.Exit(1)
		}
		// IPv4 header (20 bytes, no options from a kernel echo), then the echo reply.
		r := buf[20:]
		if r[0] == 0 && uint16(r[4])<<8|uint16(r[5]) == identifier && uint16(r[6])<<8|uint16(r[7]) == seq {
			return true
		}
	}
	return false
}

// ownFilesThread starts the goroutine that runs the ownFiles blocks: locked to its thread,
// which then unshares its file table (the socket, open before, is in both copies), so the
// kernel's fdget takes its light path there (no reference taken and dropped per call, which
// a shared table needs). A block is sent on the channel, and the same channel hands the turn
// back. The thread is never unlocked: it ends with the process.
func ownFilesThread() chan func() {
	c := make(chan func())
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		started <- unix.Unshare(unix.CLONE_FILES)
		for f := range c {
			f()
			c <- nil
		}
	}()
	if err := <-started; err != nil {
		fmt.Fprintln(os.Stderr, "floodcalls: unshare(CLONE_FILES):", err)
		os.Exit(1)
	}
	return c
}

func rawCall(trap, a1, a2, a3, a4, a5, a6 uintptr) uintptr {
	_, _, e := unix.RawSyscall6(trap, a1, a2, a3, a4, a5, a6)
	return uintptr(e)
}

func cookedCall(trap, a1, a2, a3, a4, a5, a6 uintptr) uintptr {
	_, _, e := syscall.Syscall6(trap, a1, a2, a3, a4, a5, a6)
	return uintptr(e)
}

// echoRequest writes an echo request with sequence seq and its checksum into msg.
func echoRequest(msg []byte, seq uint16) {
	msg[0], msg[1], msg[2], msg[3] = 8, 0, 0, 0
	msg[4], msg[5] = identifier>>8, identifier&0xff
	msg[6], msg[7] = byte(seq>>8), byte(seq)
	var s uint32
	for i := 0; i+1 < len(msg); i += 2 {
		s += uint32(msg[i])<<8 | uint32(msg[i+1])
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	sum := ^uint16(s)
	msg[2], msg[3] = byte(sum>>8), byte(sum)
}

// quantile is the value 1/div of the sorted times are at most (div 4: first quartile).
func quantile(ds []time.Duration, div int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/div]
}
