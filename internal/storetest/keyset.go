package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// testKeysetPages: walking a list by keys (After), or by offsets without
// a total, gives exactly the list one large page gives, for every filter
// and both orders, with More false only on the last page.
func testKeysetPages(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(partnerFixture())})
	bb := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{0.01, 0.01}}
	filters := map[string]geo.Filter{
		"police.uk":         {Months: all()},
		"category":          {Months: all(), Categories: []string{"Anti-social behaviour", "Shoplifting"}},
		"area W1":           {Months: all(), Wards: []string{"W1"}},
		"one month":         {Months: mr("2024-02", "2024-02")},
		"all sources":       {Months: all(), Source: geo.SourceAll},
		"all sources, W2":   {Months: all(), Source: geo.SourceAll, Wards: []string{"W2"}},
		"council with flag": {Months: all(), Source: "council", Flags: geo.Flags(0).With(geo.StreetLifestyle)},
	}
	for name, f := range filters {
		for _, box := range []*orb.Bound{nil, &bb} {
			for _, newest := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/box=%v/newest=%v", name, box != nil, newest), func(t *testing.T) {
					checkKeyset(t, st, f, geo.PageRequest{BBox: box, Newest: newest})
				})
			}
		}
	}
}

func pageKeys(items []geo.StoredIncident) []geo.PageKey {
	out := make([]geo.PageKey, len(items))
	for i := range items {
		out[i] = geo.KeyOf(&items[i])
	}
	return out
}

func checkKeyset(t *testing.T, st geo.Store, f geo.Filter, base geo.PageRequest) {
	ctx := t.Context()
	whole := base
	whole.Limit = 1000
	full, err := st.Incidents(ctx, f, whole)
	if err != nil {
		t.Fatal(err)
	}
	want := pageKeys(full.Items)
	if full.Total != len(want) || full.More {
		t.Fatalf("one page: %d items, total %d, more %v", len(want), full.Total, full.More)
	}
	if !slices.IsSortedFunc(want, func(a, b geo.PageKey) int { return geo.ComparePageKeys(a, b, base.Newest) }) {
		t.Fatalf("one page is not in page order: %v", want)
	}
	for _, limit := range []int{1, 2, 5} {
		var got []geo.PageKey
		req := base
		req.Limit = limit
		for range len(want) + 2 {
			p, err := st.Incidents(ctx, f, req)
			if err != nil {
				t.Fatal(err)
			}
			if wantTotal := map[bool]int{false: full.Total, true: -1}[req.NoTotal]; p.Total != wantTotal {
				t.Fatalf("limit %d after %v: total %d, want %d", limit, req.After, p.Total, wantTotal)
			}
			got = append(got, pageKeys(p.Items)...)
			if !p.More {
				break
			}
			if len(p.Items) != limit {
				t.Fatalf("limit %d: a page of %d says more follow", limit, len(p.Items))
			}
			req.After, req.NoTotal = &got[len(got)-1], true
		}
		if !slices.Equal(got, want) {
			t.Errorf("walk by keys, limit %d:\n got %v\nwant %v", limit, got, want)
		}
		checkOffsets(t, st, f, base, limit, want)
	}
	// A tile's page (Brief, no total, the first rows; a store may read
	// it another way) and the same with the total, whole and cut short.
	for _, limit := range []int{1000, max(1, len(want)/2)} {
		for _, noTotal := range []bool{false, true} {
			brief := whole
			brief.Brief, brief.Limit, brief.NoTotal = true, limit, noTotal
			checkBrief(t, st, f, brief, full, want)
		}
	}
	if len(want) >= 4 {
		req := base
		req.Limit, req.Offset, req.After = 2, 1, &want[0]
		p, err := st.Incidents(ctx, f, req)
		if err != nil || !slices.Equal(pageKeys(p.Items), want[2:4]) || p.More != (len(want) > 4) {
			t.Errorf("after the first, offset 1: %v (more %v), %v; want %v", pageKeys(p.Items), p.More, err, want[2:4])
		}
	}
}

// checkBrief: a brief page holds the rows of the full page it starts, in
// its order, with the fields a tile shows, and says whether more follow.
func checkBrief(t *testing.T, st geo.Store, f geo.Filter, req geo.PageRequest, full geo.Page, want []geo.PageKey) {
	t.Helper()
	b, err := st.Incidents(t.Context(), f, req)
	n := min(req.Limit, len(want))
	if err != nil || !slices.Equal(pageKeys(b.Items), want[:n]) || b.More != (len(want) > req.Limit) {
		t.Errorf("brief page, limit %d, no total %v: %v (more %v), %v; want %v", req.Limit, req.NoTotal, pageKeys(b.Items), b.More, err, want[:n])
		return
	}
	for i, it := range b.Items {
		w := full.Items[i]
		if it.Category != w.Category || it.Location != w.Location || it.Outcome != w.Outcome || it.Point != w.Point ||
			it.Ward != w.Ward || it.WardName != w.WardName || it.Flags != w.Flags || it.Premises != w.Premises {
			t.Errorf("brief row %+v, want the tile's fields of %+v", it, w)
		}
	}
}

// checkOffsets walks by offsets without totals.
func checkOffsets(t *testing.T, st geo.Store, f geo.Filter, base geo.PageRequest, limit int, want []geo.PageKey) {
	var got []geo.PageKey
	for off := 0; off <= len(want); off += limit {
		req := base
		req.Limit, req.Offset, req.NoTotal = limit, off, true
		p, err := st.Incidents(t.Context(), f, req)
		if err != nil {
			t.Fatal(err)
		}
		if p.More != (off+limit < len(want)) {
			t.Errorf("offset %d limit %d of %d: more %v", off, limit, len(want), p.More)
		}
		got = append(got, pageKeys(p.Items)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk by offsets, limit %d:\n got %v\nwant %v", limit, got, want)
	}
}
