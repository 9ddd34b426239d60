package postgis

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
	"github.com/leicester-csp/hotspot/geo/boundary"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// TestCoversNearEdges probes ST_Covers where floating point decides: at
// the midpoint of every edge of the shared ward and LSOA boundaries (also
// rounded to six decimals, as police.uk writes points), and at 1e-15°,
// 1e-13° and 1e-9° either side of it. PostGIS must agree with
// windingCovers, an independent winding-number rule that takes every
// decision from the sign of one cross product, and so must geo/areas, the
// embedded store's rule: the two stores assign points on and near edges
// alike.
func TestCoversNearEdges(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	for _, file := range []string{"leicester_wards_WD20_BGC.geojson", "leicester_LSOA21_hybrid_BGC.geojson"} {
		as, err := boundary.ReadFile(shareddata.Path(t, "boundaries_leicester", file), boundary.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Import(ctx, geo.ImportInput{Areas: as}); err != nil {
			t.Fatal(err)
		}
		// -1 stands for midpoints rounded to six decimals and parsed, as
		// police.uk writes map points: on an edge in decimal, but, on a
		// sloping edge, a rounding step off it in binary.
		for _, off := range []float64{-1, 0, 1e-15, 1e-13, 1e-9} {
			var (
				codes      []string
				lons, lats []float64
				probes     []orb.Point
				geoms      []orb.MultiPolygon
			)
			for _, a := range as {
				for _, poly := range a.Geometry {
					for _, ring := range poly {
						for i := 0; i+1 < len(ring); i++ {
							p, q := ring[i], ring[i+1]
							dx, dy := q[0]-p[0], q[1]-p[1]
							l := math.Hypot(dx, dy)
							if l == 0 {
								continue
							}
							for _, side := range []float64{1, -1} {
								m := orb.Point{(p[0]+q[0])/2 - side*off*dy/l, (p[1]+q[1])/2 + side*off*dx/l}
								if off < 0 {
									m[0], _ = strconv.ParseFloat(strconv.FormatFloat((p[0]+q[0])/2, 'f', 6, 64), 64)
									m[1], _ = strconv.ParseFloat(strconv.FormatFloat((p[1]+q[1])/2, 'f', 6, 64), 64)
								}
								codes, lons, lats = append(codes, a.Code), append(lons, m[0]), append(lats, m[1])
								probes, geoms = append(probes, m), append(geoms, a.Geometry)
							}
						}
					}
				}
			}
			rows, err := st.db.QueryContext(ctx, st.q(`
SELECT ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326))
FROM unnest($1::text[], $2::float8[], $3::float8[]) WITH ORDINALITY AS u(code, lon, lat, n)
JOIN {s}.areas a ON a.code = u.code
ORDER BY u.n`), pq.StringArray(codes), pq.Float64Array(lons), pq.Float64Array(lats))
			if err != nil {
				t.Fatal(err)
			}
			i, mismatches, embedded := 0, 0, 0
			var sample []string
			for rows.Next() {
				var got bool
				if err := rows.Scan(&got); err != nil {
					t.Fatal(err)
				}
				if want := windingCovers(geoms[i], probes[i]); got != want {
					mismatches++
					if mismatches <= 5 {
						t.Errorf("%s %s, point (%.17g, %.17g): ST_Covers %v, winding rule %v", file, codes[i], probes[i][0], probes[i][1], got, want)
					}
				}
				if emb := areas.Covers(geoms[i], probes[i]); emb != got {
					embedded++
					if len(sample) < 3 {
						sample = append(sample, fmt.Sprintf("%s (%.17g, %.17g): ST_Covers %v, geo/areas %v", codes[i], probes[i][0], probes[i][1], got, emb))
					}
				}
				i++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if i != len(probes) {
				t.Fatalf("%d answers for %d probes", i, len(probes))
			}
			if embedded > 0 {
				t.Errorf("%s, %s: geo/areas differs from ST_Covers on %d of %d probes, e.g. %v",
					file, probeName(off), embedded, len(probes), sample)
			}
		}
	}
}

func probeName(off float64) string {
	if off < 0 {
		return "edge midpoints to six decimals"
	}
	return fmt.Sprintf("%g° from edge midpoints", off)
}

// windingCovers reports whether p lies in mp or on its boundary, the way
// liblwgeom decides point-in-polygon: a winding number over each ring in
// which crossing and on-edge tests all use the sign of the same cross
// product, so no rounding can make them contradict each other.
func windingCovers(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		switch windingLocate(poly[0], p) {
		case 0:
			return true
		case -1:
			continue
		}
		inside := true
		for _, hole := range poly[1:] {
			switch windingLocate(hole, p) {
			case 0:
				return true
			case 1:
				inside = false
			}
			if !inside {
				break
			}
		}
		if inside {
			return true
		}
	}
	return false
}

// windingLocate returns 1 when p is inside the ring, 0 on it, -1 outside.
func windingLocate(r orb.Ring, p orb.Point) int {
	wn := 0
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if a == b || p[1] > math.Max(a[1], b[1]) || p[1] < math.Min(a[1], b[1]) {
			continue
		}
		side := (p[0]-a[0])*(b[1]-a[1]) - (b[0]-a[0])*(p[1]-a[1])
		if side == 0 && p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) {
			return 0
		}
		if side < 0 && a[1] <= p[1] && p[1] < b[1] {
			wn++ // p left of an upward edge
		} else if side > 0 && b[1] <= p[1] && p[1] < a[1] {
			wn-- // p right of a downward edge
		}
	}
	if wn == 0 {
		return -1
	}
	return 1
}
