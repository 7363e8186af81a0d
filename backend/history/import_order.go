package history

import (
	"sort"
)

// reorderWindow is how many packets the import holds to put a capture's packets in time
// order: captures are written in the order packets were seen, but a capture of several
// interfaces (or one merged afterwards) can be a little out of order. A packet further
// out of order than this is judged where it comes, after later ones.
const reorderWindow = 8192

// packetSource yields a capture's ICMP packets; it can be ranged over more than once (the
// import reads a file twice: once to plan, once to judge and store). It returns the error
// that ended it early (a damaged file, a cancelled context), nil at the end.
type packetSource func(yield func(extracted) bool) error

// inTimeOrder yields src's packets in time order (ties in their order in the file) through
// a window of reorderWindow packets: memory stays bounded whatever the capture's size.
// Packets in order (nearly all) cost an append and a pop; one out of order is inserted in
// its place.
func inTimeOrder(src packetSource) packetSource {
	return func(yield func(extracted) bool) error {
		var w orderWindow
		stopped := false
		err := src(func(x extracted) bool {
			w.push(x)
			if w.len() > reorderWindow && !yield(w.pop()) {
				stopped = true
				return false
			}
			return true
		})
		if err != nil || stopped {
			return err
		}
		for w.len() > 0 {
			if !yield(w.pop()) {
				return nil
			}
		}
		return nil
	}
}

// orderWindow is a queue kept sorted by time; equal times keep their arrival order.
type orderWindow struct {
	buf  []extracted
	head int
}

func (w *orderWindow) len() int { return len(w.buf) - w.head }

func (w *orderWindow) push(x extracted) {
	at := x.p.Time.Time
	n := len(w.buf)
	if n == w.head || !at.Before(w.buf[n-1].p.Time.Time) {
		w.buf = append(w.buf, x)
		return
	}
	// Out of order: after every queued packet not later than it.
	q := w.buf[w.head:]
	i := w.head + sort.Search(len(q), func(i int) bool { return q[i].p.Time.Time.After(at) })
	w.buf = append(w.buf, extracted{})
	copy(w.buf[i+1:], w.buf[i:n])
	w.buf[i] = x
}

func (w *orderWindow) pop() extracted {
	x := w.buf[w.head]
	w.buf[w.head] = extracted{}
	w.head++
	if w.head == len(w.buf) {
		w.buf, w.head = w.buf[:0], 0
	} else if w.head >= reorderWindow && w.head*2 >= len(w.buf) {
		n := copy(w.buf, w.buf[w.head:])
		clear(w.buf[n:])
		w.buf, w.head = w.buf[:n], 0
	}
	return x
}
