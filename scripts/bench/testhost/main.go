//go:build linux

// Command testhost keeps one Echoscope test host (a network namespace pair joined by a veth,
// kernel echo on) alive for the benchmark script: it builds the host, prints it as one JSON
// line on stdout, and removes it when it receives SIGINT or SIGTERM or its parent dies.
// The host must be owned by a live process: testnet sweeps hosts whose owner died.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"echoscope/backend/testnet"
)

func main() {
	// A client namespace of its own keeps the pinging side off the host's routing table, and
	// both tools run in it the same way (ip netns exec).
	h, err := testnet.New(testnet.Config{ClientNamespace: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "testhost:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(h); err != nil {
		fmt.Fprintln(os.Stderr, "testhost:", err)
	}
	done := make(chan struct{}, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-sig; done <- struct{}{} }()
	// A background job's stdin is /dev/null, so the parent's death is watched instead.
	parent := os.Getppid()
	go func() {
		for os.Getppid() == parent {
			time.Sleep(time.Second)
		}
		done <- struct{}{}
	}()
	<-done
	if err := h.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "testhost: close:", err)
		os.Exit(1)
	}
}
