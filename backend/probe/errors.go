package probe

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions wrap them with %w and details; test with errors.Is.
var (
	// ErrInvalidOption: an option is out of range or contradicts another.
	ErrInvalidOption = errors.New("invalid option")
	// ErrPolicy: the option is valid but not allowed for this caller (e.g. flood as non-root).
	ErrPolicy = errors.New("not allowed for this user")
	// ErrResolve: the target name could not be resolved (or not in the forced family).
	ErrResolve = errors.New("cannot resolve target")
	// ErrPrivilegeRequired: the socket kind needs privileges this process lacks. The wrapped
	// message carries the fix for this OS (see Capabilities.Hint).
	ErrPrivilegeRequired = errors.New("privilege required")
	// ErrUnsupported: the socket kind or option does not exist on this platform.
	ErrUnsupported = errors.New("not supported on this platform")
	// ErrNoSocket: no socket kind at all could be opened (auto mode tried them all).
	ErrNoSocket = errors.New("no ICMP socket available")
	// ErrBroadcast: the target is a broadcast address and Options.Broadcast is not set.
	ErrBroadcast = errors.New("target is a broadcast address; pass the broadcast flag")
	// ErrStarted: Start or Run was called twice.
	ErrStarted = errors.New("session already started")
	// ErrClosed: the socket was closed (the session is over).
	ErrClosed = errors.New("socket closed")
)

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
}

func policyf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrPolicy}, args...)...)
}
