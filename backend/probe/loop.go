package probe

import (
	"context"
	"errors"
)

// run is the engine loop (filled in next).
func (s *Session) run(ctx context.Context) (Summary, error) {
	return Summary{}, errors.New("probe: engine loop not written yet")
}
