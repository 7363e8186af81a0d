package agent

import (
	"context"
	"testing"

	"echoscope/backend/probe"
)

// eventTrace is fakeTrace that also tells two events (a send with its TTL, the Time Exceeded
// answering it) before its result, as probe.Trace.OnEvent does.
type eventTrace struct {
	fakeTrace
	onEvent func(probe.Event)
}

func (f *eventTrace) OnEvent(fn func(probe.Event)) { f.onEvent = fn }

func (f *eventTrace) Run(ctx context.Context) (probe.TraceResult, error) {
	if f.onEvent != nil {
		f.onEvent(probe.Event{Kind: probe.EventSend, Index: 1, TTL: 1, Bytes: []byte{8, 0, 3, 4}})
		f.onEvent(probe.Event{Kind: probe.EventICMPError, Index: 1, TTL: 64, Bytes: []byte{11, 0, 1, 2}})
	}
	return f.fakeTrace.Run(ctx)
}

// A trace asked for its events sends each in a trace-event frame as it happens, before the
// result, and the client tells them in order; a trace not asked (the CLI's) sends none.
func TestHelperTraceSendsEventsWhenAsked(t *testing.T) {
	h := startServerWith(t, probe.RootPolicy(), fakeFactory, func(c *ServerConfig) {
		c.NewTrace = func(_ context.Context, o probe.TraceOptions, _ probe.Policy) (TraceRunner, error) {
			return &eventTrace{fakeTrace: fakeTrace{o: o}}, nil
		}
	})
	for _, asked := range []bool{true, false} {
		req := traceOf(2)
		req.Events = asked
		h.send(TypeTrace, "t", req)
		c := &Client{traces: map[string]*pendingTrace{}}
		var told []probe.Event
		p := &pendingTrace{done: make(chan traceAnswer, 1), onEvent: func(ev probe.Event) { told = append(told, ev) }}
		c.traces["t"] = p
		events := 0
		for {
			m := h.next()
			if m.Type == TypeTraceEvent {
				events++
			}
			if !c.answerTrace(m) {
				t.Fatalf("frame %s not taken by the pending trace", m.Type)
			}
			if m.Type == TypeTraced {
				break
			}
		}
		if a := <-p.done; a.err != nil {
			t.Fatal(a.err)
		}
		if !asked {
			if events != 0 {
				t.Errorf("%d trace-event frames sent unasked", events)
			}
			continue
		}
		if events != 2 || len(told) != 2 || told[0].Kind != probe.EventSend || told[0].TTL != 1 ||
			told[1].Kind != probe.EventICMPError || told[1].Index != 1 || string(told[1].Bytes) != string([]byte{11, 0, 1, 2}) {
			t.Errorf("%d frames, told %+v", events, told)
		}
	}
}
