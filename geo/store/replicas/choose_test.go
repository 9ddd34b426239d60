package replicas

import (
	"context"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// fakeStandbys makes a router over n standbys that serve (never queried:
// choose only looks at their status).
func fakeStandbys(n int) (*Store, []*standby) {
	s := &Store{}
	for i := range n {
		sb := &standby{name: "standby" + string(rune('1'+i))}
		sb.st.Store(&postgis.Store{})
		setServing(sb, true)
		s.standbys = append(s.standbys, sb)
	}
	return s, s.standbys
}

func setServing(sb *standby, on bool) {
	st := geo.DatabaseStatus{Name: sb.name, Role: "standby", State: geo.DatabaseOK, Serving: on}
	if !on {
		st.State = geo.DatabaseLagging
	}
	sb.status.Store(&st)
}

func nameOf(sb *standby) string {
	if sb == nil {
		return primaryName
	}
	return sb.name
}

func TestChooseSpreadsUnpinnedReads(t *testing.T) {
	s, sbs := fakeStandbys(2)
	ctx := context.Background()
	a, _ := s.choose(ctx)
	b, _ := s.choose(ctx)
	if a == nil || b == nil || a == b {
		t.Errorf("two unpinned reads went to %s and %s, want one standby each", nameOf(a), nameOf(b))
	}
	setServing(sbs[0], false)
	for range 4 {
		if got, _ := s.choose(ctx); got != sbs[1] {
			t.Errorf("with standby1 skipped, a read went to %s", nameOf(got))
		}
	}
	setServing(sbs[1], false)
	if got, _ := s.choose(ctx); got != nil {
		t.Errorf("with every standby skipped, a read went to %s, want the primary", nameOf(got))
	}
}

// TestPinnedReadsNeverGoBack: a pinned context stays on its standby; once
// that stops serving it moves to the primary and stays there, even when
// the standby (which may be behind what was read) serves again.
func TestPinnedReadsNeverGoBack(t *testing.T) {
	s, _ := fakeStandbys(2)
	ctx := Pin(context.Background())
	first, p := s.choose(ctx)
	if first == nil || p == nil {
		t.Fatalf("first pinned read went to %s (pin %v)", nameOf(first), p)
	}
	for range 4 {
		if got, _ := s.choose(ctx); got != first {
			t.Fatalf("a pinned read moved from %s to %s", nameOf(first), nameOf(got))
		}
	}
	setServing(first, false)
	if got, _ := s.choose(ctx); got != nil {
		t.Errorf("pinned to a standby that stopped serving, a read went to %s, want the primary", nameOf(got))
	}
	setServing(first, true)
	if got, _ := s.choose(ctx); got != nil {
		t.Errorf("a read went back from the primary to %s", nameOf(got))
	}
	if got, _ := s.choose(Pin(context.Background())); got == nil {
		t.Error("a new request does not use the standbys again")
	}
}
