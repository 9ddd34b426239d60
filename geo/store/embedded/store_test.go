package embedded

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/storetest"
)

func openTemp(t *testing.T) (geo.Store, func() geo.Store) {
	dir := t.TempDir()
	open := func() geo.Store {
		st, err := Open(t.Context(), dir, Options{})
		if err != nil {
			t.Fatalf("open %s: %v", dir, err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return open(), open
}

func TestStore(t *testing.T) { storetest.Run(t, openTemp) }
