package service

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FramesPath is where the page fetches the frames of running sessions (FrameFeed.ServeHTTP,
// served by the Wails asset server's handler, in the window and in dev mode alike).
const FramesPath = "/echoscope/frames"

// DefaultFeedFrames is how many frames the feed keeps for a page that has not fetched them:
// 10 s at the stream's 25 frames a second. A page further behind misses the oldest (it counts
// them, from Frame.Seq) and pages their rows from the store as ever.
const DefaultFeedFrames = 250

// maxFeedWait bounds how long one fetch waits for a frame when none is new.
const maxFeedWait = time.Second

// FrameFeed hands the stream's frames to the page over HTTP instead of as Wails events.
//
// Why not events: on Linux, Wails delivers every event by evaluating a script that embeds
// its payload (webkit_web_view_run_javascript), a new script source of up to tens of KB per
// frame at high rates, and WebKit keeps memory for large evaluated sources. In the soak bench
// (docs/benchmarks.md) the window's web process rose throughout runs with frames as events
// (at 100/s and at 1000/s) and stayed flat with this feed. (The page asks through one
// XMLHttpRequest opened again per poll, not a fetch per poll: WebKitGTK kept each finished
// fetch's memory until a garbage collection; see frontend/src/lib/api/frames.ts.) Small, rare
// events (a session's end, the engine's status) stay events.
//
// The page long-polls: GET FramesPath?after=N returns the frames published after cursor N
// (waiting up to the "wait" parameter, at most maxFeedWait, when there are none yet), with
// the cursor to ask from next. Without "after" it returns the current cursor at once, so a
// page that has just loaded starts with what comes next. Every page keeps its own cursor.
type FrameFeed struct {
	limit int

	mu     sync.Mutex
	frames [][]byte // the newest frames as JSON, oldest first; frames[i] has cursor first+i
	first  uint64   // cursor of frames[0]
	next   uint64   // cursor the next frame will get
	wake   chan struct{}
}

// NewFrameFeed returns a feed keeping at most limit frames (0 or less: DefaultFeedFrames).
func NewFrameFeed(limit int) *FrameFeed {
	if limit <= 0 {
		limit = DefaultFeedFrames
	}
	return &FrameFeed{limit: limit, first: 1, next: 1, wake: make(chan struct{})}
}

// publish adds a frame (as JSON, encoded once for every page) and wakes the waiting fetches.
func (f *FrameFeed) publish(fr Frame) {
	b, err := json.Marshal(fr)
	if err != nil {
		return // a Frame always marshals; nothing sensible to send otherwise
	}
	f.mu.Lock()
	f.frames = append(f.frames, b)
	f.next++
	if over := len(f.frames) - f.limit; over > 0 {
		clear(f.frames[:over]) // let the old frames' bytes go
		f.frames = f.frames[over:]
		f.first += uint64(over)
	}
	wake := f.wake
	f.wake = make(chan struct{})
	f.mu.Unlock()
	close(wake)
}

// FeedPage is one answer of the feed.
type FeedPage struct {
	// Next is the cursor to ask from next time (the last frame's, or the feed's latest).
	Next uint64 `json:"next"`
	// Missed counts frames after the asked cursor that the feed no longer had (the page
	// was more than the feed's length behind).
	Missed uint64 `json:"missed"`
	// Frames are the frames after the asked cursor, oldest first.
	Frames []json.RawMessage `json:"frames"`
}

// after returns the frames after cursor, or none and a channel closed by the next publish.
func (f *FrameFeed) after(cursor uint64) (FeedPage, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := FeedPage{Next: f.next - 1, Frames: []json.RawMessage{}}
	from := cursor + 1
	if from < f.first {
		p.Missed = f.first - from
		from = f.first
	}
	for c := from; c < f.next; c++ {
		p.Frames = append(p.Frames, f.frames[c-f.first])
	}
	return p, f.wake
}

// Fetch returns the frames after cursor, waiting up to wait (at most maxFeedWait) for one when
// there is none yet; the page's long poll.
func (f *FrameFeed) Fetch(cursor uint64, wait time.Duration) FeedPage {
	p, wake := f.after(cursor)
	if len(p.Frames) > 0 || p.Missed > 0 || wait <= 0 {
		return p
	}
	t := time.NewTimer(min(wait, maxFeedWait))
	defer t.Stop()
	select {
	case <-wake:
		p, _ = f.after(cursor)
	case <-t.C:
	}
	return p
}

// ServeHTTP answers GET FramesPath?after=N&wait=MS with a FeedPage as JSON; without "after",
// with the current cursor and no frames. Anything else is 404 (the asset server's handler
// sees every path the embedded assets do not have).
func (f *FrameFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != FramesPath || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	var p FeedPage
	if q.Get("after") == "" {
		f.mu.Lock()
		p = FeedPage{Next: f.next - 1, Frames: []json.RawMessage{}}
		f.mu.Unlock()
	} else {
		cursor, err := strconv.ParseUint(q.Get("after"), 10, 64)
		if err != nil {
			http.Error(w, "after: a cursor (a whole number) is expected: "+err.Error(), http.StatusBadRequest)
			return
		}
		waitMs, _ := strconv.Atoi(q.Get("wait"))
		p = f.Fetch(cursor, time.Duration(max(0, waitMs))*time.Millisecond)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(p)
}

// feedEmitter sends "ping:frame" to the feed and every other event to the Emitter.
type feedEmitter struct {
	Emitter
	feed *FrameFeed
}

func (e feedEmitter) Emit(name EventName, payload any) {
	if fr, ok := payload.(Frame); ok && name == EventPingFrame {
		e.feed.publish(fr)
		return
	}
	e.Emitter.Emit(name, payload)
}
