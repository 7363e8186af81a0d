// Backend event names and payloads, mirrored from backend/service/events.go and
// ping_types.go ("domain:action"). Change both together.

import type { service } from '../../../wailsjs/go/models';

export type { Ended, EngineStatus, Frame, StorageStatus } from './types';

/** Emitted once the page has loaded; payload AppInfo. */
export const EVENT_APP_READY = 'app:ready';
/** A batch of a running session, about 25 per second; payload Frame. The app sends frames
 *  through its frame feed (frames.ts) instead; the event remains for tests and benchmarks
 *  that run the service without a page. */
export const EVENT_PING_FRAME = 'ping:frame';
/** A session is over; payload Ended. */
export const EVENT_PING_ENDED = 'ping:ended';
/** The helper died, was restarted, or could not be; payload EngineStatus. */
export const EVENT_ENGINE_STATUS = 'engine:status';
/** Whether history is saved changed (store fell back to memory, writes failing); payload StorageStatus. */
export const EVENT_HISTORY_STATUS = 'history:status';
/** A file was dropped on the window and imported (or refused); payload DropResult. */
export const EVENT_CAPTURE_DROPPED = 'history:dropped';

/** Name and version of the running application (Go service.AppInfo). */
export type AppInfo = service.AppInfo;

/** A job's progress, at most ten a second per job; payload JobProgress (jobs.ts). */
export const EVENT_JOB_PROGRESS = 'job:progress';
/** A job ended with its result; payload JobEnd. */
export const EVENT_JOB_DONE = 'job:done';
/** A job failed; payload JobEnd with the error in words. */
export const EVENT_JOB_FAILED = 'job:failed';
/** A job was cancelled and what it wrote undone; payload JobEnd. */
export const EVENT_JOB_CANCELLED = 'job:cancelled';
/** Sent by the page (not the backend) after its first frame: payload { focus }. */
export const EVENT_FIRST_PAINT = 'app:firstpaint';
