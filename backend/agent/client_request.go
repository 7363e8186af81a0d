package agent

import (
	"context"
	"encoding/json"
)

// What every request the client sends (a session, a monitor, a crafted packet, a trace)
// goes through the same way: registered before it is sent, refused alike when the helper is
// gone, and failed alike by an error frame or the helper's exit.

// track registers a new request with add, under the client's lock, unless the client is
// closed or its helper gone; then it returns why, and nothing is registered.
func (c *Client) track(add func()) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return ErrClosed
	case c.exitErr != nil:
		return c.exitErr
	}
	add()
	return nil
}

// remoteErrorOf reads an error frame's body; an unreadable one is still a refusal, in words.
func remoteErrorOf(body json.RawMessage) *RemoteError {
	var b ErrorBody
	if err := json.Unmarshal(body, &b); err != nil {
		b = ErrorBody{Code: CodeMalformed, Message: "unreadable error frame: " + err.Error()}
	}
	return &RemoteError{Body: b}
}

// lifecycle is the part of a remote session or monitor that its start and its end share:
// started closes on the started frame or on a refusal (startErr), done on the done frame
// (err). The client's reader goroutine writes the errors before it closes the channel.
type lifecycle struct {
	started  chan struct{}
	startErr error
	done     chan struct{}
	err      error
}

func newLifecycle() lifecycle {
	return lifecycle{started: make(chan struct{}), done: make(chan struct{})}
}

// awaitStart waits for the started frame or a refusal; when ctx ends first it calls stop
// (the helper still ends what it started) and returns ctx's error.
func (l *lifecycle) awaitStart(ctx context.Context, stop func() error) error {
	select {
	case <-l.started:
		return l.startErr
	case <-ctx.Done():
		_ = stop()
		return ctx.Err()
	}
}

// refuseStart ends a start that is still waiting with err and reports whether it was
// waiting; an error frame about what already runs (a refused stop) changes nothing.
func (l *lifecycle) refuseStart(err error) bool {
	select {
	case <-l.started:
		return false
	default:
		l.startErr = err
		close(l.started)
		return true
	}
}

// fail ends it with err whichever stage it is at (the helper is gone).
func (l *lifecycle) fail(err error) {
	if !l.refuseStart(err) {
		l.err = err
		close(l.done)
	}
}
