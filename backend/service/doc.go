// Package service holds the facades that Wails binds to the frontend, and is the only Go
// package that imports the Wails runtime. Everything Wails-specific goes through Emitter, so
// the services are plain structs whose tests run without a GUI (the Wails runtime calls
// log.Fatalf when used without its context).
//
// Bound methods return (T, error) so the JavaScript promise rejects with a real message.
// Event names follow one "domain:action" scheme, defined in events.go and mirrored in
// frontend/src/lib/api/events.ts.
package service
