// Package e2e holds end-to-end tests of the built echoscope-ping binary: the ping command on
// loopback and on test hosts, --json bytes fed back to `echoscope-ping decode`, exit codes,
// SIGINT, and the privilege paths (as nobody, with and without CAP_NET_RAW, and with
// ping_group_range opened inside a network namespace). It has no code of its own.
package e2e
