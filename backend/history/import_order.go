package history

import (
	"container/heap"
	"time"
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
func inTimeOrder(src packetSource) packetSource {
	return func(yield func(extracted) bool) error {
		var h orderHeap
		var serial uint64
		stopped := false
		err := src(func(x extracted) bool {
			heap.Push(&h, ordered{x: x, at: x.p.Time.Time, serial: serial})
			serial++
			if h.Len() > reorderWindow {
				if !yield(heap.Pop(&h).(ordered).x) {
					stopped = true
					return false
				}
			}
			return true
		})
		if err != nil || stopped {
			return err
		}
		for h.Len() > 0 {
			if !yield(heap.Pop(&h).(ordered).x) {
				return nil
			}
		}
		return nil
	}
}

type ordered struct {
	x      extracted
	at     time.Time
	serial uint64
}

type orderHeap []ordered

func (h orderHeap) Len() int { return len(h) }
func (h orderHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].serial < h[j].serial
}
func (h orderHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *orderHeap) Push(x any)   { *h = append(*h, x.(ordered)) }
func (h *orderHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = ordered{}
	*h = old[:len(old)-1]
	return x
}
