package history

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
)

// importStmtRows is how many rows one INSERT of an import stores: 256 x 24 = 6144 host
// parameters, within SQLite's 32766. Per statement, database/sql and the driver cost about
// as much as SQLite's work for a few rows; 256 make that negligible.
const importStmtRows = 256

// importInsertSQL inserts rows rows, lean ones (lean_rows.go) or whole ones. OR ROLLBACK: a
// constraint failure (a duplicate position) ends the whole transaction, which the import
// gives up on anyway; with ABORT, SQLite would keep a statement journal of every page each
// multi-row INSERT touches, to undo that statement alone (6 % of the import's time in the
// profile).
func importInsertSQL(rows int, lean bool) string {
	one := insertPacketSQL
	if lean {
		one = insertLeanSQL
	}
	return insertRowsSQL(strings.Replace(one, "INSERT", "INSERT OR ROLLBACK", 1), rows)
}

// importRows is a batch of an import's rows and which of them must be stored whole: the
// judging goroutine decides (isLean parses each row's bytes), the storing one only binds.
// For an import stored as blocks (blocks.go), whole is not filled: the storing goroutine
// packs the rows, isLean included (the judging goroutine is the import's critical path
// since storing takes a table row per 64 frames).
type importRows struct {
	rows  []Packet
	whole []bool
}

func newImportRows() importRows {
	return importRows{rows: make([]Packet, 0, importBatch), whole: make([]bool, 0, importBatch)}
}

// leanStatementMostWhole: a statement's rows go lean, the few whole ones among them
// completed by completeWholeSQL, while at most this many of them are whole (a loss row in
// every 100 or so of an echo capture); more (a capture of ICMP errors) and they all go in
// one whole-row statement, which then costs less than an UPDATE per row.
const leanStatementMostWhole = importStmtRows / 8

// completeWholeSQL gives a row inserted lean the columns of a whole row (the reverse of
// deriveLean: what isLean found the bytes do not give).
const completeWholeSQL = `UPDATE packets SET clock = ?, sent_clock = ?, ident = ?, includes_ip = ?,
	rtt_clocks = ?, ttl = ?, src = ?, dst = ?, icmp_type = ?, icmp_code = ?, size = ?, derived = 0
	WHERE session_id = ? AND n = ?`

// appendCompleteArgs appends p's values in completeWholeSQL's order.
func appendCompleteArgs(args []any, p *Packet) []any {
	return append(args, string(p.Time.Clock), string(p.Sent.Clock), int64(p.ID), p.IncludesIPHeader,
		p.RTTClocks, int64(p.TTL), addrText(p.From), addrText(p.To), int64(p.ICMPType),
		int64(p.ICMPCode), int64(p.Size), p.SessionID, p.N)
}

// batchStorer stores an import's rows in importBatch-row transactions on a goroutine of
// its own, so reading and judging the next rows (one core) overlaps with SQLite storing the
// last ones (another). At most three batches exist: the one filling, one queued, one being
// stored. Rows stay Packets until the storing goroutine binds them, 256 at a time: turned
// into values a whole batch ahead, they held a boxed value per column (10 MB more RSS and
// no faster).
type batchStorer struct {
	session int64
	next    int64 // the next row's position
	blocks  bool  // rows are stored as blocks (blocks.go), not as packets rows
	filling importRows
	queue   chan importRows
	free    chan importRows
	done    chan struct{}
	mu      sync.Mutex
	err     error
	rows    int
}

func newBatchStorer(ctx context.Context, s *Store, session int64, blocks bool) *batchStorer {
	b := &batchStorer{session: session, blocks: blocks, filling: newImportRows(),
		queue: make(chan importRows, 1), free: make(chan importRows, 2), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		args := newImportArgs()
		for batch := range b.queue {
			if b.failed() == nil {
				err := s.storeRows(ctx, batch, b.blocks, args)
				b.mu.Lock()
				if err != nil && b.err == nil {
					b.err = err
				} else if err == nil {
					b.rows += len(batch.rows)
				}
				b.mu.Unlock()
			}
			clear(batch.rows) // drop references to packet bytes now
			select {
			case b.free <- importRows{rows: batch.rows[:0], whole: batch.whole[:0]}: // for add to fill again
			default: // the import is closing and takes no more
			}
		}
	}()
	return b
}

func (b *batchStorer) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// add takes the next row; it returns the storing error once one happened, which stops the
// import.
func (b *batchStorer) add(p Packet) error {
	p.SessionID, p.N = b.session, b.next
	b.next++
	f := &b.filling
	f.rows = append(f.rows, p)
	if !b.blocks {
		f.whole = append(f.whole, !isLean(&p))
	}
	if len(f.rows) < importBatch {
		return nil
	}
	b.queue <- b.filling
	select {
	case b.filling = <-b.free:
	default:
		b.filling = newImportRows()
	}
	return b.failed()
}

// close stores what is left, waits for the goroutine and returns the rows stored and the
// first error.
func (b *batchStorer) close() (int, error) {
	if len(b.filling.rows) > 0 {
		b.queue <- b.filling
		b.filling = importRows{}
	}
	close(b.queue)
	<-b.done
	return b.rows, b.failed()
}

// storeRows inserts one batch in one transaction, on a connection of its own for the
// transaction's length (BEGIN, COMMIT and ROLLBACK by hand: database/sql hands a connection
// whose COMMIT failed back to the pool, and SQLite keeps a transaction open when a deferred
// constraint fails its COMMIT).
func (s *Store) storeRows(ctx context.Context, batch importRows, blocks bool, args *importArgs) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store %d rows: %w", len(batch.rows), classify(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("store %d rows: %w", len(batch.rows), classify(err))
	}
	defer func() {
		if err != nil {
			// The rollback's own error says nothing more (OR ROLLBACK may have ended the
			// transaction already); run it even when ctx is what stopped the batch.
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") //nolint:errcheck
		}
	}()
	if err = s.insertRows(ctx, conn, batch, blocks, args); err != nil {
		return err
	}
	if _, err = conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit %d rows: %w", len(batch.rows), classify(err))
	}
	return nil
}

// insertRows runs the batch's INSERTs inside the open transaction: with blocks, 16 blocks a
// statement (insertBlocks); otherwise a lean statement for
// each importStmtRows rows, followed by an UPDATE completing each of the few among them that
// must be whole (rows keep their order: ids follow positions), or one whole-row statement
// when many are. They go to the driver directly (sql.Conn.Raw): database/sql would check
// each of a statement's values and allocate a fresh argument slice for every statement;
// args is reused instead, its ordinals set once.
func (s *Store) insertRows(ctx context.Context, conn *sql.Conn, batch importRows, blocks bool, args *importArgs) error {
	rows := batch.rows
	// The session's foreign key is checked at COMMIT instead of at each row: an immediate
	// check makes SQLite journal each statement (see importInsertSQL). It is still checked:
	// a session deleted meanwhile fails the COMMIT. SQLite turns the pragma off at the end
	// of the transaction, so the pooled connection keeps its immediate checks.
	if _, err := conn.ExecContext(ctx, "PRAGMA defer_foreign_keys=ON"); err != nil {
		return fmt.Errorf("store %d rows: %w", len(batch.rows), classify(err))
	}
	defer args.clear()
	return conn.Raw(func(dc any) error {
		st := importStmts{prep: dc}
		defer st.close()
		if blocks {
			return st.insertBlocks(ctx, rows, args)
		}
		for done := 0; done < len(rows); {
			n := min(importStmtRows, len(rows)-done)
			part, whole := rows[done:done+n], batch.whole[done:done+n]
			wholes := countTrue(whole)
			lean := wholes <= leanStatementMostWhole
			stmt, err := st.insert(ctx, n, lean)
			if err == nil {
				err = stmt.run(ctx, args.of(part, lean))
			}
			if err != nil {
				return fmt.Errorf("store rows %d to %d: %w", done, done+n-1, classify(err))
			}
			if lean && wholes > 0 {
				if err := st.completeWhole(ctx, part, whole, args); err != nil {
					return fmt.Errorf("store rows %d to %d: %w", done, done+n-1, classify(err))
				}
			}
			done += n
		}
		return nil
	})
}

// importStmts are one transaction's prepared statements: the full-size INSERTs of either
// shape and the UPDATE, kept for the transaction; a shorter last INSERT is closed at its end.
type importStmts struct {
	prep       any           // the driver's connection
	full       [2]importStmt // importStmtRows rows: whole, lean
	fullBlocks importStmt    // importStmtBlocks blocks
	complete   importStmt
	opened     []driver.Stmt
}

// importStmt is a prepared statement of an import, run by the driver's fastest way to run
// it with values (run).
type importStmt struct {
	exec  driver.StmtExecContext
	query driver.StmtQueryContext // nil when the driver has none
}

// run executes the statement with args. Through the driver's query path when it has one:
// go-sqlite3's Exec makes a cgo call (and a copy, for text and blobs) per bound value, 3,328
// for a lean statement, where its Query binds every value and takes the first step in one
// cgo call (docs/benchmarks.md, "Import speed: one cgo call a statement"). An INSERT
// returns no rows: the first step is the whole statement, and closing the rows resets it.
func (s importStmt) run(ctx context.Context, args []driver.NamedValue) error {
	if s.query == nil {
		_, err := s.exec.ExecContext(ctx, args)
		return err
	}
	rows, err := s.query.QueryContext(ctx, args)
	if err != nil {
		return err
	}
	return rows.Close()
}

func (st *importStmts) prepare(ctx context.Context, query string) (importStmt, error) {
	prep, ok := st.prep.(driver.ConnPrepareContext)
	if !ok {
		return importStmt{}, fmt.Errorf("the SQLite driver's connection (%T) does not prepare statements with a context", st.prep)
	}
	stmt, err := prep.PrepareContext(ctx, query)
	if err != nil {
		return importStmt{}, err
	}
	st.opened = append(st.opened, stmt)
	exec, ok := stmt.(driver.StmtExecContext)
	if !ok {
		return importStmt{}, fmt.Errorf("the SQLite driver's statement (%T) does not execute with a context", stmt)
	}
	st2 := importStmt{exec: exec}
	if insertThroughQuery {
		st2.query, _ = stmt.(driver.StmtQueryContext)
	}
	return st2, nil
}

// insert is the INSERT of n rows of the shape.
func (st *importStmts) insert(ctx context.Context, n int, lean bool) (importStmt, error) {
	shape := 0
	if lean {
		shape = 1
	}
	if n == importStmtRows && st.full[shape].exec != nil {
		return st.full[shape], nil
	}
	stmt, err := st.prepare(ctx, importInsertSQL(n, lean))
	if err == nil && n == importStmtRows {
		st.full[shape] = stmt
	}
	return stmt, err
}

// importStmtBlocks is how many blocks one INSERT of an import stores (160 values).
const importStmtBlocks = 16

// insertBlocks packs rows (a batch: its first position a multiple of blockRows, as
// importBatch is) as blocks and runs their INSERTs inside the open transaction.
func (st *importStmts) insertBlocks(ctx context.Context, rows []Packet, args *importArgs) error {
	for done := 0; done < len(rows); {
		n := min(importStmtBlocks*blockRows, len(rows)-done)
		blocks := (n + blockRows - 1) / blockRows
		stmt := st.fullBlocks
		var err error
		if blocks != importStmtBlocks || stmt.exec == nil {
			stmt, err = st.prepare(ctx, insertBlocksSQL(blocks))
			if err == nil && blocks == importStmtBlocks {
				st.fullBlocks = stmt
			}
		}
		if err == nil {
			err = stmt.run(ctx, args.blocks(rows[done:done+n]))
		}
		if err != nil {
			return fmt.Errorf("store blocks of rows %d to %d: %w", rows[done].N, rows[done+n-1].N, classify(err))
		}
		done += n
	}
	return nil
}

// completeWhole runs completeWholeSQL for the rows of part marked whole.
func (st *importStmts) completeWhole(ctx context.Context, part []Packet, whole []bool, args *importArgs) error {
	if st.complete.exec == nil {
		var err error
		if st.complete, err = st.prepare(ctx, completeWholeSQL); err != nil {
			return err
		}
	}
	for i := range part {
		if !whole[i] {
			continue
		}
		if err := st.complete.run(ctx, args.complete(&part[i])); err != nil {
			return err
		}
	}
	return nil
}

func (st *importStmts) close() {
	for _, s := range st.opened {
		s.Close() //nolint:errcheck // nothing to do about a statement that does not close
	}
}

// importArgs holds one statement's values as the driver takes them, reused from statement
// to statement.
type importArgs struct {
	values []any
	named  []driver.NamedValue
	packed [importStmtBlocks]packedBlock // the blocks of a statement, their buffers reused
}

func newImportArgs() *importArgs {
	a := &importArgs{values: make([]any, 0, importStmtRows*packetColumnCount),
		named: make([]driver.NamedValue, importStmtRows*packetColumnCount)}
	for i := range a.named {
		a.named[i].Ordinal = i + 1
	}
	return a
}

// of returns rows' values in insertLeanSQL's or insertPacketSQL's order, numbered from 1.
func (a *importArgs) of(rows []Packet, lean bool) []driver.NamedValue {
	a.values = a.values[:0]
	for i := range rows {
		if lean {
			a.values = appendLeanArgs(a.values, &rows[i])
		} else {
			a.values = appendPacketArgs(a.values, &rows[i])
		}
	}
	return a.bind()
}

// blocks packs rows as consecutive blocks of blockRows (the last may be shorter) and
// returns their values in blockColumns' order, numbered from 1.
func (a *importArgs) blocks(rows []Packet) []driver.NamedValue {
	a.values = a.values[:0]
	for i, k := 0, 0; i < len(rows); i, k = i+blockRows, k+1 {
		part := rows[i:min(i+blockRows, len(rows))]
		a.packed[k] = packBlock(a.packed[k], part)
		a.values = appendBlockArgs(a.values, part[0].SessionID, part[0].N, &a.packed[k])
	}
	return a.bind()
}

// complete returns p's values for completeWholeSQL, numbered from 1.
func (a *importArgs) complete(p *Packet) []driver.NamedValue {
	a.values = appendCompleteArgs(a.values[:0], p)
	return a.bind()
}

// bind hands a.values to the driver as its numbered values.
func (a *importArgs) bind() []driver.NamedValue {
	named := a.named[:len(a.values)]
	for i, v := range a.values {
		named[i].Value = v
	}
	return named
}

// clear drops the references to the last statement's values (packet bytes among them), as
// the storer drops its batch.
func (a *importArgs) clear() {
	clear(a.values)
	a.values = a.values[:0]
	for i := range a.named {
		a.named[i].Value = nil
	}
}

// countTrue is how many of v are true.
func countTrue(v []bool) int {
	n := 0
	for _, b := range v {
		if b {
			n++
		}
	}
	return n
}
