package agent

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func frame(body string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	return append(b, body...)
}

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	in := []Message{
		mustMessage(t, TypeStart, "s1", StartRequest{}),
		mustMessage(t, TypeStop, "s1", nil),
		mustMessage(t, TypeError, "", ErrorBody{Code: CodeMalformed, Message: "x"}),
	}
	for _, m := range in {
		if err := w.WriteMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	r := NewReader(&buf, 0)
	for i, want := range in {
		got, err := r.ReadMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got.Type != want.Type || got.Session != want.Session || !bytes.Equal(got.Body, want.Body) || got.Version != ProtocolVersion {
			t.Errorf("message %d: got %+v, want %+v", i, got, want)
		}
	}
	if _, err := r.ReadMessage(); !errors.Is(err, io.EOF) {
		t.Errorf("after last frame: got %v, want io.EOF", err)
	}
}

func mustMessage(t *testing.T, typ Type, session string, body any) Message {
	t.Helper()
	m, err := NewMessage(typ, session, body)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Each bad frame must give its own error and leave the reader in step for the good frame
// that follows it (the helper answers and goes on).
func TestRecoverableFramesKeepTheStreamInStep(t *testing.T) {
	good := `{"v":1,"type":"stop","session":"a"}`
	cases := []struct {
		name  string
		input []byte
		want  error
	}{
		{"empty frame", frame(""), ErrEmptyFrame},
		{"not json", frame("{nope"), ErrMalformed},
		{"json but not an object", frame(`[1,2]`), ErrMalformed},
		{"no type", frame(`{"v":1}`), ErrMalformed},
		{"wrong version", frame(`{"v":2,"type":"stop"}`), ErrUnsupportedVersion},
		{"no version", frame(`{"type":"stop"}`), ErrUnsupportedVersion},
		{"oversize", frame(strings.Repeat("x", 100)), ErrFrameTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			input := append(append([]byte{}, c.input...), frame(good)...)
			r := NewReader(bytes.NewReader(input), 64)
			_, err := r.ReadMessage()
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !Recoverable(err) {
				t.Fatalf("%v should be recoverable", err)
			}
			m, err := r.ReadMessage()
			if err != nil || m.Type != TypeStop || m.Session != "a" {
				t.Fatalf("next frame: got %+v, %v", m, err)
			}
		})
	}
}

func TestTruncatedStreams(t *testing.T) {
	cases := map[string][]byte{
		"inside length":          {0, 0},
		"inside body":            frame(`{"v":1,"type":"stop"}`)[:10],
		"inside oversize body":   append(binary.BigEndian.AppendUint32(nil, 1000), "abc"...),
		"length says 4 GB minus": {0xff, 0xff, 0xff, 0xff, 'x'},
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(input), 64).ReadMessage()
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("got %v, want ErrTruncated", err)
			}
			if Recoverable(err) {
				t.Fatal("a truncated stream must not be recoverable")
			}
		})
	}
}

func TestWriterRefusesWhatReadersWouldRefuse(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.WriteFrame(nil); !errors.Is(err, ErrEmptyFrame) {
		t.Errorf("empty: got %v", err)
	}
	if err := w.WriteFrame(make([]byte, MaxFrameSize+1)); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("oversize: got %v", err)
	}
}

// FuzzReadMessage: any byte stream either decodes, or yields an error; never a panic, never
// an allocation beyond the frame limit, and recoverable errors always leave the reader able
// to continue.
func FuzzReadMessage(f *testing.F) {
	f.Add(frame(`{"v":1,"type":"start","session":"x","body":{"options":{"target":"127.0.0.1"}}}`))
	f.Add(frame(`{"v":1,"type":"stop","session":"x"}`))
	f.Add(frame(""))
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add(append(frame(`{"v":2}`), frame(`{"v":1,"type":"hello","body":null}`)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), 4096)
		for i := 0; i < 100; i++ {
			m, err := r.ReadMessage()
			if err == nil {
				if m.Version != ProtocolVersion || m.Type == "" {
					t.Fatalf("accepted an invalid envelope: %+v", m)
				}
				continue
			}
			if !Recoverable(err) {
				return
			}
		}
	})
}
