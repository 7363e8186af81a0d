package service

import (
	"context"
	"testing"
)

type emitted struct {
	ctx     context.Context
	name    string
	payload []any
}

func recordingEmitter() (*RuntimeEmitter, *[]emitted) {
	var got []emitted
	e := NewRuntimeEmitter()
	e.emit = func(ctx context.Context, name string, data ...any) {
		got = append(got, emitted{ctx: ctx, name: name, payload: data})
	}
	return e, &got
}

func TestRuntimeEmitterDropsEventsOutsideTheWailsContext(t *testing.T) {
	e, got := recordingEmitter()
	e.Emit(EventAppReady, AppInfo{Name: "before bind"})
	if len(*got) != 0 {
		t.Fatalf("emitted before Bind: %+v", *got)
	}

	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "wails")
	e.Bind(ctx)
	e.Emit(EventAppReady, AppInfo{Name: ProductName, Version: "1.2.3"})
	if len(*got) != 1 {
		t.Fatalf("emitted %d events after Bind, want 1", len(*got))
	}
	first := (*got)[0]
	if first.ctx != ctx || first.name != "app:ready" {
		t.Errorf("got ctx=%v name=%q, want the bound context and app:ready", first.ctx, first.name)
	}
	if info, ok := first.payload[0].(AppInfo); !ok || info.Version != "1.2.3" {
		t.Errorf("payload %#v, want the AppInfo passed in", first.payload)
	}

	e.Unbind()
	e.Emit(EventAppReady, AppInfo{Name: "after unbind"})
	if len(*got) != 1 {
		t.Fatalf("emitted after Unbind: %+v", (*got)[1:])
	}
}

func TestAppServiceInfoReportsBuildVersion(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "v0.1.0-test"

	svc := NewAppService()
	if got := svc.Version(); got != "v0.1.0-test" {
		t.Errorf("Version() = %q", got)
	}
	if got := svc.Info(); got != (AppInfo{Name: "Echoscope", Version: "v0.1.0-test"}) {
		t.Errorf("Info() = %+v", got)
	}
}
