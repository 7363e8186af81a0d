package cli

import (
	"runtime"

	"echoscope/backend/probe"
)

// prepareQuietFlood sets a session up for `echoscope-ping -f -q` without --json or a
// recording, where nothing is printed per packet, the way iputils runs its quiet flood:
//
//   - the engine only counts (probe.Session.StatisticsOnly): every reply is still classified
//     and counted exactly, but no event is built for it; SIGQUIT asks the engine for its
//     statistics (as it does for every session);
//   - sends are timed in user space just before sendto, as iputils times them, instead of
//     by the kernel's TX timestamp (probe.Session.UserSendTimes): no packet clone into the
//     error queue per send and no error-queue reads; RTTs are user/kernel-rx;
//   - one P: the goroutine that does all the work yields now and then (see the engine's
//     direct loop); with a second P each yield wakes another thread, which takes the
//     goroutine over: a futex, a context switch and often a move to the other CPU.
//
// Call it before Start (the socket's options are set when it opens). It returns the
// function that puts GOMAXPROCS back.
func prepareQuietFlood(sess *probe.Session) (restore func()) {
	sess.StatisticsOnly()
	sess.UserSendTimes()
	prev := runtime.GOMAXPROCS(1)
	return func() { runtime.GOMAXPROCS(prev) }
}
