package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
)

// WriteJSON writes {"session": ..., "packets": [...]} with the session's statistics and
// every row (bytes in hex). Rows are streamed, so a huge session needs no big buffer.
func WriteJSON(out io.Writer, ss Session, pkts iter.Seq2[Packet, error]) (int, error) {
	bw := bufio.NewWriter(out)
	head, err := json.Marshal(ss)
	if err != nil {
		return 0, fmt.Errorf("json export: %w", err)
	}
	bw.WriteString(`{"session":`)
	bw.Write(head)
	bw.WriteString(`,"packets":[`)
	n := 0
	for p, err := range pkts {
		if err != nil {
			return n, fmt.Errorf("json export: %w", err)
		}
		row, err := json.Marshal(p)
		if err != nil {
			return n, fmt.Errorf("json export: row %d: %w", p.N, err)
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		bw.Write(row)
		n++
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("json export: %w", err)
	}
	return n, nil
}
