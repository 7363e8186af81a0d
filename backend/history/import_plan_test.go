package history

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// memorySource is a capture held in memory as the import reads one.
func memorySource(tb testing.TB, sc synthCapture) (captureSource, []byte) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "plan.pcap")
	writeSynthCapture(tb, path, sc)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return captureSource{size: int64(len(data)), open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}, data
}

// The first reading takes what the plan needs from each frame where the capture reader
// holds it, without a copy: its plan must be the one whole rows (their bytes copied) give.
func TestPlanFromFramesInPlaceMatchesPlanFromRows(t *testing.T) {
	src, data := memorySource(t, synthCapture{Pairs: 3000, Flows: 3, LossEvery: 37, Filler: 50_000})
	o := &ImportOptions{Timeout: time.Second}
	c, err := planCapture(context.Background(), src, o)
	if err != nil {
		t.Fatal(err)
	}

	rows, st, err := extractAll(data)
	if err != nil {
		t.Fatal(err)
	}
	want := newImportPlan(o.timeout())
	for i := range rows { // the synthetic capture is in time order
		n := plannedOf(&rows[i])
		want.add(&n)
	}
	want.finish()
	if c.ext != st {
		t.Errorf("first reading counted %+v, want %+v", c.ext, st)
	}
	if c.plan.packets != 6000-3000/37 || c.plan.packets != want.packets {
		t.Errorf("planned %d packets, rows give %d", c.plan.packets, want.packets)
	}
	if !c.plan.start.Equal(want.start) || !c.plan.end.Equal(want.end) || c.plan.target() != want.target() {
		t.Errorf("plan spans %v to %v for %s, rows give %v to %v for %s",
			c.plan.start, c.plan.end, c.plan.target(), want.start, want.end, want.target())
	}
	if len(c.plan.order) != 3 || len(c.plan.order) != len(want.order) {
		t.Fatalf("%d flows planned, rows give %d", len(c.plan.order), len(want.order))
	}
	for i, f := range c.plan.order {
		if !reflect.DeepEqual(*f, *want.order[i]) {
			t.Errorf("flow %d planned as %+v, rows give %+v", i, *f, *want.order[i])
		}
	}
}

// The first reading allocates nothing a frame (it once copied every frame's bytes and
// allocated the cut-short check's target): what it allocates is the plan and its window,
// whatever the number of frames.
func TestPlanReadingAllocatesNothingAFrame(t *testing.T) {
	src, _ := memorySource(t, synthCapture{Pairs: 20_000, Flows: 4, LossEvery: 101, Filler: 200_000})
	o := &ImportOptions{Timeout: time.Second}
	var frames int
	allocs := testing.AllocsPerRun(2, func() {
		c, err := planCapture(context.Background(), src, o)
		if err != nil {
			t.Fatal(err)
		}
		frames = c.ext.Frames
	})
	if frames < 39_000 {
		t.Fatalf("%d frames read, want at least 39,000", frames)
	}
	if allocs > float64(frames)/100 {
		t.Errorf("the first reading of %d frames made %.0f allocations, want fewer than one in 100 frames", frames, allocs)
	}
}
