package agent

import "sync"

// describeExit adds the helper's exit status and the end of its stderr to an error message.
func describeExit(waitErr error, tail *tailBuffer) string {
	s := ""
	if waitErr != nil {
		s += " (" + waitErr.Error() + ")"
	}
	if t := tail.String(); t != "" {
		s += ": " + t
	}
	return s
}

// tailBuffer keeps the last max bytes written to it (the helper's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(trimSpace(t.b))
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
