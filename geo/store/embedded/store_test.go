package embedded

import (
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/storetest"
)

func openTemp(t *testing.T) (geo.Store, func() geo.Store) {
	dir := t.TempDir()
	// Reopened instances poll, as a serving process does, so that they
	// see what the first one imports.
	poll := time.Duration(0)
	open := func() geo.Store {
		st, err := Open(t.Context(), dir, Options{Poll: poll})
		poll = 5 * time.Millisecond
		if err != nil {
			t.Fatalf("open %s: %v", dir, err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return open(), open
}

func TestStore(t *testing.T) { storetest.Run(t, openTemp) }
