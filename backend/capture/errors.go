package capture

import (
	"errors"
	"fmt"
)

var (
	// ErrBadFile: the file is not a capture this package reads, or it is damaged; the
	// message names the byte offset and what was wrong.
	ErrBadFile = errors.New("bad capture file")
	// ErrTruncated: the file ends inside a header or record (a capture copied while being
	// written, a download that broke off). It also matches ErrBadFile. Every record
	// before the cut has been read.
	ErrTruncated = errors.New("capture cut short")
)

// formatErr is a damaged or unsupported file, at offset.
func formatErr(offset int64, format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", ErrBadFile, offset, fmt.Sprintf(format, args...))
}

// truncatedErr: the file ends inside a header or record that starts at offset.
func truncatedErr(offset int64, format string, args ...any) error {
	return &TruncatedError{Offset: offset, Detail: fmt.Sprintf(format, args...)}
}

// TruncatedError says where a capture was cut short.
type TruncatedError struct {
	// Offset is the byte where the incomplete header or record starts: everything before
	// it was read.
	Offset int64
	Detail string
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("%s: truncated at byte %d: %s", ErrBadFile, e.Offset, e.Detail)
}

func (e *TruncatedError) Is(target error) bool { return target == ErrBadFile || target == ErrTruncated }
