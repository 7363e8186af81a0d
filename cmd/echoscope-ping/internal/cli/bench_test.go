package cli

import (
	"context"
	"io"
	"testing"

	"echoscope/backend/probe"
)

// BenchmarkFloodLoopback is `echoscope-ping -f -q -c N 127.0.0.1` without the process: the
// engine in flood mode plus this package's printer. One op is one request answered. Needs
// root (flood policy and raw sockets); `go test -cpuprofile` on it shows where flood time goes.
func BenchmarkFloodLoopback(b *testing.B) {
	if !callerPolicy().AllowFlood || probe.DetectCapabilities().Best != probe.SocketRaw {
		b.Skip("flood needs root and raw sockets")
	}
	cfg, err := parseArgs([]string{"-f", "-q", "127.0.0.1"})
	if err != nil {
		b.Fatal(err)
	}
	cfg.opts.Count = b.N
	printer := newTextPrinter(io.Discard, &cfg, lo4, nil)
	s, err := probe.NewSession(cfg.opts, callerPolicy(), printer.Event)
	if err != nil {
		b.Fatal(err)
	}
	s.OmitBytes() // as runPing does for -f -q
	defer prepareQuietFlood(s)()
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := s.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if sum.Received != uint64(b.N) {
		b.Logf("%d of %d received", sum.Received, b.N)
	}
}
