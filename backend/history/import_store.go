package history

import (
	"context"
	"sync"
)

// batchStorer stores an import's rows in importBatch-row transactions on a goroutine of its
// own, so judging the next rows (one core) overlaps with SQLite storing the last ones
// (another). At most three batches exist: the one filling, one queued, one being stored.
type batchStorer struct {
	filling []Packet
	queue   chan []Packet
	free    chan []Packet
	done    chan struct{}
	mu      sync.Mutex
	err     error
	rows    int
}

func newBatchStorer(ctx context.Context, s *Store, session int64) *batchStorer {
	b := &batchStorer{filling: make([]Packet, 0, importBatch), queue: make(chan []Packet, 1),
		free: make(chan []Packet, 2), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for batch := range b.queue {
			if b.failed() == nil {
				err := s.AppendPackets(ctx, session, batch)
				b.mu.Lock()
				if err != nil && b.err == nil {
					b.err = err
				} else if err == nil {
					b.rows += len(batch)
				}
				b.mu.Unlock()
			}
			clear(batch)
			select {
			case b.free <- batch[:0]: // for add to fill again
			default: // the import is closing and takes no more
			}
		}
	}()
	return b
}

func (b *batchStorer) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// add takes the next row; it returns the storing error once one happened, which stops the
// import.
func (b *batchStorer) add(p Packet) error {
	b.filling = append(b.filling, p)
	if len(b.filling) < importBatch {
		return nil
	}
	b.queue <- b.filling
	select {
	case b.filling = <-b.free:
	default:
		b.filling = make([]Packet, 0, importBatch)
	}
	return b.failed()
}

// close stores what is left, waits for the goroutine and returns the rows stored and the
// first error.
func (b *batchStorer) close() (int, error) {
	if len(b.filling) > 0 {
		b.queue <- b.filling
		b.filling = nil
	}
	close(b.queue)
	<-b.done
	return b.rows, b.failed()
}
