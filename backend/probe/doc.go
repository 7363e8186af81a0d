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
// One reader goroutine per socket feeds one loop goroutine that owns all send and match state
// (no locks on it); an errgroup and the context shut both down. The Handler is called on the loop
// goroutine, one event at a time, in order: it must be quick and must not call back into the
// Session. Each Event's byte slices belong to the handler (they are never reused).
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
// See Class for the exact meaning of every class and Stats for how the counts relate. Late
// replies, duplicates and losses are separate counts; loss is never negative. Memory stays
// bounded for endless runs: outstanding requests live in a ring, RTTs feed running aggregates
// and a fixed-size quantile reservoir.
package probe
