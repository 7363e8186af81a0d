// Backend event names and payloads, mirrored from backend/service/events.go ("domain:action").
// Change both together.

/** Emitted once the page has loaded; payload AppInfo. */
export const EVENT_APP_READY = 'app:ready';

export interface AppInfo {
  name: string;
  version: string;
}
