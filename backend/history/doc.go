// Package history is Echoscope's storage: an embedded SQLite database of ping sessions and
// every packet they sent or received, plus export (pcapng, CSV, JSON) and import (pcap,
// pcapng). Builds with cgo (the app) run C SQLite (github.com/mattn/go-sqlite3), builds
// without it modernc.org/sqlite (pure Go); driver_cgo.go and driver_purego.go are the only
// difference.
//
// Map of the API:
//   - Open / OpenOptions / DefaultDataDir: the database in the user's data directory
//     (ECHOSCOPE_DATA_DIR overrides), WAL mode, versioned migrations (schema_version).
//   - Store.BeginSession, Store.FinishSession: one row per ping session.
//   - Writer (Store.NewWriter): the engine's probe.Handler hands events to a bounded
//     channel without blocking; one goroutine stores them in batched transactions.
//     Failures (disk full, read-only, corrupt) surface as Writer.Err and a callback while
//     events keep being accepted (and counted as dropped), so pinging goes on.
//   - Queries: ListSessions (with search), Session, DeleteSession, Packets (offset paging
//     on a per-session row number, so any page of a million-row session is one index
//     seek), PacketsAfter (keyset), CountPackets, ApplyRetention (days / megabytes).
//   - Export: WritePcapng, WriteCSV, WriteJSON.
//   - Import: ImportCapture streams a pcap or pcapng file (read by backend/capture) in two
//     passes, judges its ICMP traffic with the engine's offline rules (probe.OfflineStream,
//     one per ping in it) and stores it as a session in batches, in bounded memory; a
//     context cancels it (no session is left) and ImportOptions.Progress reports bytes read.
//     ClassifyCapture does the same in memory without storing.
//
// Why a row number per session: the UI's table is virtual and asks for rows by position;
// SQL OFFSET would walk the index from the start, a stored position makes it a seek.
package history
