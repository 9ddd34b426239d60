package embedded

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// Keys and the audit log live beside the data, in files of their own:
// keys.json, rewritten whole (temporary file, then rename) under a lock of
// its own so that a long import never delays a revocation; audit.jsonl,
// one JSON object per line, only ever appended to.
const (
	keysName     = "keys.json"
	keysLockName = "KEYS.LOCK"
	auditName    = "audit.jsonl"
)

var _ access.Keyring = (*Store)(nil)

// AddKey stores a new key.
func (s *Store) AddKey(ctx context.Context, k access.Key) error {
	return s.editKeys(ctx, func(keys []access.Key) ([]access.Key, error) {
		if slices.ContainsFunc(keys, func(o access.Key) bool { return o.ID == k.ID }) {
			return nil, fmt.Errorf("embedded: key %s already stored", k.ID)
		}
		return append(keys, k), nil
	})
}

// RevokeKey marks a key revoked.
func (s *Store) RevokeKey(ctx context.Context, id string) error {
	return s.editKeys(ctx, func(keys []access.Key) ([]access.Key, error) {
		i := slices.IndexFunc(keys, func(k access.Key) bool { return k.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("embedded: revoke %q: %w", id, access.ErrUnknownKey)
		}
		if keys[i].Revoked == nil {
			now := time.Now().UTC().Truncate(time.Microsecond)
			keys[i].Revoked = &now
		}
		return keys, nil
	})
}

// Keys lists every key by creation time.
func (s *Store) Keys(ctx context.Context) ([]access.Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return readKeys(filepath.Join(s.dir, keysName))
}

func readKeys(path string) ([]access.Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("embedded: read keys: %w", err)
	}
	var keys []access.Key
	if err := json.Unmarshal(b, &keys); err != nil {
		return nil, fmt.Errorf("embedded: %s is damaged: %w", path, err)
	}
	return keys, nil
}

// editKeys rewrites keys.json with what edit makes of it, holding the
// keys lock so that two processes' edits never lose one another.
func (s *Store) editKeys(ctx context.Context, edit func([]access.Key) ([]access.Key, error)) error {
	unlock, err := lockFile(ctx, s.dir, keysLockName)
	if err != nil {
		return fmt.Errorf("embedded: keys: %w", err)
	}
	defer unlock()
	path := filepath.Join(s.dir, keysName)
	keys, err := readKeys(path)
	if err != nil {
		return err
	}
	keys, err = edit(keys)
	if err != nil {
		return err
	}
	slices.SortStableFunc(keys, func(a, b access.Key) int { return a.Created.Compare(b.Created) })
	b, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return fmt.Errorf("embedded: encode keys: %w", err)
	}
	// Readable like the data: the file holds hashes of 256-bit secrets,
	// which give nothing to guess from, and the serving process may run as
	// another user.
	if err := writeFileAtomic(s.dir, keysName, append(b, '\n')); err != nil {
		return fmt.Errorf("embedded: keys: %w", err)
	}
	return nil
}

// Audit appends entries to audit.jsonl in one write. O_APPEND makes each
// write land at the end even with other processes appending; the file is
// never opened for anything but appending and reading.
func (s *Store) Audit(ctx context.Context, entries ...access.Entry) error {
	if len(entries) == 0 {
		return ctx.Err()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range entries {
		e.Time = e.Time.UTC()
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("embedded: encode audit entry: %w", err)
		}
	}
	f, err := os.OpenFile(filepath.Join(s.dir, auditName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("embedded: open the audit log: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("embedded: append to the audit log: %w", err)
	}
	return f.Close()
}

// AuditLog reads the entries at or after since. A line that does not
// parse (a write cut short by a crash) is skipped, not fatal: the lines
// around it are still the record.
func (s *Store) AuditLog(ctx context.Context, since time.Time) ([]access.Entry, error) {
	f, err := os.Open(filepath.Join(s.dir, auditName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("embedded: open the audit log: %w", err)
	}
	defer f.Close()
	var out []access.Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var e access.Entry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			s.log.Warn("embedded store: skipping a damaged audit line")
			continue
		}
		if !e.Time.Before(since) {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("embedded: read the audit log: %w", err)
	}
	slices.SortStableFunc(out, func(a, b access.Entry) int { return a.Time.Compare(b.Time) })
	return out, nil
}
