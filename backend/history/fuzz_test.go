package history

import (
	"errors"
	"testing"

	"echoscope/backend/export"
)

// The readers never panic and either succeed or return ErrCapture; whatever they return
// can be extracted and classified without panicking either.
func fuzzCapture(f *testing.F, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCapture(data)
		if err != nil && !errors.Is(err, ErrCapture) {
			t.Fatalf("error without ErrCapture: %v", err)
		}
		if c == nil {
			return
		}
		rows, _ := extractICMP(c)
		out, _ := classifyRows(rows, 1e9)
		var fr export.Framer
		for i := range out {
			fr.Learn(&out[i])
			fr.Frame(&out[i])
		}
	})
}

func FuzzReadPcap(f *testing.F) {
	fuzzCapture(f, fixture(f, "loopback.pcap"))
}

func FuzzReadPcapng(f *testing.F) {
	fuzzCapture(f, fixture(f, "loopback.pcapng"), fixture(f, "any-sll.pcapng"))
}
