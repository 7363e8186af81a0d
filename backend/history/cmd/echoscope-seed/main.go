// Command echoscope-seed writes one finished, realistic ping session into the history
// database at DIR (the layout the app uses with ECHOSCOPE_DATA_DIR=DIR), so the history
// views can be tried and measured on a million rows without pinging for hours:
//
//	echoscope-seed -dir DIR -packets N [-target 198.18.0.1] [-loss-every K]
//
// It prints {"sessionId":..,"rows":..,"path":..} on success.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"echoscope/backend/history"
	"echoscope/backend/history/seed"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "echoscope-seed:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("echoscope-seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "data directory (as ECHOSCOPE_DATA_DIR); the database is DIR/"+history.DatabaseFile)
	packets := fs.Int("packets", 0, "number of rows to store (at least 2)")
	target := fs.String("target", seed.DefaultTarget, "the address the session pinged (no packet is sent)")
	lossEvery := fs.Int("loss-every", 0, "lose every K-th request (0: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("usage: echoscope-seed -dir DIR -packets N [-target ADDR] [-loss-every K]")
	}
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(*dir, history.DatabaseFile)})
	if err != nil {
		return err
	}
	res, err := seed.Seed(context.Background(), st, seed.Options{Rows: *packets, Target: *target, LossEvery: *lossEvery})
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", st.Path(), cerr)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(struct {
		SessionID int64  `json:"sessionId"`
		Rows      int64  `json:"rows"`
		Path      string `json:"path"`
	}{res.SessionID, res.Rows, res.Path})
}
