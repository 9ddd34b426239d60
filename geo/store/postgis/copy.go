package postgis

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/leicester-csp/hotspot/geo"
)

// copyText builds rows in COPY's text format. Encoding rows here and
// handing lib/pq whole batches, rather than one database/sql Exec per row
// with a boxed argument per column, took most of the client's time out of
// an import.
type copyText struct {
	b    []byte
	rows int
}

// str appends a text field, escaping what COPY's text format reserves.
// Fields rarely hold any of it, so they are scanned first and copied whole.
func (c *copyText) str(s string) {
	clean := true
	for i := 0; i < len(s); i++ {
		if ch := s[i]; ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t' {
			clean = false
			break
		}
	}
	if clean {
		c.b = append(c.b, s...)
		c.b = append(c.b, '\t')
		return
	}
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '\\':
			c.b = append(c.b, '\\', '\\')
		case '\n':
			c.b = append(c.b, '\\', 'n')
		case '\r':
			c.b = append(c.b, '\\', 'r')
		case '\t':
			c.b = append(c.b, '\\', 't')
		default:
			c.b = append(c.b, ch)
		}
	}
	c.b = append(c.b, '\t')
}

func (c *copyText) null() { c.b = append(c.b, '\\', 'N', '\t') }

func (c *copyText) int(v int64) {
	c.b = strconv.AppendInt(c.b, v, 10)
	c.b = append(c.b, '\t')
}

// float appends the shortest decimal that parses back to exactly v.
func (c *copyText) float(v float64) {
	c.b = strconv.AppendFloat(c.b, v, 'g', -1, 64)
	c.b = append(c.b, '\t')
}

// pointEWKB appends a Point with SRID 4326 as hex EWKB, which geometry
// input reads bit for bit.
func (c *copyText) pointEWKB(x, y float64) {
	var w [25]byte
	w[0] = 1                                         // little endian
	binary.LittleEndian.PutUint32(w[1:], 0x20000001) // Point, SRID present
	binary.LittleEndian.PutUint32(w[5:], 4326)       // SRID
	binary.LittleEndian.PutUint64(w[9:], math.Float64bits(x))
	binary.LittleEndian.PutUint64(w[17:], math.Float64bits(y))
	c.b = hex.AppendEncode(c.b, w[:])
	c.b = append(c.b, '\t')
}

// end closes the row: its last separator becomes the newline.
func (c *copyText) end() {
	c.b[len(c.b)-1] = '\n'
	c.rows++
}

func (c *copyText) reset() {
	c.b = c.b[:0]
	c.rows = 0
}

// copyDataer is lib/pq's COPY statement: it takes raw text rows.
type copyDataer interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyIn runs one COPY … FROM STDIN on conn (inside its transaction) with
// the encoded rows of data.
func copyIn(ctx context.Context, conn *sql.Conn, query string, data *copyText) error {
	if data.rows == 0 {
		return nil
	}
	return raw(conn, func(dc any) error {
		cp, err := openCopy(ctx, dc, query)
		if err != nil {
			return err
		}
		if err := cp.send(data); err != nil {
			cp.close()
			return err
		}
		return cp.close()
	})
}

// copyChunked runs one COPY … FROM STDIN on conn of n rows, row encoding
// the i-th, and sends them a few chunks at a time: a million rows'
// text (a partner run's points and cells) is never held at once.
func copyChunked(ctx context.Context, conn *sql.Conn, query string, n int, row func(c *copyText, i int)) error {
	if n == 0 {
		return nil
	}
	return raw(conn, func(dc any) error {
		cp, err := openCopy(ctx, dc, query)
		if err != nil {
			return err
		}
		var c copyText
		for i := range n {
			row(&c, i)
			if len(c.b) < 4*copyChunk && i < n-1 {
				continue
			}
			if err := cp.send(&c); err != nil {
				cp.close()
				return err
			}
			c.reset()
		}
		return cp.close()
	})
}

// raw runs f on conn's driver connection, like conn.Raw, for a conn whose
// transaction is open. When f returns driver.ErrBadConn (lib/pq's answer
// once the server has gone), conn.Raw closes the Conn, and that waits for
// every user of it to finish, the open transaction among them, which only
// ends after this returns: the import would hang for ever. So the error is
// passed on as geo.ErrUnavailable instead, without ErrBadConn in its
// chain. The connection is not lost track of: lib/pq has marked it bad,
// so the transaction's rollback fails with ErrBadConn, which closes the
// Conn then, and the pool discards it.
func raw(conn *sql.Conn, f func(dc any) error) error {
	return conn.Raw(func(dc any) error {
		err := f(dc)
		if errors.Is(err, driver.ErrBadConn) {
			return fmt.Errorf("%w: connection lost (%v)", geo.ErrUnavailable, err)
		}
		return err
	})
}

// copyStream is one COPY … FROM STDIN in progress on a driver connection;
// it must be used and closed within the conn.Raw call that opened it.
type copyStream struct {
	ctx  context.Context
	stmt driver.Stmt
	data copyDataer
}

// execRaw runs one statement without arguments on a driver connection.
func execRaw(ctx context.Context, dc any, query string) error {
	ex, ok := dc.(driver.ExecerContext)
	if !ok {
		return fmt.Errorf("driver connection %T cannot execute statements", dc)
	}
	_, err := ex.ExecContext(ctx, query, nil)
	return err
}

func openCopy(ctx context.Context, dc any, query string) (*copyStream, error) {
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("driver connection %T cannot prepare COPY", dc)
	}
	st, err := pc.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cd, ok := st.(copyDataer)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("driver statement %T does not take COPY data", st)
	}
	return &copyStream{ctx: ctx, stmt: st, data: cd}, nil
}

// copyChunk is about how much is handed to CopyData at a time: lib/pq
// appends each call to its buffer and flushes it past 63 KiB, so a whole
// batch in one call grew that buffer to the batch's size (for every COPY
// statement) and copied the batch twice, into a string and then into it.
const copyChunk = 60 << 10

// send streams the rows of t, whole rows at a time. CopyData ends what it
// is given with a newline, so each chunk goes without its last one. The
// chunks are views of t's buffer, not copies: CopyData copies what it is
// given before returning and keeps nothing of it.
func (c *copyStream) send(t *copyText) error {
	if t.rows == 0 {
		return nil
	}
	for b := t.b; len(b) > 0; {
		n := len(b)
		if n > copyChunk {
			if i := bytes.IndexByte(b[copyChunk:], '\n'); i >= 0 {
				n = copyChunk + i + 1
			}
		}
		if _, err := c.data.CopyData(c.ctx, unsafe.String(&b[0], n-1)); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// close ends the COPY and reports the server's verdict on it.
func (c *copyStream) close() error { return c.stmt.Close() }
