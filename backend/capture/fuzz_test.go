package capture

import (
	"errors"
	"testing"

	"echoscope/backend/capture/capturetest"
)

// The reader never panics and fails only with ErrBadFile (or a read error, which a memory
// reader cannot have); every frame it returns can be taken apart by LinkPayload.
func fuzzReader(f *testing.F, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, frames, err := readAll(data)
		if err != nil && !errors.Is(err, ErrBadFile) {
			t.Fatalf("error without ErrBadFile: %v", err)
		}
		for _, fr := range frames {
			if !fr.Time.IsZero() && (fr.Time.Before(minUnixNano) || fr.Time.After(maxUnixNano)) {
				t.Fatalf("time %v outside Unix nanoseconds", fr.Time)
			}
			LinkPayload(fr.LinkType, fr.Data) //nolint:errcheck // must not panic
		}
	})
}

func FuzzReadPcap(f *testing.F) {
	fuzzReader(f, capturetest.Fixture(f, "loopback.pcap"))
}

func FuzzReadPcapng(f *testing.F) {
	fuzzReader(f, capturetest.Fixture(f, "loopback.pcapng"), capturetest.Fixture(f, "any-sll.pcapng"))
}

// LinkPayload never panics and returns a suffix of its input.
func FuzzLinkPayload(f *testing.F) {
	for _, w := range linkWrappers() {
		f.Add(int(w.link), w.wrap([]byte{0x45, 0, 0, 20}))
	}
	f.Fuzz(func(t *testing.T, link int, b []byte) {
		ip, err := LinkPayload(link, b)
		if err == nil && len(ip) > len(b) {
			t.Fatalf("payload longer than the frame")
		}
	})
}
