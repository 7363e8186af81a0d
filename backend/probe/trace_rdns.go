package probe

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// reverseNames looks up the names of hop addresses on a goroutine of its own, so the
// probes never wait for DNS: the trace's loop only enqueues an address (want), and the
// names are put into the result at the end (fill).
type reverseNames struct {
	lookup func(ctx context.Context, addr string) ([]string, error)
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	queue  []netip.Addr
	names  map[netip.Addr]string
	asked  map[netip.Addr]bool
	wake   chan struct{}
	done   chan struct{}
	active bool
}

// reverseLookupTimeout bounds one lookup; reverseFillWait bounds how long the result waits
// for lookups still running when the probes are over.
const (
	reverseLookupTimeout = 3 * time.Second
	reverseFillWait      = 3 * time.Second
)

func defaultLookupAddr(ctx context.Context, addr string) ([]string, error) {
	return net.DefaultResolver.LookupAddr(ctx, addr)
}

func newReverseNames(lookup func(ctx context.Context, addr string) ([]string, error)) *reverseNames {
	ctx, cancel := context.WithCancel(context.Background())
	r := &reverseNames{lookup: lookup, ctx: ctx, cancel: cancel, names: map[netip.Addr]string{},
		asked: map[netip.Addr]bool{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go r.run()
	return r
}

// want asks for a's name; it never blocks.
func (r *reverseNames) want(a netip.Addr) {
	r.mu.Lock()
	if !r.asked[a] {
		r.asked[a] = true
		r.queue = append(r.queue, a)
	}
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *reverseNames) run() {
	defer close(r.done)
	for {
		r.mu.Lock()
		if len(r.queue) == 0 {
			r.active = false
			r.mu.Unlock()
			select {
			case <-r.wake:
				continue
			case <-r.ctx.Done():
				return
			}
		}
		a := r.queue[0]
		r.queue = r.queue[1:]
		r.active = true
		r.mu.Unlock()
		ctx, cancel := context.WithTimeout(r.ctx, reverseLookupTimeout)
		names, err := r.lookup(ctx, a.WithZone("").String())
		cancel()
		if err == nil && len(names) > 0 {
			r.mu.Lock()
			r.names[a] = strings.TrimSuffix(names[0], ".")
			r.mu.Unlock()
		}
	}
}

// idle reports whether every wanted name has been looked up.
func (r *reverseNames) idle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue) == 0 && !r.active
}

// fill waits (at most reverseFillWait, or until ctx ends) for the lookups still running and
// sets every hop's Names.
func (r *reverseNames) fill(ctx context.Context, hops []TraceHop) {
	deadline := time.Now().Add(reverseFillWait)
	for !r.idle() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range hops {
		h := &hops[i]
		h.Names = make([]string, len(h.Addrs))
		for j, a := range h.Addrs {
			h.Names[j] = r.names[a]
		}
	}
}

// stop ends the lookups (a running one is cancelled) and waits for the goroutine.
func (r *reverseNames) stop() {
	r.cancel()
	<-r.done
}
