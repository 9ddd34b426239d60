package tiles_test

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/tiles"
)

// A server prepares a layer's answer once and cuts every tile of a view
// from it.
func ExamplePrepare() {
	clockTower := orb.Point{-1.135, 52.634}
	z := 14
	res := tiles.ResForZoom(z)
	var result analysis.HexResult
	for _, c := range hex.Disk(hex.CellAt(clockTower, res), 1) {
		result.Cells = append(result.Cells, analysis.HexCell{Cell: c, Count: 4, Bin: 0})
	}
	// The analyzer gives cells in index order.
	slices.SortFunc(result.Cells, func(a, b analysis.HexCell) int { return cmp.Compare(a.Cell, b.Cell) })

	hl := tiles.Prepare(layer.HexAnswer(&result))
	tile := maptile.At(clockTower, maptile.Zoom(z))
	b, st, err := hl.Tile(tile, tiles.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("features:", st.Features, "truncated:", st.Truncated)
	layers, _ := mvt.Unmarshal(b)
	fmt.Println("layer:", layers[0].Name, "res:", res)
	// Output:
	// features: 7 truncated: false
	// layer: hex res: 10
}
