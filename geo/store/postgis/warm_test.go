package postgis

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// A serving store's connections have planned against every month before
// Open returns: planning a tile's query for the latest month on one of
// them reads a fraction of the catalogue pages a fresh connection reads,
// and the warmed connections wait in the pool. Close stops the warmer.
func TestWarmConnections(t *testing.T) {
	url := testURL(t)
	schema := freshSchema(t, url)
	st := openTest(t, url, Options{Schema: schema})
	ctx := t.Context()
	jan := geo.NewMonth(2024, 1)
	p := orb.Point{0.5, 0.5}
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{unitWard("W1", 0)}, Rows: rowsOf(
		incident("a", jan, "Drugs", &p), incident("b", jan+1, "Drugs", &p), incident("c", jan+2, "Theft", &p),
	)}); err != nil {
		t.Fatal(err)
	}
	cold := openTest(t, url, Options{Schema: schema})
	warm := openTest(t, url, Options{Schema: schema, WarmConns: 3})
	if idle := warm.db.Stats().Idle; idle < 3 {
		t.Errorf("%d idle connections after a warm open, want the 3 warmed", idle)
	}

	coldBlocks := planningBlocks(t, cold, jan+2)
	warmBlocks := planningBlocks(t, warm, jan+2)
	t.Logf("planning the latest month's tile query read %d catalogue blocks cold, %d warm", coldBlocks, warmBlocks)
	if coldBlocks == 0 || warmBlocks*4 > coldBlocks {
		t.Errorf("planning read %d blocks on a warmed connection against %d on a fresh one: not warmed", warmBlocks, coldBlocks)
	}

	if err := warm.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-warm.warmer.done:
	default:
		t.Error("the warmer still runs after Close")
	}
	if cold.warmer != nil {
		t.Error("a store opened without WarmConns started a warmer")
	}
}

// planningBlocks plans a dense tile's month query on a connection of st's
// pool (EXPLAIN ANALYZE, BUFFERS) and returns the shared blocks its
// planning touched: catalogue pages a backend reads until it has them
// cached.
func planningBlocks(t *testing.T, st *Store, m geo.Month) int {
	t.Helper()
	ctx := t.Context()
	c, err := st.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := geo.Filter{Months: geo.MonthRange{From: m - 2, To: m}}
	box := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}
	args := append(ukArgs(f, geo.PageRequest{BBox: &box})[:9:9], int32(m), "", 100, 0)
	var out string
	if err := c.QueryRowContext(context.WithoutCancel(ctx), "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+st.q(sqlIncidentsMonthBrief), args...).Scan(&out); err != nil {
		t.Fatal(err)
	}
	var plan []struct {
		Planning struct {
			Hit  int `json:"Shared Hit Blocks"`
			Read int `json:"Shared Read Blocks"`
		}
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || len(plan) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	return plan[0].Planning.Hit + plan[0].Planning.Read
}
