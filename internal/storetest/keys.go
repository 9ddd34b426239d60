package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
)

func keyring(t *testing.T, st geo.Store) access.Keyring {
	t.Helper()
	kr, ok := st.(access.Keyring)
	if !ok {
		t.Fatalf("%T keeps no keys (not an access.Keyring)", st)
	}
	return kr
}

// testKeyring checks keys and the audit log: what one instance writes
// another (a second process) reads, revocation sticks, the log only
// grows and concurrent appends lose nothing.
func testKeyring(t *testing.T, open Opener) {
	ctx := context.Background()
	st, reopen := open(t)
	kr := keyring(t, st)

	if keys, err := kr.Keys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("fresh store keys = %v, %v; want none", keys, err)
	}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	a, tokA, err := access.NewKey("Analyst A", access.Analyst, t0)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := access.NewKey("Partner B", access.Partner, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []access.Key{b, a} {
		if err := kr.AddKey(ctx, k); err != nil {
			t.Fatalf("add key %s: %v", k.Name, err)
		}
	}
	if err := kr.AddKey(ctx, a); err == nil {
		t.Error("adding a key id twice succeeded")
	}

	other := keyring(t, reopen())
	keys, err := other.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].ID != a.ID || keys[1].ID != b.ID {
		t.Fatalf("keys from another instance = %+v; want A then B (by creation)", keys)
	}
	if keys[0].Role != access.Analyst || keys[0].Name != "Analyst A" || !keys[0].Created.Equal(t0) || !keys[0].Active() {
		t.Errorf("stored key = %+v", keys[0])
	}
	_, secret, _ := access.SplitToken(tokA)
	if !keys[0].Matches(secret) || keys[1].Matches(secret) {
		t.Error("stored hash does not match the token's secret, or matches another key's")
	}

	if err := other.RevokeKey(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	first := revokedAt(t, kr, a.ID)
	if first == nil {
		t.Fatal("revocation by another instance not seen")
	}
	if err := kr.RevokeKey(ctx, a.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if again := revokedAt(t, kr, a.ID); again == nil || !again.Equal(*first) {
		t.Errorf("second revocation moved the time: %v then %v", first, again)
	}
	if err := kr.RevokeKey(ctx, "0000000000000000"); !errors.Is(err, access.ErrUnknownKey) {
		t.Errorf("revoke unknown id: %v; want ErrUnknownKey", err)
	}
	testAudit(t, kr, other)
}

func revokedAt(t *testing.T, kr access.Keyring, id string) *time.Time {
	t.Helper()
	keys, err := kr.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.ID == id {
			return k.Revoked
		}
	}
	t.Fatalf("key %s gone", id)
	return nil
}

func testAudit(t *testing.T, kr, other access.Keyring) {
	ctx := context.Background()
	base := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	const writers, each = 8, 25
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := kr
			if w%2 == 1 {
				dst = other
			}
			for i := range each {
				e := access.Entry{Time: base.Add(time.Duration(w*each+i) * time.Second), KeyID: "k", Method: "GET", Path: "/api/v1/incidents?source=all&x=\"1\"", Rows: i}
				if err := dst.Audit(ctx, e); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	all, err := other.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers*each {
		t.Fatalf("audit log holds %d entries; want %d", len(all), writers*each)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Time.Before(all[i-1].Time) {
			t.Fatalf("audit log not oldest first at %d", i)
		}
	}
	if all[0].Path != "/api/v1/incidents?source=all&x=\"1\"" || all[0].Method != "GET" || all[0].Rows != 0 || !all[0].Time.Equal(base) {
		t.Errorf("first entry = %+v", all[0])
	}
	since := base.Add(100 * time.Second)
	later, err := kr.AuditLog(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(later) != writers*each-100 || !later[0].Time.Equal(since) {
		t.Errorf("entries since %v: %d starting %v; want %d starting at since", since, len(later), later[0].Time, writers*each-100)
	}
}
