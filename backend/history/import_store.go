package history

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
)

// importRows is a batch of an import's rows, packed into blocks (blocks.go) by the storing
// goroutine: the judging goroutine is the import's critical path, since storing takes one
// table row per blockRows frames.
type importRows struct {
	rows []Packet
}

func newImportRows() importRows {
	return importRows{rows: make([]Packet, 0, importBatch)}
}

// batchStorer stores an import's rows in importBatch-row transactions on a goroutine of
// its own, so reading and judging the next rows (one core) overlaps with SQLite storing the
// last ones (another). At most three batches exist: the one filling, one queued, one being
// stored. Rows stay Packets until the storing goroutine packs and binds them, 1,024 at a
// time (importStmtBlocks blocks).
type batchStorer struct {
	session int64
	next    int64 // the next row's position
	filling importRows
	queue   chan importRows
	free    chan importRows
	done    chan struct{}
	mu      sync.Mutex
	err     error
	rows    int
}

func newBatchStorer(ctx context.Context, s *Store, session int64) *batchStorer {
	b := &batchStorer{session: session, filling: newImportRows(),
		queue: make(chan importRows, 1), free: make(chan importRows, 2), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		args := newImportArgs()
		for batch := range b.queue {
			if b.failed() == nil {
				err := s.storeRows(ctx, batch, args)
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
			case b.free <- importRows{rows: batch.rows[:0]}: // for add to fill again
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
func (s *Store) storeRows(ctx context.Context, batch importRows, args *importArgs) (err error) {
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
	if err = s.insertRows(ctx, conn, batch.rows, args); err != nil {
		return err
	}
	if _, err = conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit %d rows: %w", len(batch.rows), classify(err))
	}
	return nil
}

// insertRows runs the batch's INSERTs inside the open transaction (insertBlocks). They go
// to the driver directly (sql.Conn.Raw): database/sql would check each of a statement's
// values and allocate a fresh argument slice for every statement; args is reused instead,
// its ordinals set once.
func (s *Store) insertRows(ctx context.Context, conn *sql.Conn, rows []Packet, args *importArgs) error {
	// The session's foreign key is checked at COMMIT instead of at each row: an immediate
	// check makes SQLite journal each statement (see insertBlocksSQL). It is still checked:
	// a session deleted meanwhile fails the COMMIT. SQLite turns the pragma off at the end
	// of the transaction, so the pooled connection keeps its immediate checks.
	if _, err := conn.ExecContext(ctx, "PRAGMA defer_foreign_keys=ON"); err != nil {
		return fmt.Errorf("store %d rows: %w", len(rows), classify(err))
	}
	defer args.clear()
	return conn.Raw(func(dc any) error {
		st := importStmts{prep: dc}
		defer st.close()
		return st.insertBlocks(ctx, rows, args)
	})
}

// importStmts are one transaction's prepared statements: the full-size INSERT, kept for
// the transaction; a shorter last INSERT is closed at its end.
type importStmts struct {
	prep       any        // the driver's connection
	fullBlocks importStmt // importStmtBlocks blocks
	opened     []driver.Stmt
}

// importStmt is a prepared statement of an import, run by the driver's fastest way to run
// it with values (run).
type importStmt struct {
	exec  driver.StmtExecContext
	query driver.StmtQueryContext // nil when the driver has none
}

// run executes the statement with args. Through the driver's query path when it has one:
// go-sqlite3's Exec makes a cgo call (and a copy, for text and blobs) per bound value, 160
// for a statement of blocks, where its Query binds every value and takes the first step in one
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
	a := &importArgs{values: make([]any, 0, importStmtBlocks*blockValues),
		named: make([]driver.NamedValue, importStmtBlocks*blockValues)}
	for i := range a.named {
		a.named[i].Ordinal = i + 1
	}
	return a
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
