package api

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// Cursors (after=) are where an incident page continues: the last
// incident's month, ID and source, and the order they belong to. They are
// opaque to clients so that the key may change shape: a version letter,
// then base64url of
//
//	flags (bit 0: newest first) | month uvarint | ID | source | CRC-32
//
// with ID and source length-prefixed (uvarint). The checksum makes an
// edited or truncated cursor a 400 rather than a page from somewhere
// else; a cursor is a place in a public order, not a secret, so nothing
// stronger is needed.

const (
	cursorVersion = "1"
	// maxCursor bounds what is decoded: IDs and sources are short.
	maxCursor = 1024
	// Months outside these years hold no incident (imports refuse them).
	minCursorMonth = geo.Month(1000 * 12)
	maxCursorMonth = geo.Month(10000 * 12)
)

// encodeCursor spells the place just past key in the given order.
func encodeCursor(key geo.PageKey, newest bool) string {
	b := make([]byte, 0, 16+len(key.ID)+len(key.Source))
	var flags byte
	if newest {
		flags = 1
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(key.Month))
	b = binary.AppendUvarint(b, uint64(len(key.ID)))
	b = append(b, key.ID...)
	b = binary.AppendUvarint(b, uint64(len(key.Source)))
	b = append(b, key.Source...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return cursorVersion + base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads an after= value; anything but a cursor this server
// made (or an equal one) is a 400 naming after.
func decodeCursor(v string) (geo.PageKey, bool, error) {
	bad := func(why string) (geo.PageKey, bool, error) {
		return geo.PageKey{}, false, badParam("after", "after is not a cursor from a next link (%s): start again without after", why)
	}
	body, ok := strings.CutPrefix(v, cursorVersion)
	if !ok || len(v) > maxCursor {
		return bad("unknown version or too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(b) < 5 {
		return bad("not base64url")
	}
	payload, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(payload) != sum {
		return bad("checksum mismatch")
	}
	flags, rest := payload[0], payload[1:]
	month, rest, ok1 := uvarint(rest)
	id, rest, ok2 := lenPrefixed(rest)
	src, rest, ok3 := lenPrefixed(rest)
	switch {
	case !ok1 || !ok2 || !ok3 || len(rest) != 0 || flags > 1:
		return bad("malformed")
	case geo.Month(month) < minCursorMonth || geo.Month(month) > maxCursorMonth:
		return bad("month out of range")
	case id == "" || !isText(id) || !isText(src):
		return bad("bad ID or source")
	}
	return geo.PageKey{Month: geo.Month(month), ID: id, Source: src}, flags == 1, nil
}

func uvarint(b []byte) (uint64, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, b, false
	}
	return n, b[k:], true
}

func lenPrefixed(b []byte) (string, []byte, bool) {
	n, rest, ok := uvarint(b)
	if !ok || n > uint64(len(rest)) {
		return "", b, false
	}
	return string(rest[:n]), rest[n:], true
}
