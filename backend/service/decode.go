package service

import (
	"fmt"

	"echoscope/backend/wire"
)

// Decode decodes a packet given as hex (whitespace, ':' and 0x tolerated) with backend/wire,
// the same codec the frontend runs as WebAssembly. Bad hex rejects the promise with the
// parser's message; a packet that cannot be decoded comes back as a Report with Error set.
func (s *AppService) Decode(hexText string) (wire.Report, error) {
	b, err := wire.ParseHex(hexText)
	if err != nil {
		return wire.Report{}, fmt.Errorf("decode: %w", err)
	}
	return wire.Decode(b, wire.Options{}), nil
}
