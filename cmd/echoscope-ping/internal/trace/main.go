package trace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"echoscope/backend/probe"
)

const prog = "echoscope-ping trace"

// Main runs `echoscope-ping trace` (args without "trace") and returns the exit code: 0 when
// the trace ran (whether or not the destination answered, as mtr), 2 on a mistake on the
// command line or a failure (an unknown host, no socket, a value out of bounds).
func Main(args []string, program string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n\n%s", prog, err, usageText)
		return 2
	}
	if cfg.help {
		fmt.Fprint(stdout, usageText)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, cfg, program, stdout, stderr)
}

func run(ctx context.Context, cfg config, program string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		if cfg.json {
			writeFailure(stdout, err)
		}
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 2
	}
	// The caller's own policy, whatever privilege this binary holds (setcap): a user gets
	// the user's bounds and sees only the answers to their own probes.
	policy := probe.PolicyForCurrentUser()
	tr, err := probe.NewTrace(ctx, cfg.opts, policy)
	if err != nil {
		return fail(err)
	}
	res, err := tr.Run(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fail(err)
	}
	if cfg.json {
		err = writeJSON(stdout, res, tr.Options(), program, cfg.jsonBytes)
	} else {
		host, _ := os.Hostname()
		err = writeReport(stdout, res, host)
		if err == nil {
			err = writeNotes(stderr, res)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return 2
	}
	return 0
}
