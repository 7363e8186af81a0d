// Package probe is Echoscope's ICMP echo engine.
//
// It sends ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) echo requests over whichever socket the
// platform and privilege allow (raw, unprivileged datagram, or the Windows ICMP helper API),
// keeps the bytes of every packet, and classifies every ICMP message it receives.
//
// # Usage
//
//	opts := probe.Options{Target: "127.0.0.1", Count: 5}
//	s, err := probe.NewSession(opts, probe.PolicyForCurrentUser(), func(ev probe.Event) {
//		fmt.Println(ev.Kind, ev.Class, ev.Seq, ev.RTT)
//	})
//	if err != nil { ... }            // invalid options, unresolvable name
//	if err := s.Start(ctx); err != nil { ... } // socket could not be opened (see errors.Is)
//	sum, err := s.Run(ctx)           // blocks until Count/Deadline/ctx; the handler runs meanwhile
//
// # Concurrency model
//
// One goroutine owns all send and match state (the engine: no locks on it), and the Handler
// is called on it, one event at a time, in order: it must be quick and must not call back
// into the Session. Each Event's byte slices belong to the handler (they are never reused).
// How packets reach that owner depends on the session:
//
//   - General path (every session but a flood on Linux): one reader goroutine
//     per socket blocks in Go's poller and hands each message over a channel to the loop
//     goroutine; an errgroup and the context shut both down (loop.go).
//   - Flood on Linux (Options.Flood): the loop goroutine drives the socket itself, as
//     iputils does: sendto, then recvmsg with MSG_DONTWAIT until the socket is
//     empty, then ppoll until a reply or the next deadline (loop_direct.go). The socket is
//     kept out of Go's poller and a cancelled context wakes ppoll through an eventfd. This
//     saves, per packet, the goroutine wake-ups (~3 futex calls), the poller's epoll and the
//     EAGAIN probes of the general path: at 100,000 packets/s those cost more than the
//     socket calls themselves. Where the kernel allows io_uring, the send and the first
//     read go together into one io_uring_enter (uring_linux.go: sendmsg and recvmsg, both
//     MSG_DONTWAIT, so it never blocks), and the read waits for the loop's next
//     TryReceive: one system call per packet where iputils makes two. Without io_uring
//     (an older kernel, io_uring_disabled, a seccomp filter, or ECHOSCOPE_NO_IO_URING=1)
//     it is sendto and recvmsg. The loop runs on a thread of its own whose file table is
//     not shared with the process's other threads (ownfiles_linux.go), so the kernel takes
//     and drops no file reference per socket call, as for single-threaded iputils.
//
// Kernel TX timestamps (the RTT's send time) come from the socket's error queue. The general
// path reads one before each reply (a recvmsg per packet). Flood leaves them queued and
// collects up to 32 with one recvmmsg every 16 packets or so, before any sleep, and before
// statistics are taken (emit.go, errqueue_batch_linux.go); events about a request whose
// stamp is not collected yet are held back, and every event after them too, so the order
// stays and each reply still carries its kernel-tx/kernel-rx RTT. So flood makes one system
// call per packet on loopback (two without io_uring, as iputils), and still measures as
// precisely as the general path. A nil Handler makes events free: no byte copies at all.
//
// A quiet flood (echoscope-ping -f -q) goes further, each step a Session method: events
// without bytes (OmitBytes), send times taken in user space just before sendto as iputils
// does, with no kernel TX timestamps asked for (UserSendTimes: RTTs say "user/kernel-rx"),
// and no events at all but EventStats (StatisticsOnly: every message still classified by
// the same code and counted in the same Stats; RequestStats answers SIGQUIT). In direct
// mode the raw IPv4 BPF filter waits for the first foreign echo reply, as iputils' does.
// What remains per packet is one io_uring_enter (or sendto and recvmsg) and little else;
// docs/benchmarks.md has the figures and what they cost.
//
// # Many targets
//
// A Monitor (monitor.go) pings many targets at once: one engine per target, as above, on
// one raw socket per address family shared by all of them (an identifier each; replies,
// ICMP errors and kernel TX timestamps are handed to the target they belong to), or a
// socket per target where the kernel owns the identifier. Its handler gets each event with
// the target's index; Run returns one Summary per target. With ReadInLoop (the exporter's)
// a monitor with one shared raw socket drives it from its loop in direct mode, as a flood
// does, sleeping in ppoll between sends (monitor_direct.go).
//
// # Matching
//
// Every request carries, when the payload has room (>= 16 bytes), the session token and its send
// time (see docs/wire-json.md). Replies are matched on identifier, sequence and token; where the
// kernel rewrites the identifier (Linux datagram sockets) on sequence and token; with a short
// payload on identifier and sequence alone. Each Event names the rule that matched it (MatchRule).
// ICMP errors are tied to their request through the quoted original header.
//
// # Classification and statistics
//
// See Class for the exact meaning of every class and Stats for how the counts relate.
// ClassifyOffline runs the same classifier over a recording (a capture, or a stored
// session): the requests are taken as recorded instead of being rebuilt from the token and
// send time, and without a token the payload is compared with the recorded request's. Late
// replies, duplicates and losses are separate counts; loss is never negative. Memory stays
// bounded for endless runs: outstanding requests live in a ring, RTTs feed running aggregates
// and a fixed-size quantile reservoir.
package probe
