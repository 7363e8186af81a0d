package main

import (
	"errors"
	"fmt"
)

// ErrArgument: a JavaScript caller passed arguments of the wrong type.
var ErrArgument = errors.New("wirewasm: bad arguments")

func errArgument(signature string) error {
	return fmt.Errorf("expected %s: %w", signature, ErrArgument)
}
