//go:build linux

package probe

import (
	"context"
	"os"
	"testing"
)

// BenchmarkFloodLoopback: one flood-mode round trip over a raw socket to 127.0.0.1 per
// iteration, kernel included (root only). Compare with `ping -f -q -c N 127.0.0.1`.
func BenchmarkFloodLoopback(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root")
	}
	for _, target := range []string{"127.0.0.1", "::1"} {
		b.Run(target, func(b *testing.B) {
			s, err := NewSession(Options{Target: target, Socket: SocketRaw, Count: b.N, Flood: true}, RootPolicy(), nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			sum, err := s.Run(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if sum.Received+sum.Lost != uint64(b.N) {
				b.Fatalf("stats %+v", sum.Stats)
			}
		})
	}
}
