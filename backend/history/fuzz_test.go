package history

import (
	"errors"
	"testing"

	"echoscope/backend/export"
)

// The import never panics on any file: it either classifies it or fails with ErrCapture
// or ErrNoICMP; whatever it returns can be framed for export without panicking either.
func fuzzCapture(f *testing.F, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, out, _, _, err := ClassifyCapture(data, ImportOptions{Timeout: 1e9})
		if err != nil && !errors.Is(err, ErrCapture) && !errors.Is(err, ErrNoICMP) {
			t.Fatalf("error without ErrCapture or ErrNoICMP: %v", err)
		}
		var fr export.Framer
		for i := range out {
			fr.Learn(&out[i])
			fr.Frame(&out[i])
		}
	})
}

func FuzzImportPcap(f *testing.F) {
	fuzzCapture(f, fixture(f, "loopback.pcap"))
}

func FuzzImportPcapng(f *testing.F) {
	fuzzCapture(f, fixture(f, "loopback.pcapng"), fixture(f, "any-sll.pcapng"))
}
