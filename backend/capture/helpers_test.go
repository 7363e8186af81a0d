package capture

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"echoscope/backend/capture/capturetest"
)

// readAll reads every frame of a capture in memory (copies of their bytes), stopping at
// the first error, which it returns with the frames before it.
func readAll(data []byte) (Format, []Frame, error) {
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return "", nil, err
	}
	var frames []Frame
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r.Format(), frames, nil
		}
		if err != nil {
			return r.Format(), frames, err
		}
		c := *f
		c.Data = append([]byte(nil), f.Data...)
		frames = append(frames, c)
	}
}

// fixtureDatagrams returns the IP datagrams and times of a fixture captured on Linux lo.
func fixtureDatagrams(t testing.TB) ([][]byte, []time.Time) {
	t.Helper()
	_, frames, err := readAll(capturetest.Fixture(t, "loopback.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	var ips [][]byte
	var times []time.Time
	for _, f := range frames {
		ips = append(ips, f.Data[14:])
		times = append(times, f.Time)
	}
	return ips, times
}
