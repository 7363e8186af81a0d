package service

import (
	"fmt"

	"echoscope/backend/wire"
)

// Decode decodes a packet pasted as text (hex, a tool's hex dump, a byte array: see
// wire.ParsePasted) with backend/wire, the same codec the frontend runs as WebAssembly.
// Unreadable text rejects the promise with the parser's message; a packet that cannot be
// decoded comes back as a Report with Error set. Input says how the text was read.
func (s *AppService) Decode(text string) (wire.Report, error) {
	pasted, err := wire.ParsePasted(text, wire.PasteOptions{})
	if err != nil {
		return wire.Report{}, fmt.Errorf("decode: %w", err)
	}
	r := wire.Decode(pasted.Bytes, wire.Options{})
	r.Input = pasted.Describe()
	return r, nil
}
