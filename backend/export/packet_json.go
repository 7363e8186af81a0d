package export

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// packetFields is Packet without its JSON methods.
type packetFields Packet

// packetJSON shows bytes as lowercase hex, as the decode report and the CLI's --json do,
// instead of encoding/json's base64.
type packetJSON struct {
	packetFields
	Bytes string `json:"bytes,omitempty"`
}

// MarshalJSON writes the row with its bytes in hex.
func (p Packet) MarshalJSON() ([]byte, error) {
	return json.Marshal(packetJSON{packetFields: packetFields(p), Bytes: hex.EncodeToString(p.Bytes)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Packet) UnmarshalJSON(b []byte) error {
	var j packetJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	raw, err := hex.DecodeString(j.Bytes)
	if err != nil {
		return fmt.Errorf("packet bytes: %w", err)
	}
	*p = Packet(j.packetFields)
	p.Bytes = raw
	if len(raw) == 0 {
		p.Bytes = nil
	}
	return nil
}
