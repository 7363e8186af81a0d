package history

import (
	"context"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// The storer keeps every row in order, whatever the number of batches (a multiple of the
// batch size and not, so the last partial one is stored too), and returns when done: a
// storer that waited on a full recycling channel at close would hang here.
func TestBatchStorerStoresEveryRowInOrder(t *testing.T) {
	for _, n := range []int{0, 1, importBatch, 5*importBatch + 17} {
		s := openTemp(t)
		id := beginTest(t, s, "198.18.0.2", time.Now())
		send, _ := echoPair(t, wire.IPv4, 1, time.Now())
		st := newBatchStorer(context.Background(), s, id)
		for i := range n {
			p := PacketFromEvent(send)
			p.Seq = uint16(i)
			if err := st.add(p); err != nil {
				t.Fatal(err)
			}
		}
		done := make(chan struct{})
		var rows int
		var err error
		go func() { rows, err = st.close(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatalf("%d rows: close did not return", n)
		}
		if err != nil || rows != n {
			t.Fatalf("%d rows: stored %d, %v", n, rows, err)
		}
		got, err := s.Packets(context.Background(), id, 0, int64(n)+1)
		if err != nil || len(got) != n {
			t.Fatalf("%d rows read back, %v", len(got), err)
		}
		for i, p := range got {
			if p.Seq != uint16(i) || p.N != int64(i) {
				t.Fatalf("row %d: seq %d n %d", i, p.Seq, p.N)
			}
		}
	}
}
