package service

import (
	"context"
	"errors"
	"testing"
	"time"
)

// jobDeadline is a failure deadline for a job to end, not a timing assertion.
const jobDeadline = 2 * time.Minute

// awaitJob waits for the job's end event on the service's recorder.
func awaitJob(t testing.TB, svc *PingService, start JobStart) jobEnded {
	t.Helper()
	rec := svc.cfg.Emitter.(*recorder)
	deadline := time.After(jobDeadline)
	for {
		rec.mu.Lock()
		e, ok := rec.jobEnds[start.JobID]
		rec.mu.Unlock()
		if ok {
			return e
		}
		select {
		case <-rec.jobEndCh:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("job %s did not end within %v", start.JobID, jobDeadline)
		}
	}
}

// jobProgress is the job:progress events of one job, in order.
func jobProgress(svc *PingService, id string) []JobProgress {
	rec := svc.cfg.Emitter.(*recorder)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []JobProgress
	for _, p := range rec.progress {
		if p.JobID == id {
			out = append(out, p)
		}
	}
	return out
}

// jobResult runs a started job to its end: its result, or its error (a cancelled job's is
// context.Canceled).
func jobResult[T any](t testing.TB, svc *PingService, start JobStart, err error) (T, error) {
	t.Helper()
	var zero T
	if err != nil {
		return zero, err
	}
	e := awaitJob(t, svc, start)
	switch e.name {
	case EventJobDone:
		if e.end.Result == nil {
			return zero, nil
		}
		return e.end.Result.(T), nil
	case EventJobCancelled:
		return zero, context.Canceled
	default:
		if e.end.err == nil {
			return zero, errors.New(e.end.Error)
		}
		return zero, e.end.err
	}
}

// exportNow is ExportSession through its dialog, waited for to the end.
func (s *PingService) exportNow(t testing.TB, sessionID, format string) (ExportResult, error) {
	t.Helper()
	start, err := s.ExportSession(sessionID, format)
	if err == nil && start.Cancelled {
		return ExportResult{Cancelled: true, Format: format}, nil
	}
	return jobResult[ExportResult](t, s, start, err)
}

// importNow is ImportCapture through its dialog, waited for to the end.
func (s *PingService) importNow(t testing.TB) (ImportResult, error) {
	t.Helper()
	start, err := s.ImportCapture()
	if err == nil && start.Cancelled {
		return ImportResult{Cancelled: true, Warnings: []string{}}, nil
	}
	return jobResult[ImportResult](t, s, start, err)
}

// openNow is OpenSession waited for to the end.
func (s *PingService) openNow(t testing.TB, sessionID string) (SessionView, error) {
	t.Helper()
	start, err := s.OpenSession(sessionID)
	return jobResult[SessionView](t, s, start, err)
}

// deleteNow is DeleteSession waited for to the end.
func (s *PingService) deleteNow(t testing.TB, sessionID string) error {
	t.Helper()
	start, err := s.DeleteSession(sessionID)
	_, err = jobResult[any](t, s, start, err)
	return err
}
