package wire

// The classic textbook example this project grew from (a Go program that writes an 8-byte
// echo request, identifier 13, sequence 37, to an ip4:icmp socket) computes its checksum
// with the function below. It is kept here, bug and all, as a teaching aid for the Packet
// Lab: it must never be used to build a packet meant to be answered.

// ClassicExampleChecksum is the classic example's checksum, reproduced exactly:
//
//	sum := 0
//	for n := 1; n < len(msg)-1; n += 2 {
//		sum += int(msg[n])*256 + int(msg[n+1])
//	}
//	sum = (sum >> 16) + (sum & 0xffff)
//	sum += (sum >> 16)
//	return uint16(^sum)
//
// The loop starts at byte 1, so it pairs byte 1 with byte 2, byte 3 with byte 4, and so on:
// the type byte (0) is never read, and for an even length the last byte is not read
// either. For the example's own packet (checksum field 0) it gives 0xF2FF; RFC 1071 gives
// 0xF7CD (see Checksum). Call it with the checksum field zeroed, as the example did.
func ClassicExampleChecksum(msg []byte) uint16 {
	sum := 0
	for n := 1; n < len(msg)-1; n += 2 {
		sum += int(msg[n])*256 + int(msg[n+1])
	}
	sum = (sum >> 16) + (sum & 0xffff)
	sum += (sum >> 16)
	return uint16(^sum)
}

// ClassicStep is one word the classic loop adds: the bytes at High and High+1.
type ClassicStep struct {
	High int    `json:"high"` // offset of the byte taken as the high half (always odd)
	Word uint16 `json:"word"`
	Sum  int    `json:"sum"` // the running sum after this word, unfolded as the example keeps it
}

// ClassicTrace is ClassicExampleChecksum worked step by step, for the Lab's side-by-side
// walkthrough.
type ClassicTrace struct {
	Steps []ClassicStep `json:"steps"`
	// Unread lists the offsets of the bytes the loop never reads: always byte 0, and the
	// last byte when the length is even.
	Unread []int `json:"unread"`
	// Folded is the sum after the example's two folding lines; Result its complement.
	Folded uint16 `json:"folded"`
	Result uint16 `json:"result"`
}

// TraceClassicExampleChecksum works out ClassicExampleChecksum(msg) step by step; its
// Result always equals ClassicExampleChecksum(msg).
func TraceClassicExampleChecksum(msg []byte) ClassicTrace {
	t := ClassicTrace{Steps: []ClassicStep{}, Unread: []int{}}
	read := make([]bool, len(msg))
	sum := 0
	for n := 1; n < len(msg)-1; n += 2 {
		w := int(msg[n])*256 + int(msg[n+1])
		sum += w
		read[n], read[n+1] = true, true
		t.Steps = append(t.Steps, ClassicStep{High: n, Word: uint16(w), Sum: sum})
	}
	for i, r := range read {
		if !r {
			t.Unread = append(t.Unread, i)
		}
	}
	sum = (sum >> 16) + (sum & 0xffff)
	sum += (sum >> 16)
	t.Folded = uint16(sum)
	t.Result = uint16(^sum)
	return t
}
