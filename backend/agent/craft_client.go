package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"echoscope/backend/probe"
)

// craftAnswer is the helper's answer to one craft frame.
type craftAnswer struct {
	res probe.CraftResult
	err error
}

// Craft asks the helper to send one crafted echo request and returns what came back: the
// matching reply, or TimedOut. A refusal (not an echo request, not unicast, too fast) is a
// *RemoteError with code craft or policy, in words.
func (c *Client) Craft(ctx context.Context, r probe.CraftRequest) (probe.CraftResult, error) {
	id := "c" + strconv.FormatUint(c.nextID.Add(1), 10)
	ch := make(chan craftAnswer, 1)
	if err := c.track(func() { c.crafts[id] = ch }); err != nil {
		return probe.CraftResult{}, err
	}
	if err := c.send(TypeCraft, id, r); err != nil {
		c.forgetCraft(id)
		return probe.CraftResult{}, err
	}
	select {
	case a := <-ch:
		return a.res, a.err
	case <-ctx.Done():
		c.forgetCraft(id) // the helper still answers when its timeout ends; the answer is dropped
		return probe.CraftResult{}, ctx.Err()
	}
}

func (c *Client) forgetCraft(id string) {
	c.mu.Lock()
	delete(c.crafts, id)
	c.mu.Unlock()
}

// answerCraft delivers a crafted or error frame to the Craft call waiting for it, and
// reports whether m was such an answer.
func (c *Client) answerCraft(m Message) bool {
	c.mu.Lock()
	ch, ok := c.crafts[m.Session]
	if ok && (m.Type == TypeCrafted || m.Type == TypeError) {
		delete(c.crafts, m.Session)
	}
	c.mu.Unlock()
	if !ok {
		return false
	}
	var a craftAnswer
	switch m.Type {
	case TypeCrafted:
		if err := json.Unmarshal(m.Body, &a.res); err != nil {
			a.err = fmt.Errorf("agent: bad crafted frame: %w", err)
		}
	case TypeError:
		a.err = remoteErrorOf(m.Body)
	default:
		return true // a stray frame for a craft id: nothing else can own it
	}
	ch <- a
	return true
}

// ErrCannotCraft: this engine cannot send crafted bytes; the error says why.
var ErrCannotCraft = fmt.Errorf("this engine cannot send crafted packets")

// SendCrafted sends one crafted echo request through engine e: through the helper, or in
// this process when it holds raw sockets itself. Datagram sockets and the Windows ICMP API
// cannot send crafted bytes, and the error says why.
func SendCrafted(ctx context.Context, e Engine, r probe.CraftRequest) (probe.CraftResult, error) {
	switch e := e.(type) {
	case *agentEngine:
		return e.client.Craft(ctx, r)
	case *localEngine:
		switch e.kind {
		case probe.SocketRaw:
			if err := probe.ValidateCraft(r); err != nil {
				return probe.CraftResult{}, err
			}
			if err := e.crafts.take(time.Now(), craftGap(e.policy)); err != nil {
				return probe.CraftResult{}, err
			}
			defer e.crafts.done()
			return probe.SendCrafted(ctx, r)
		case probe.SocketDatagram:
			return probe.CraftResult{}, fmt.Errorf("%w: unprivileged ICMP datagram sockets write the identifier and the checksum themselves (the kernel treats the identifier as the socket's port), so typed bytes cannot go out as typed; the Lab still builds and explains them", ErrCannotCraft)
		case probe.SocketWindows:
			return probe.CraftResult{}, fmt.Errorf("%w: the Windows ICMP API (IcmpSendEcho2) takes only a payload and builds the header and checksum itself; the Lab still builds and explains packets", ErrCannotCraft)
		}
	}
	return probe.CraftResult{}, fmt.Errorf("%w: %T", ErrCannotCraft, e)
}
