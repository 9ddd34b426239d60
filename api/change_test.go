package api

import (
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/leicester-csp/hotspot/geo/hex"
)

// refChangeP is the exact test by integer summation, independent of
// geo/stats: 2·Σ_{i ≤ min(a,b)} C(n, i) / 2^n, at most 1.
func refChangeP(a, b int) float64 {
	n, k := a+b, min(a, b)
	sum, c := new(big.Int), big.NewInt(1)
	for i := 0; i <= k; i++ {
		if i > 0 {
			c.Mul(c, big.NewInt(int64(n-i+1)))
			c.Quo(c, big.NewInt(int64(i)))
		}
		sum.Add(sum, c)
	}
	f, _ := new(big.Rat).SetFrac(new(big.Int).Lsh(sum, 1), new(big.Int).Lsh(big.NewInt(1), uint(n))).Float64()
	return min(f, 1)
}

// refBins is BH by its definition, adj_i = min over p_j ≥ p_i of
// p_j·m/rank_j (capped at 1), binned at 0.01/0.05/0.10 and signed.
func refBins(p []float64, delta []int) []int {
	var ps []float64
	for _, v := range p {
		if !math.IsNaN(v) {
			ps = append(ps, v)
		}
	}
	sort.Float64s(ps)
	m := float64(len(ps))
	out := make([]int, len(p))
	for i, v := range p {
		if math.IsNaN(v) || delta[i] == 0 {
			continue
		}
		adj := 1.0
		for r, q := range ps {
			// Ties take the highest rank, as a running minimum does.
			if q >= v && (r+1 == len(ps) || ps[r+1] != q) {
				adj = min(adj, q*m/float64(r+1))
			}
		}
		level := 0
		switch {
		case adj <= 0.01:
			level = 3
		case adj <= 0.05:
			level = 2
		case adj <= 0.10:
			level = 1
		}
		if delta[i] < 0 {
			level = -level
		}
		out[i] = level
	}
	return out
}

// cellCounts counts the fixture's counted incidents per cell at res.
func (e expected) cellCounts(res int) map[string]int {
	out := map[string]int{}
	for _, l := range fixtureIncidents() {
		if e.match(l) && e.inArea(l) {
			out[hex.String(hex.CellAt(l.Point, res))]++
		}
	}
	return out
}

func TestChangeLayer(t *testing.T) {
	f := newFixture(t)
	props := []string{"h3", "count", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to"}
	for _, tc := range []struct {
		name, query string
		cur, base   expected
		complete    bool
	}{
		{"previous", "from=2023-08&to=2024-03&res=9", expected{from: "2023-08", to: "2024-03"}, expected{from: "2022-12", to: "2023-07"}, true},
		{"year", "from=2024-01&to=2024-03&res=10&compare=year", expected{from: "2024-01", to: "2024-03"}, expected{from: "2023-01", to: "2023-03"}, true},
		{"previous explicit, asb", "from=2023-10&to=2024-03&compare=previous&priority=asb", expected{from: "2023-10", to: "2024-03", cats: asbCats}, expected{from: "2023-04", to: "2023-09", cats: asbCats}, true},
		{"five months", "from=2023-11&to=2024-03&res=9", expected{from: "2023-11", to: "2024-03"}, expected{from: "2023-06", to: "2023-10"}, true},
		// The fixture starts in 2022-12: a base from 2022-08 is partial.
		{"base partly before the data", "from=2023-01&to=2023-05&res=9", expected{from: "2023-01", to: "2023-05"}, expected{from: "2022-08", to: "2022-12"}, false},
		{"year before the data", "from=2023-06&to=2024-03&compare=year", expected{from: "2023-06", to: "2024-03"}, expected{from: "2022-06", to: "2023-03"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := f.getJSON(t, "/api/v1/hotspots/change?"+tc.query, http.StatusOK)
			feats, meta := checkCollection(t, fc, props)
			if meta["previous_from"] != tc.base.from || meta["previous_to"] != tc.base.to || meta["previous_complete"] != tc.complete {
				t.Errorf("base %v…%v complete %v, want %s…%s %v", meta["previous_from"], meta["previous_to"], meta["previous_complete"], tc.base.from, tc.base.to, tc.complete)
			}
			res := int(num(t, meta["res"]))
			if meta["compare"] == nil || int(num(t, meta["cells"])) != len(feats) {
				t.Errorf("meta %v", meta)
			}
			cur, base := tc.cur.cellCounts(res), tc.base.cellCounts(res)
			var ps []float64
			var deltas []int
			var got []int
			total := 0
			for _, ft := range feats {
				ring(t, ft, "Polygon")
				p := obj(t, ft["properties"])
				h := p["h3"].(string)
				c, b := int(num(t, p["count"])), int(num(t, p["prev_count"]))
				total += c
				if c != cur[h] || b != base[h] {
					t.Errorf("%s: count %d prev %d, want %d %d", h, c, b, cur[h], base[h])
				}
				wantP := math.NaN()
				if tc.complete && c+b > 0 {
					wantP = refChangeP(c, b)
				}
				switch {
				case math.IsNaN(wantP) && p["change_p"] != nil:
					t.Errorf("%s: change_p %v, want null", h, p["change_p"])
				case !math.IsNaN(wantP) && (p["change_p"] == nil || math.Abs(num(t, p["change_p"])-wantP) > 1e-13):
					t.Errorf("%s: change_p %v, want %v", h, p["change_p"], wantP)
				}
				if b == 0 && p["change_pct"] != nil || b > 0 && math.Abs(num(t, p["change_pct"])-float64(c-b)*100/float64(b)) > 1e-9 {
					t.Errorf("%s: change_pct %v", h, p["change_pct"])
				}
				ps, deltas, got = append(ps, wantP), append(deltas, c-b), append(got, int(num(t, p["change_bin"])))
			}
			if want := refBins(ps, deltas); !slices.Equal(got, want) {
				t.Errorf("bins %v, want %v", got, want)
			}
			n, _ := tc.cur.counted()
			if total != n {
				t.Errorf("counted %d, want %d", total, n)
			}
		})
	}
}

// TestChangeBBoxKeepsFDR: a bbox selects cells and wards but the FDR
// runs over all of them first, so the bins of the selected are unchanged.
func TestChangeBBoxKeepsFDR(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/api/v1/hotspots/change?from=2023-08&to=2024-03&res=10", "/api/v1/hotspots/wards?from=2023-08&to=2024-03"} {
		all := f.getJSON(t, path, http.StatusOK)
		some := f.getJSON(t, path+"&bbox=-1.1355,52.6325,-1.1345,52.6335", http.StatusOK)
		bins := map[string]any{}
		for _, ft := range arr(t, all["features"]) {
			p := obj(t, obj(t, ft)["properties"])
			bins[p[idOf(p)].(string)] = p["change_bin"]
		}
		fs := arr(t, some["features"])
		if len(fs) == 0 || len(fs) == len(bins) {
			t.Fatalf("%s: bbox kept %d of %d", path, len(fs), len(bins))
		}
		for _, ft := range fs {
			p := obj(t, obj(t, ft)["properties"])
			if id := p[idOf(p)].(string); bins[id] != p["change_bin"] {
				t.Errorf("%s: %s bin %v in a bbox, %v without", path, id, p["change_bin"], bins[id])
			}
		}
	}
}

func idOf(p map[string]any) string {
	if _, ok := p["h3"]; ok {
		return "h3"
	}
	return "code"
}

func TestChangeBadParams(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ target, param string }{
		{"/api/v1/hotspots/change?compare=month", "compare"},
		{"/api/v1/hotspots/change?compare=", "compare"},
		{"/api/v1/hotspots/change?compare=Year", "compare"},
		{"/api/v1/hotspots/wards?compare=last", "compare"},
		{"/api/v1/hotspots/wards?compare=year&compare=previous", "compare"},
		{"/api/v1/hotspots/change?res=11", "res"},
		{"/api/v1/hotspots/change?k=2", "k"},
		{"/api/v1/hotspots/change?priority=asb&category=Robbery", "category"},
		{"/api/v1/hotspots/change?from=2024-03&to=2023-01", "from"},
		{"/api/v1/hotspots/hex?compare=year", "compare"},
		{"/tiles/change/14/8140/5378.mvt?compare=weekly", "compare"},
		{"/ogc/collections/change-asb/items?compare=weekly", "compare"},
		{"/ogc/collections/wards/items?change_bin=4", "change_bin"},
		{"/api/v1/concentration?res=5", "res"},
		{"/api/v1/concentration?res=x", "res"},
		{"/api/v1/concentration?bbox=-1.2,52.6,-1.1,52.7", "bbox"},
		{"/api/v1/concentration?ward=E05999999", "ward"},
		{"/api/v1/concentration?compare=year", "compare"},
		{"/api/v1/concentration?priority=nope", "priority"},
		{"/api/v1/concentration?from=2024-13", "from"},
	} {
		body := f.getJSON(t, tc.target, http.StatusBadRequest)
		if body["param"] != tc.param {
			t.Errorf("%s: param %v, want %s (%v)", tc.target, body["param"], tc.param, body["error"])
		}
	}
}

func TestChangeOutputs(t *testing.T) {
	f := newFixture(t)
	resp, body := f.get(t, "/api/v1/hotspots/change?format=csv&compare=year&from=2024-01&to=2024-03")
	if resp.StatusCode != http.StatusOK || !slices.Contains([]string{"text/csv; charset=utf-8", "text/csv"}, resp.Header.Get("Content-Type")) {
		t.Errorf("csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if want := "h3,count,prev_count,change_pct,change_p,change_bin,suppressed,from,to,wkt\n"; len(body) < len(want) || string(body[:len(want)]) != want {
		t.Errorf("csv header: %.80s", body)
	}
	for _, target := range []string{"/tiles/change.json?compare=year", "/tiles/change/14/8140/5378.mvt?compare=year", "/ogc/collections/change-asb/items?compare=year&limit=5", "/ogc/collections/change-asb"} {
		if resp, body := f.get(t, target); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", target, resp.StatusCode, body)
		}
	}
}

func TestConcentration(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"res=9&from=2022-12", "res=10&priority=asb", "res=8&category=Robbery&from=2023-01&to=2024-03", "ward=" + codeCastle + "&from=2022-12"} {
		c := f.getJSON(t, "/api/v1/concentration?"+q, http.StatusOK)
		if got := keys(c); !slices.Equal(got, sorted("incidents", "cells", "cells_for_50pct", "cells_for_80pct", "share_for_50pct", "share_for_80pct", "gini", "lorenz", "hotspot")) {
			t.Fatalf("%s: members %v", q, got)
		}
		meta := obj(t, c["hotspot"])
		// The hex layer over the same filters is the study area, zeros
		// included; compute the figures from it independently.
		hq := q
		if len(q) > 5 && q[:5] == "ward=" {
			hq = "from=2022-12"
		}
		hexFC := f.getJSON(t, "/api/v1/hotspots/hex?"+hq, http.StatusOK)
		var counts []int
		for _, ft := range arr(t, hexFC["features"]) {
			counts = append(counts, int(num(t, obj(t, obj(t, ft)["properties"])["count"])))
		}
		if len(q) > 5 && q[:5] == "ward=" {
			// Castle alone: its incidents, over fewer cells.
			if int(num(t, c["cells"])) >= len(counts) {
				t.Errorf("ward: %v cells, the city %d", c["cells"], len(counts))
			}
			_, byWard := expected{from: "2022-12", to: "2024-03"}.counted()
			if int(num(t, c["incidents"])) != byWard[codeCastle] {
				t.Errorf("ward: %v incidents, want %d", c["incidents"], byWard[codeCastle])
			}
			continue
		}
		if int(num(t, meta["res"])) != int(num(t, obj(t, hexFC["hotspot"])["res"])) || meta["from"] != obj(t, hexFC["hotspot"])["from"] {
			t.Errorf("%s: meta %v", q, meta)
		}
		checkConcentration(t, q, c, counts)
	}
}

// checkConcentration recomputes the figures from the cell counts: Gini as
// the mean absolute difference over twice the mean (zeros included),
// which equals DESIGN.md's rank formula, and the 50/80 % cells by scan.
func checkConcentration(t *testing.T, q string, c map[string]any, counts []int) {
	t.Helper()
	n, total := len(counts), 0
	for _, v := range counts {
		total += v
	}
	if int(num(t, c["cells"])) != n || int(num(t, c["incidents"])) != total || total == 0 {
		t.Fatalf("%s: cells %v incidents %v, want %d %d", q, c["cells"], c["incidents"], n, total)
	}
	var absDiff float64
	for _, a := range counts {
		for _, b := range counts {
			absDiff += math.Abs(float64(a - b))
		}
	}
	gini := absDiff / (2 * float64(n) * float64(total))
	if math.Abs(num(t, c["gini"])-gini) > 1e-12 {
		t.Errorf("%s: gini %v, want %v", q, c["gini"], gini)
	}
	desc := slices.Clone(counts)
	slices.Sort(desc)
	slices.Reverse(desc)
	cum := 0
	c50, c80 := 0, 0
	for i, v := range desc {
		cum += v
		if c50 == 0 && 2*cum >= total {
			c50 = i + 1
		}
		if c80 == 0 && 5*cum >= 4*total {
			c80 = i + 1
		}
	}
	if int(num(t, c["cells_for_50pct"])) != c50 || int(num(t, c["cells_for_80pct"])) != c80 ||
		num(t, c["share_for_50pct"]) != float64(c50)/float64(n) || num(t, c["share_for_80pct"]) != float64(c80)/float64(n) {
		t.Errorf("%s: 50/80 %% %v %v (%v %v), want %d %d of %d", q, c["cells_for_50pct"], c["cells_for_80pct"], c["share_for_50pct"], c["share_for_80pct"], c50, c80, n)
	}
	lz := arr(t, c["lorenz"])
	if len(lz) != 101 {
		t.Fatalf("%s: %d Lorenz points", q, len(lz))
	}
	// At whole-cell shares the curve is the busiest cells' share exactly.
	for j := 0; j <= 100; j++ {
		pt := arr(t, lz[j])
		if num(t, pt[0]) != float64(j)/100 {
			t.Errorf("%s: lorenz[%d] x = %v", q, j, pt[0])
		}
		if j*n%100 == 0 {
			held := 0
			for _, v := range desc[:j*n/100] {
				held += v
			}
			if math.Abs(num(t, pt[1])-float64(held)/float64(total)) > 1e-12 {
				t.Errorf("%s: lorenz[%d] = %v, want %v", q, j, pt[1], float64(held)/float64(total))
			}
		}
	}
}

func TestConcentrationEmpty(t *testing.T) {
	f := newFixture(t)
	resp, body := f.get(t, "/api/v1/concentration?from=2019-01&to=2019-06")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != contentJSON {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var c map[string]any
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if num(t, c["incidents"]) != 0 || num(t, c["cells"]) == 0 {
		t.Errorf("incidents %v cells %v", c["incidents"], c["cells"])
	}
	for _, k := range []string{"cells_for_50pct", "cells_for_80pct", "share_for_50pct", "share_for_80pct", "gini", "lorenz"} {
		if v, ok := c[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
}
