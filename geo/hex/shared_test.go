package hex

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/leicester-csp/hotspot/internal/shareddata"

	"github.com/paulmach/orb"
)

// sharedData returns the shared data folder, skipping when it is absent.
func sharedData(tb testing.TB) string { return shareddata.Dir(tb) }

// ward is a boundary as the tests need it; the real reader lives in
// geo/boundary.
type ward struct {
	code string
	geom orb.MultiPolygon
}

// loadWards reads the Leicester ward boundaries, skipping the test when the
// shared data is not there.
//
// It decodes GeoJSON with encoding/json rather than orb/geojson, which
// would pull the MongoDB BSON module into go.sum.
func loadWards(tb testing.TB) []ward {
	tb.Helper()
	path := filepath.Join(sharedData(tb), "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("shared data absent: %v", err)
	}
	if err != nil {
		tb.Fatalf("read wards: %v", err)
	}
	wards, err := decodeWards(raw)
	if err != nil {
		tb.Fatalf("decode wards %s: %v", path, err)
	}
	if len(wards) == 0 {
		tb.Fatalf("decode wards %s: no features", path)
	}
	return wards
}

func decodeWards(raw []byte) ([]ward, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"WD20CD"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, err
	}
	out := make([]ward, 0, len(fc.Features))
	for _, f := range fc.Features {
		var mp [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("ward %s: %w", f.Properties.Code, err)
			}
			mp = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &mp); err != nil {
				return nil, fmt.Errorf("ward %s: %w", f.Properties.Code, err)
			}
		default:
			return nil, fmt.Errorf("ward %s: geometry type %q", f.Properties.Code, f.Geometry.Type)
		}
		out = append(out, ward{code: f.Properties.Code, geom: toOrb(mp)})
	}
	return out, nil
}

func toOrb(mp [][][][2]float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			out[i][j] = make(orb.Ring, len(ring))
			for k, pt := range ring {
				out[i][j][k] = orb.Point(pt)
			}
		}
	}
	return out
}
