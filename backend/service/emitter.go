package service

import (
	"context"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Emitter sends an event with a typed payload to the frontend.
type Emitter interface {
	Emit(name EventName, payload any)
}

// RuntimeEmitter emits through the Wails runtime once Bind gave it the application context.
// Events emitted before that (or after Unbind) are dropped: the Wails runtime would call
// log.Fatalf without its context, and there is no window to receive them anyway.
type RuntimeEmitter struct {
	mu   sync.RWMutex
	ctx  context.Context
	emit func(ctx context.Context, name string, data ...any)
}

// NewRuntimeEmitter returns an emitter that is silent until Bind.
func NewRuntimeEmitter() *RuntimeEmitter {
	return &RuntimeEmitter{emit: runtime.EventsEmit}
}

// Bind gives the emitter the context Wails passes to OnStartup.
func (e *RuntimeEmitter) Bind(ctx context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ctx = ctx
}

// Unbind stops emitting, for OnShutdown.
func (e *RuntimeEmitter) Unbind() {
	e.Bind(nil)
}

// Context is the Wails context given to Bind, nil before it and after Unbind. The native
// dialogs use it too (see NewPingService), so the app binds one context in one place.
func (e *RuntimeEmitter) Context() context.Context {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.ctx
}

// Emit implements Emitter.
func (e *RuntimeEmitter) Emit(name EventName, payload any) {
	e.mu.RLock()
	ctx := e.ctx
	e.mu.RUnlock()
	if ctx == nil {
		return
	}
	e.emit(ctx, string(name), payload)
}

// noEmitter drops every event: a service made without an emitter (tools, benchmarks).
type noEmitter struct{}

func (noEmitter) Emit(EventName, any) {}
