//go:build linux

// Command echoscope-testhost creates a namespaced test host for benchmarks and end-to-end
// tests, prints its addresses as one JSON object on stdout, runs until SIGINT or SIGTERM,
// then removes everything it made. Root only.
//
//	echoscope-testhost                         # the kernel answers pings (a plain host)
//	echoscope-testhost -fault drop -every 2    # the chaos responder drops every 2nd request
//	echoscope-testhost -fault delay -delay 50ms
//	echoscope-testhost -client-ns              # the pinging side in its own namespace too,
//	                                           # with datagram sockets allowed there
//	echoscope-testhost -sweep                  # remove hosts left by crashed runs, exit
//	echoscope-testhost -chain                  # a path of 3 routers (the 2nd rate-limiting its
//	                                           # ICMP errors) to a destination, its client end
//	                                           # here: prints {"target", "hops", "targetV6", "hopsV6"}
//
// The JSON object is the testnet.Host (namespace, interfaces, localV4/peerV4/peerAltV4,
// localV6/peerV6/peerAltV6) plus "responder": the chaos configuration, or null for kernel
// echo. Ping peerV4 / peerV6 from this namespace (or, with -client-ns, from inside
// clientNamespace: `ip netns exec NAME ...`).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"echoscope/backend/testnet"
)

func main() {
	os.Exit(run())
}

func run() int {
	fault := flag.String("fault", "", fmt.Sprintf("answer with the chaos responder and this fault %v; empty: the kernel answers", testnet.Faults()))
	every := flag.Int("every", 0, "spoil every Nth request only (0 or 1: all)")
	delay := flag.Duration("delay", 100*time.Millisecond, "delay for -fault delay")
	copies := flag.Int("copies", 1, "extra replies for -fault duplicate")
	flood := flag.Int("flood", 10, "foreign replies per request for -fault foreign-flood")
	clientNS := flag.Bool("client-ns", false, "put the local end in a namespace of its own, with ping_group_range open")
	sweep := flag.Bool("sweep", false, "remove test hosts left by runs that died, then exit")
	chain := flag.Bool("chain", false, "build a chain of 3 routers (router 2 rate-limits its ICMP errors) with its client end here")
	flag.Parse()

	if *sweep {
		if err := testnet.Sweep(); err != nil {
			fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
			return 1
		}
		return 0
	}
	var chaos *testnet.Chaos
	if *fault != "" {
		f, err := testnet.ParseFault(*fault)
		if err != nil {
			fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
			return 2
		}
		chaos = &testnet.Chaos{Fault: f, Every: *every, Delay: *delay, Copies: *copies, Flood: *flood}
	}

	// Signals are caught before anything is built, so an early Ctrl-C still cleans up.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if *chain {
		return runChain(sigs)
	}

	h, err := testnet.New(testnet.Config{ClientNamespace: *clientNS, OpenPingGroup: *clientNS, SilenceKernel: chaos != nil})
	if err != nil {
		fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
		return 1
	}
	defer h.Close()
	if chaos != nil {
		r, err := testnet.StartResponder(h, *chaos)
		if err != nil {
			fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
			return 1
		}
		defer r.Close()
	}
	out := struct {
		*testnet.Host
		Responder *testnet.Chaos `json:"responder"`
	}{h, chaos}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
		return 1
	}
	<-sigs
	return 0
}

// runChain builds a chain for a traceroute with the client end here, prints its addresses and
// waits for a signal to remove it.
func runChain(sigs <-chan os.Signal) int {
	c, err := testnet.NewChain(testnet.ChainConfig{Routers: 3, RateLimited: 2, ClientHere: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
		return 1
	}
	defer c.Close()
	out := struct {
		Target   string   `json:"target"`
		Hops     []string `json:"hops"`
		TargetV6 string   `json:"targetV6"`
		HopsV6   []string `json:"hopsV6"`
		Burst    int      `json:"rateLimitBurst"`
	}{Target: c.TargetV4().String(), TargetV6: c.TargetV6().String(), Burst: testnet.ChainRateLimitBurst}
	for _, a := range c.HopsV4() {
		out.Hops = append(out.Hops, a.String())
	}
	for _, a := range c.HopsV6() {
		out.HopsV6 = append(out.HopsV6, a.String())
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "echoscope-testhost:", err)
		return 1
	}
	<-sigs
	return 0
}
