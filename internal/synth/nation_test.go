package synth

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
)

// testScale builds nations of about 150 wards and 14,000 map points: every
// count but the forces shrinks with it, and the full-size counts are
// checked on the layout alone (TestNationFullSizeCounts), which takes a
// fraction of the time under the race detector.
const testScale = 0.02

var nations = map[uint64]*Nation{}

func nation(t testing.TB, seed uint64) *Nation {
	t.Helper()
	if n, ok := nations[seed]; ok {
		return n
	}
	n := NewNation(seed, testScale)
	nations[seed] = n
	return n
}

func TestNationFullSizeCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	towns := placeSettlements(r, 1)
	wards := placeWardSeeds(r, towns, 1)
	var pop, lsoas float64
	for _, w := range wards {
		pop += float64(w.pop)
		lsoas += max(1, math.Round(float64(w.pop)/lsoaPop))
	}
	var points float64
	for _, w := range wards {
		points += max(5, math.Round(natPoints*float64(w.pop)/pop))
	}
	for _, c := range []struct {
		what     string
		got      float64
		from, to float64
	}{
		{"wards", float64(len(wards)), 6900, 7100},
		{"residents", pop, 57e6, 62e6},
		{"map points", points, 680_000, 720_000},
		{"LSOAs", lsoas, 33_000, 40_000},
	} {
		if c.got < c.from || c.got > c.to {
			t.Errorf("%s: %.0f at full size, want %.0f–%.0f", c.what, c.got, c.from, c.to)
		}
	}
}

func TestNationLayout(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		n := nation(t, seed)
		if len(n.Forces) != numForces {
			t.Fatalf("seed %d: %d forces, want %d", seed, len(n.Forces), numForces)
		}
		slugs := map[string]bool{}
		for _, f := range n.Forces {
			slugs[forceSlug(f)] = true
		}
		wardsOf := make([]int, numForces)
		for _, f := range n.WardForce {
			wardsOf[f]++
		}
		if len(slugs) != numForces || slices.Contains(wardsOf, 0) {
			t.Errorf("seed %d: %d distinct force file names, wards per force %v", seed, len(slugs), wardsOf)
		}
		if want := natWards * testScale; math.Abs(float64(len(n.Wards))-want) > 0.3*want {
			t.Errorf("seed %d: %d wards, want about %.0f", seed, len(n.Wards), want)
		}
		if want := natPoints * testScale; math.Abs(float64(len(n.points))-want) > 0.1*want {
			t.Errorf("seed %d: %d map points, want about %.0f", seed, len(n.points), want)
		}
		for i, w := range n.Wards {
			ring := w.Geometry[0][0]
			if w.Code != fmt.Sprintf("S05%06d", i+1) || w.Name == "" || n.Population[w.Code] <= 0 || !simpleCCW(ring) {
				t.Errorf("seed %d: ward %d %s %q population %d, simple and counter-clockwise %v",
					seed, i, w.Code, w.Name, n.Population[w.Code], simpleCCW(ring))
			}
		}
	}
}

// TestNationWardsTile checks that the wards cover the country without
// overlapping: their areas sum to the country's, and random points lie in
// exactly one ward.
func TestNationWardsTile(t *testing.T) {
	n := nation(t, 1)
	lo, hi := natBox()
	a, b := natLonLat(lo, vertexScale), natLonLat(hi, vertexScale)
	var sum float64
	for _, w := range n.Wards {
		sum += planar.Area(w.Geometry)
	}
	if box := (b[0] - a[0]) * (b[1] - a[1]); math.Abs(sum-box) > 1e-9*box {
		t.Errorf("ward areas sum to %.9f square degrees, the country is %.9f", sum, box)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		p := orb.Point{a[0] + (b[0]-a[0])*r.Float64(), a[1] + (b[1]-a[1])*r.Float64()}
		in := 0
		for _, w := range n.Wards {
			if planar.MultiPolygonContains(w.Geometry, p) {
				in++
			}
		}
		if in != 1 {
			t.Fatalf("%v lies in %d wards, want 1", p, in)
		}
	}
}

func TestNationPointsInWards(t *testing.T) {
	n := nation(t, 1)
	seen := map[orb.Point]bool{}
	for i, p := range n.points {
		w := n.Wards[p.ward]
		if !planar.MultiPolygonContains(w.Geometry, p.pt) || seen[p.pt] || int(p.force) != n.WardForce[p.ward] {
			t.Fatalf("point %d %v: in its ward %s %v, seen before %v, force %d of ward's %d",
				i, p.pt, w.Code, planar.MultiPolygonContains(w.Geometry, p.pt), seen[p.pt], p.force, n.WardForce[p.ward])
		}
		seen[p.pt] = true
	}
	// A point on a shared edge would belong to the lower code; none of a
	// sample lies in an earlier ward.
	for i := 0; i < len(n.points); i += 50 {
		p := n.points[i]
		for _, w := range n.Wards[:p.ward] {
			if planar.MultiPolygonContains(w.Geometry, p.pt) {
				t.Fatalf("point %d %v of %s also lies in %s", i, p.pt, n.Wards[p.ward].Code, w.Code)
			}
		}
	}
}

// TestNationConcentration holds the crime concentration near Weisburd's
// figures (pointSigma): half the incidents at about 5 % of map points.
func TestNationConcentration(t *testing.T) {
	n := nation(t, 1)
	// About 28 rows per map point, as at 20 M rows over 700,000 points:
	// concentration measured on counts depends on rows per point.
	const rows = 400_000
	p := newPlan(n.seed, &n.catPoints, Options{Seed: 1, Rows: rows, Months: 1})
	counts := make([]int, len(n.points))
	wardCounts := make([]int, len(n.Wards))
	p.month(0, func(rw *row) bool {
		if rw.point >= 0 {
			counts[rw.point]++
			wardCounts[n.points[rw.point].ward]++
		}
		return true
	})
	share := func(c []int, top float64) float64 {
		c = slices.Clone(c)
		slices.SortFunc(c, func(a, b int) int { return b - a })
		var sum, head int
		for i, x := range c {
			sum += x
			if i < int(top*float64(len(c))) {
				head += x
			}
		}
		return float64(head) / float64(sum)
	}
	for _, c := range []struct {
		what     string
		got      float64
		from, to float64
	}{
		{"share at the top 5% of points", share(counts, 0.05), 0.45, 0.60},
		{"share at the top 1% of points", share(counts, 0.01), 0.18, 0.32},
		{"share at the top 10% of wards", share(wardCounts, 0.10), 0.20, 0.45},
	} {
		t.Logf("%s: %.3f", c.what, c.got)
		if c.got < c.from || c.got > c.to {
			t.Errorf("%s: %.3f, want %.2f–%.2f", c.what, c.got, c.from, c.to)
		}
	}
}

func hashDir(t *testing.T, paths []string) string {
	t.Helper()
	h := sha256.New()
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(h, filepath.Base(path))
		io.Copy(h, f)
		f.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestNationCSVsDeterministic writes the same files whatever the number of
// CPUs, and other files for another seed.
func TestNationCSVsDeterministic(t *testing.T) {
	opt := Options{Seed: 1, From: geo.NewMonth(2023, 11), Months: 3, Rows: 20_000}
	write := func(n *Nation, procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		paths, err := n.WriteCSVs(t.TempDir(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) != numForces*opt.Months {
			t.Fatalf("%d files, want %d", len(paths), numForces*opt.Months)
		}
		return hashDir(t, paths)
	}
	a, b := write(nation(t, 1), 1), write(NewNation(1, testScale), 4)
	if a != b {
		t.Errorf("seed 1 gave %s, then %s", a, b)
	}
	if c := write(nation(t, 7), 2); c == a {
		t.Errorf("seeds 1 and 7 gave the same files")
	}
}

// TestNationCSVRows reads the files back: every row in its force's file,
// at a map point of that force, with one LSOA name per code and about the
// police.uk share of rows without a location.
func TestNationCSVRows(t *testing.T) {
	n := nation(t, 1)
	paths, err := n.WriteCSVs(t.TempDir(), Options{Seed: 3, Months: 2, Rows: 30_000})
	if err != nil {
		t.Fatal(err)
	}
	pointForce := map[string]int{}
	for _, p := range n.points {
		pointForce[strconv.FormatFloat(p.pt[0], 'f', 6, 64)+","+strconv.FormatFloat(p.pt[1], 'f', 6, 64)] = int(p.force)
	}
	lsoaName := map[string]string{}
	var rows, noLoc int
	for k, path := range paths {
		force := n.Forces[k%numForces]
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
		f.Close()
		if err != nil || len(recs) == 0 || len(recs[0]) != 12 {
			t.Fatalf("%s: %v", path, err)
		}
		for _, rec := range recs[1:] {
			rows++
			if rec[2] != force || rec[3] != force {
				t.Fatalf("%s: row reported by %q, falls within %q", path, rec[2], rec[3])
			}
			if rec[4] == "" {
				noLoc++
				continue
			}
			if pf, ok := pointForce[rec[4]+","+rec[5]]; !ok || n.Forces[pf] != force {
				t.Fatalf("%s: row at %s,%s is not a map point of %s", path, rec[4], rec[5], force)
			}
			if name, ok := lsoaName[rec[7]]; ok && name != rec[8] {
				t.Fatalf("LSOA %s named %q and %q", rec[7], name, rec[8])
			}
			lsoaName[rec[7]] = rec[8]
		}
	}
	if share := float64(noLoc) / float64(rows); rows != 30_000 || share < 0.02 || share > 0.045 {
		t.Errorf("%d rows, %.3f without location, want 30000 and about %.3f", rows, share, noLocation)
	}
}

// BenchmarkNationWriteCSVs writes 1 M national rows over 12 months with the
// full-size layout (target: 20 M rows in about 2 minutes, 170,000 rows/s).
func BenchmarkNationWriteCSVs(b *testing.B) {
	n := NewNation(1, 1)
	const rows = 1_000_000
	for b.Loop() {
		if _, err := n.WriteCSVs(b.TempDir(), Options{Seed: 1, Months: 12, Rows: rows}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(rows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
