package service

// EventName is a frontend event, named "domain:action". The same names are in
// frontend/src/lib/api/events.ts; change both together.
type EventName string

// EventAppReady is emitted once the window's page has loaded, with an AppInfo payload.
const EventAppReady EventName = "app:ready"

// AppInfo describes the running application.
type AppInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}
