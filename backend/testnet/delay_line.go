package testnet

import (
	"net/netip"
	"time"

	"echoscope/backend/wire"
)

// delayedReply is one reply of FaultDelay and the time it is due.
type delayedReply struct {
	due      time.Time
	fam      wire.Family
	src, dst netip.Addr
	icmp     []byte
}

// delayLine sends delayed replies in the order their requests arrived, from one goroutine.
// One timer per reply (time.AfterFunc) runs each send on its own goroutine, so on a loaded
// machine two replies due 20 ms apart could leave in either order, and the engine would
// rightly count one as out of order: a fault the test never asked for.
type delayLine struct {
	queue chan delayedReply
	stop  chan struct{}
	done  chan struct{}
}

func startDelayLine(send func(fam wire.Family, src, dst netip.Addr, icmp []byte)) *delayLine {
	l := &delayLine{queue: make(chan delayedReply, 4096), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		timer := time.NewTimer(time.Hour)
		defer timer.Stop()
		for {
			var d delayedReply
			select {
			case d = <-l.queue:
			case <-l.stop:
				return
			}
			timer.Reset(time.Until(d.due))
			select {
			case <-timer.C:
				send(d.fam, d.src, d.dst, d.icmp)
			case <-l.stop:
				return
			}
		}
	}()
	return l
}

// add queues a reply; it waits when 4096 replies are already pending, and gives up when the
// line is closed.
func (l *delayLine) add(d delayedReply) {
	select {
	case l.queue <- d:
	case <-l.stop:
	}
}

// close stops the line; pending replies are never sent.
func (l *delayLine) close() {
	close(l.stop)
	<-l.done
}
