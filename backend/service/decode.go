package service

import "echoscope/backend/wire"

// Decode decodes a packet pasted as text (hex, a tool's hex dump, a byte array: see
// wire.ParsePasted) with backend/wire, the same codec the frontend runs as WebAssembly.
// Unreadable text rejects the promise with the parser's message in words (wire.Explain: no
// Go package name); a packet that cannot be
// decoded comes back as a Report with Error set. Input says how the text was read.
func (s *AppService) Decode(text string) (wire.Report, error) {
	pasted, err := wire.ParsePasted(text, wire.PasteOptions{})
	if err != nil {
		return wire.Report{}, &sentenceError{sentence: wire.Explain(err), wrapped: []error{err}}
	}
	r := wire.Decode(pasted.Bytes, wire.Options{})
	r.Input = pasted.Describe()
	return r, nil
}
