package service

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func fetchFeed(t *testing.T, h http.Handler, query string) (FeedPage, int) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, FramesPath+query, nil))
	var p FeedPage
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("%s: %v", rec.Body.String(), err)
		}
	}
	return p, rec.Code
}

func seqs(t *testing.T, p FeedPage) []uint64 {
	t.Helper()
	var out []uint64
	for _, raw := range p.Frames {
		var f Frame
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		out = append(out, f.Seq)
	}
	return out
}

// A page starts at the current cursor, gets each frame once and in order, and a page more
// than the feed's length behind is told how many it missed: the feed never holds more.
func TestFrameFeedCursorsAndBound(t *testing.T) {
	f := NewFrameFeed(3)
	f.publish(Frame{SessionID: "1", Seq: 1})
	start, code := fetchFeed(t, f, "")
	if code != http.StatusOK || start.Next != 1 || len(start.Frames) != 0 {
		t.Fatalf("start %+v (%d), want cursor 1 and no frames", start, code)
	}
	f.publish(Frame{SessionID: "1", Seq: 2})
	f.publish(Frame{SessionID: "1", Seq: 3})
	p, _ := fetchFeed(t, f, "?after=1")
	if got := seqs(t, p); len(got) != 2 || got[0] != 2 || got[1] != 3 || p.Next != 3 || p.Missed != 0 {
		t.Fatalf("after 1: frames %v next %d missed %d", got, p.Next, p.Missed)
	}
	for s := uint64(4); s <= 10; s++ {
		f.publish(Frame{SessionID: "1", Seq: s})
	}
	if len(f.frames) != 3 {
		t.Fatalf("the feed holds %d frames, bound 3", len(f.frames))
	}
	p, _ = fetchFeed(t, f, "?after=3")
	if got := seqs(t, p); len(got) != 3 || got[0] != 8 || p.Missed != 4 || p.Next != 10 {
		t.Fatalf("behind: frames %v missed %d next %d, want 8..10, 4 missed", got, p.Missed, p.Next)
	}
	if _, code := fetchFeed(t, f, "?after=x"); code != http.StatusBadRequest {
		t.Fatalf("a bad cursor got %d", code)
	}
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/elsewhere", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("another path got %d", rec.Code)
	}
}

// A fetch with nothing new waits for the next frame (and returns it), or returns empty when
// its wait is over.
func TestFrameFeedLongPoll(t *testing.T) {
	f := NewFrameFeed(0)
	got := make(chan FeedPage, 1)
	go func() { got <- f.Fetch(0, time.Hour) }() // capped at maxFeedWait
	// The fetch may or may not be waiting yet: either way it must see this frame.
	f.publish(Frame{SessionID: "2", Seq: 1})
	p := <-got
	if len(p.Frames) != 1 || !strings.Contains(string(p.Frames[0]), `"sessionId":"2"`) {
		t.Fatalf("long poll got %+v", p)
	}
	if p := f.Fetch(p.Next, 5*time.Millisecond); len(p.Frames) != 0 || p.Next != 1 {
		t.Fatalf("an idle fetch got %+v", p)
	}
}

// With a feed, the service's frames go to it and never through the Emitter (whose events
// the window receives as evaluated scripts); the end of the session is still an event.
func TestFramesGoToTheFeedNotTheEmitter(t *testing.T) {
	rec := newRecorder()
	feed := NewFrameFeed(0)
	em := feedEmitter{Emitter: rec, feed: feed}
	em.Emit(EventPingFrame, Frame{SessionID: "3", Seq: 1})
	em.Emit(EventPingEnded, Ended{SessionID: "3"})
	if len(rec.snapshot()) != 0 || len(rec.ended) != 1 {
		t.Fatalf("emitter got %d frames, %d ends; want 0 and 1", len(rec.snapshot()), len(rec.ended))
	}
	if p := feed.Fetch(0, 0); len(p.Frames) != 1 {
		t.Fatalf("feed has %d frames, want 1", len(p.Frames))
	}
}
