package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Long work (import, export, opening a large session, deleting one) runs as a job: the bound
// method checks its arguments, starts the job on its own goroutine and returns its id at
// once, so no bound call holds the page's promise for long. The job reports how far it is
// with job:progress and ends with exactly one of job:done, job:failed or job:cancelled.

// Job events.
const (
	EventJobProgress  EventName = "job:progress"
	EventJobDone      EventName = "job:done"
	EventJobFailed    EventName = "job:failed"
	EventJobCancelled EventName = "job:cancelled"
)

// ErrUnknownJob: CancelJob was given an id that is not running (never was, or has ended).
var ErrUnknownJob = errors.New("no such job running")

// Job kinds.
const (
	JobImport = "import"
	JobExport = "export"
	JobOpen   = "open"
	JobDelete = "delete"
)

// Units of a job's done and total.
const (
	UnitBytes = "bytes"
	UnitRows  = "rows"
)

// progressEvery is the least time between two job:progress events of one job: often enough
// for a bar to move smoothly, rarely enough that events cost nothing beside the work.
const progressEvery = 100 * time.Millisecond

// JobStart is what a bound method that starts a job returns: its id, or Cancelled when the
// person cancelled the file dialog before anything started.
type JobStart struct {
	JobID     string `json:"jobId"`
	Kind      string `json:"kind"`
	Cancelled bool   `json:"cancelled"`
}

// JobProgress is the job:progress payload. Done never decreases; Total may be 0 while the
// total is not known yet. RatePerSec is Done per second since the job started.
type JobProgress struct {
	JobID      string  `json:"jobId"`
	Kind       string  `json:"kind"`
	Label      string  `json:"label"`
	Unit       string  `json:"unit"`
	Done       int64   `json:"done"`
	Total      int64   `json:"total"`
	RatePerSec float64 `json:"ratePerSec"`
}

// JobEnd is the job:done, job:failed and job:cancelled payload. Result is the job's result
// (ExportResult, ImportResult, SessionView, or null for a delete) on job:done; Error is the
// reason in words on job:failed.
type JobEnd struct {
	JobID  string `json:"jobId"`
	Kind   string `json:"kind"`
	Result any    `json:"result"`
	Error  string `json:"error"`
	// err is the error itself, for Go callers and tests (errors.Is).
	err error
}

// jobRun is the work of a job. report tells how far it is (done of total, in the job's
// unit); it returns the job's result.
type jobRun func(ctx context.Context, report func(done, total int64)) (any, error)

// jobRunner starts and cancels jobs.
type jobRunner struct {
	ctx     context.Context // the service's: its end cancels every job
	emitter Emitter
	now     func() time.Time

	mu      sync.Mutex
	next    uint64
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

func newJobRunner(ctx context.Context, emitter Emitter) *jobRunner {
	return &jobRunner{ctx: ctx, emitter: emitter, now: time.Now, running: map[string]context.CancelFunc{}}
}

// start runs work on its own goroutine and returns the job's id at once.
func (r *jobRunner) start(kind, label, unit string, work jobRun) JobStart {
	ctx, cancel := context.WithCancel(r.ctx)
	r.mu.Lock()
	r.next++
	id := kind + "-" + strconv.FormatUint(r.next, 10)
	r.running[id] = cancel
	r.wg.Add(1)
	r.mu.Unlock()
	ctx = context.WithValue(ctx, jobIDKey{}, id)
	go func() {
		defer r.wg.Done()
		defer cancel()
		p := &progressReporter{emitter: r.emitter, now: r.now, started: r.now(),
			ev: JobProgress{JobID: id, Kind: kind, Label: label, Unit: unit}}
		p.send() // 0 of unknown: the bar shows at once
		result, err := work(ctx, p.report)
		p.flush()
		r.mu.Lock()
		delete(r.running, id)
		r.mu.Unlock()
		end := JobEnd{JobID: id, Kind: kind}
		switch {
		case err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled):
			r.emitter.Emit(EventJobCancelled, end)
		case err != nil:
			end.Error, end.err = err.Error(), err
			r.emitter.Emit(EventJobFailed, end)
		default:
			end.Result = result
			r.emitter.Emit(EventJobDone, end)
		}
	}()
	return JobStart{JobID: id, Kind: kind}
}

// jobIDKey holds a job's id in its work's context (jobID), for work whose own events name
// the job (a trace's live figures).
type jobIDKey struct{}

// jobID is the id of the job whose work got ctx ("" outside a job).
func jobID(ctx context.Context) string {
	id, _ := ctx.Value(jobIDKey{}).(string)
	return id
}

// cancel asks a running job to stop; it ends with job:cancelled once it has undone what it
// wrote.
func (r *jobRunner) cancel(id string) error {
	r.mu.Lock()
	cancel := r.running[id]
	r.mu.Unlock()
	if cancel == nil {
		return fmt.Errorf("%w: %q", ErrUnknownJob, id)
	}
	cancel()
	return nil
}

// wait returns once every job has ended (shutdown, tests).
func (r *jobRunner) wait() { r.wg.Wait() }

// progressReporter turns report calls into job:progress events, at most one per
// progressEvery, with done kept from going backwards.
type progressReporter struct {
	emitter Emitter
	now     func() time.Time
	started time.Time
	last    time.Time
	pending bool
	ev      JobProgress
}

func (p *progressReporter) report(done, total int64) {
	p.ev.Done = max(p.ev.Done, done)
	p.ev.Total = total
	p.pending = true
	if p.now().Sub(p.last) >= progressEvery {
		p.send()
	}
}

func (p *progressReporter) flush() {
	if p.pending {
		p.send()
	}
}

func (p *progressReporter) send() {
	now := p.now()
	if secs := now.Sub(p.started).Seconds(); secs > 0 {
		p.ev.RatePerSec = float64(p.ev.Done) / secs
	}
	p.last, p.pending = now, false
	p.emitter.Emit(EventJobProgress, p.ev)
}

// CancelJob stops a running job (import, export, open, delete). What it had written is
// undone: a cancelled import stores no session, a cancelled export leaves no file, a
// cancelled delete keeps the session. An id that is not running is an error.
func (s *PingService) CancelJob(jobID string) error {
	return s.jobs.cancel(jobID)
}
