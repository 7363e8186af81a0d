package history

import (
	"sort"
	"time"
)

// reorderWindow is how many packets the import holds to put a capture's packets in time
// order: captures are written in the order packets were seen, but a capture of several
// interfaces (or one merged afterwards) can be a little out of order. A packet further
// out of order than this is judged where it comes, after later ones.
const reorderWindow = 8192

// orderedSource yields a capture's ICMP packets (as whole rows to judge, or as what the
// plan needs of them); it can be ranged over more than once (the import reads a file
// twice: once to plan, once to judge and store). It returns the error that ended it early
// (a damaged file, a cancelled context), nil at the end. The packet yielded is lent: valid
// until yield returns (rows are large; passing them by pointer saves a copy a row at each
// step).
type orderedSource[T any] func(yield func(*T) bool) error

// packetSource is the second reading's source: whole rows.
type packetSource = orderedSource[extracted]

// timedSource yields packets with their capture times, in the file's order; the packet is
// lent as in orderedSource (the window copies it).
type timedSource[T any] func(yield func(at time.Time, x *T) bool) error

// inTimeOrder yields src's packets in time order (ties in their order in the file) through
// a window of reorderWindow packets: memory stays bounded whatever the capture's size.
// Packets in order (nearly all) cost an append and a pop; one out of order is inserted in
// its place. The window is generic so that the planning reading holds only the few fields
// the plan needs (plannedPacket), not whole rows with a copy of their bytes.
func inTimeOrder[T any](src timedSource[T]) orderedSource[T] {
	return func(yield func(*T) bool) error {
		var w orderWindow[T]
		stopped := false
		err := src(func(at time.Time, x *T) bool {
			w.push(at, x)
			if w.len() > reorderWindow {
				ok := yield(w.front())
				w.drop()
				if !ok {
					stopped = true
					return false
				}
			}
			return true
		})
		if err != nil || stopped {
			return err
		}
		for w.len() > 0 {
			ok := yield(w.front())
			w.drop()
			if !ok {
				return nil
			}
		}
		return nil
	}
}

// timed is a packet in the window with the time it is ordered by.
type timed[T any] struct {
	at time.Time
	x  T
}

// orderWindow is a queue kept sorted by time; equal times keep their arrival order.
type orderWindow[T any] struct {
	buf  []timed[T]
	head int
}

func (w *orderWindow[T]) len() int { return len(w.buf) - w.head }

func (w *orderWindow[T]) push(at time.Time, x *T) {
	n := len(w.buf)
	if n == w.head || !at.Before(w.buf[n-1].at) {
		w.buf = append(w.buf, timed[T]{at: at})
		w.buf[n].x = *x
		return
	}
	// Out of order: after every queued packet not later than it.
	q := w.buf[w.head:]
	i := w.head + sort.Search(len(q), func(i int) bool { return q[i].at.After(at) })
	w.buf = append(w.buf, timed[T]{})
	copy(w.buf[i+1:], w.buf[i:n])
	w.buf[i] = timed[T]{at, *x}
}

// front is the earliest packet, in place: valid until drop.
func (w *orderWindow[T]) front() *T { return &w.buf[w.head].x }

// drop removes the earliest packet.
func (w *orderWindow[T]) drop() {
	w.buf[w.head] = timed[T]{}
	w.head++
	if w.head == len(w.buf) {
		w.buf, w.head = w.buf[:0], 0
	} else if w.head >= reorderWindow && w.head*2 >= len(w.buf) {
		n := copy(w.buf, w.buf[w.head:])
		clear(w.buf[n:])
		w.buf, w.head = w.buf[:n], 0
	}
}
