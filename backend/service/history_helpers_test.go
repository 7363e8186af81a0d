package service

import (
	"context"
	"path/filepath"
	"testing"

	"echoscope/backend/agent"
	"echoscope/backend/history"
	"echoscope/backend/history/seed"
)

// newServiceAt is a PingService whose history is the database in dir (as the app with
// ECHOSCOPE_DATA_DIR=dir), pinging, when asked to, through the in-process raw engine.
func newServiceAt(t *testing.T, dir string) (*PingService, *recorder) {
	t.Helper()
	rec := newRecorder()
	svc := NewPingService(PingConfig{
		Emitter:   rec,
		OpenStore: storeIn(dir),
		Select: func(ctx context.Context) (agent.Engine, agent.Choice, error) {
			return agent.Select(ctx, agent.SelectConfig{HelperPath: "-"})
		},
	})
	t.Cleanup(func() { ClosePingService(svc) })
	return svc, rec
}

// seedAt stores a finished seeded session in dir's database and returns it.
func seedAt(t testing.TB, dir string, o seed.Options) seed.Result {
	t.Helper()
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := seed.Seed(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// storeIn opens the history database of data directory dir.
func storeIn(dir string) func() (*history.Store, error) {
	return func() (*history.Store, error) {
		return history.OpenWith(history.OpenOptions{Path: filepath.Join(dir, history.DatabaseFile)})
	}
}
