package layer

import (
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Param describes one filter a layer takes, once, for every place that
// documents or checks it: the OpenAPI document, OGC queryables and the
// export command's flags.
type Param struct {
	Name        string
	Type        Type
	Description string
	// Min, Max and Default bound an Integer parameter (HasRange).
	Min, Max, Default int
	HasRange          bool
}

// Page sizes of a paged layer (DESIGN.md): a larger limit is clamped.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Params lists every filter the layers know, by name.
var params = []Param{
	{Name: "priority", Type: String, Description: "a priority id: count its crime types, within its area"},
	{Name: "category", Type: String, Description: "a police.uk crime type (or another category the data holds)"},
	{Name: "from", Type: String, Description: "first month, YYYY-MM (default: 12 months ending at the latest)"},
	{Name: "to", Type: String, Description: "last month, YYYY-MM, inclusive (default: the latest in the data)"},
	{Name: "source", Type: String, Description: "whose records: policeuk (the default), a local source's name, or all (every source the caller may see)"},
	{Name: "flag", Type: String, Description: "only local records with every one of these flags (comma list: homelessness, street_lifestyle, domestic_abuse, vawg, cyp, prevent, knife)"},
	{Name: "days", Type: String, Description: "only local records of these days (comma list, mon…sun); with hours wrapping midnight, the nights: sat 02:00 with hours=20-04 is friday night"},
	{Name: "hours", Type: String, Description: "only local records in these local hours, HH-HH: 20-04 is 20:00–03:59, wrapping midnight"},
	{Name: "res", Type: Integer, Description: "H3 resolution", Min: geo.MinRes, Max: geo.MaxRes, Default: analysis.DefaultRes, HasRange: true},
	{Name: "k", Type: Integer, Description: "Gi* neighbourhood in rings of cells, or auto: the scale where clustering peaks (see /api/v1/scale)", Min: analysis.MinK, Max: analysis.MaxK, Default: analysis.DefaultK, HasRange: true},
	{Name: "inference", Type: String, Description: "how gi_p is found: normal (the analytical approximation, the default) or permutation (the exact permutation null; honest on sparse counts)"},
	{Name: "permutations", Type: Integer, Description: "draws of the permutation null", Min: analysis.MinPermutations, Max: analysis.MaxPermutations, Default: analysis.DefaultPermutations, HasRange: true},
	{Name: "seed", Type: Integer, Description: "seed of the permutation draws; the same seed gives the same answer", Min: 1, Max: 1<<31 - 1, Default: analysis.DefaultSeed, HasRange: true},
	{Name: "kmax", Type: Integer, Description: "the largest neighbourhood, in rings, the scale run tries", Min: 2, Max: 10, Default: analysis.DefaultKMax, HasRange: true},
	{Name: "study", Type: String, Description: "the hex layer's study area: area (every cell whose centre lies in the area, the default) or points (only cells where police.uk can record a crime: those holding one of its map points)"},
	{Name: "kind", Type: String, Description: "only premises of these kinds (comma list, as the register spells them: licensed, retail, …)"},
	{Name: "min", Type: Integer, Description: "the fewest incidents at a place (a map point, or for local records their premises or exact point) that make it a repeat location", Min: 1, Max: 1 << 20, Default: DefaultMinRepeats, HasRange: true},
	{Name: "bbox", Type: String, Description: "only features that share a point with minLon,minLat,maxLon,maxLat; never changes a statistic"},
	{Name: "limit", Type: Integer, Description: "features per page; larger values are clamped to the maximum", Min: 1, Max: MaxLimit, Default: DefaultLimit, HasRange: true},
	{Name: "offset", Type: Integer, Description: "features to skip", Min: 0, Max: 1 << 31, Default: 0, HasRange: true},
	{Name: "format", Type: String, Description: "geojson (default) or csv"},
	{Name: "compare", Type: String, Description: "the base period a change is measured against: previous (the same number of months just before from, the default) or year (the same months a year earlier)"},
	{Name: "change_bin", Type: Integer, Description: "only places in this FDR bin of significant change", Min: -3, Max: 3, HasRange: true},
	{Name: "gi_bin", Type: Integer, Description: "only cells in this FDR bin", Min: -3, Max: 3, HasRange: true},
	{Name: "h3", Type: String, Description: "one cell by its H3 index"},
	{Name: "pattern", Type: String, Description: "only cells with this emerging hot spot pattern (new_hot, consecutive_hot, …, no_pattern)"},
	{Name: "code", Type: String, Description: "one ward by its code"},
	{Name: "ward", Type: String, Description: "only incidents in this ward: its code or its name, in any case; the forecast: only this ward's cells"},
	{Name: "scope", Type: String, Description: "area: only incidents inside the area of the request (the wards, or the priority's area); all (the default): every incident, inside the city or not"},
	{Name: "order", Type: String, Description: "oldest (the default: month, then id) or newest (newest month first, then id)"},
	{Name: "at", Type: String, Description: "lon,lat of a map point (as /api/v1/points gives it): only the incidents police.uk placed there"},
	{Name: "method", Type: String, Description: "how cells are ranked: counts, recency, gi or kde; the forecast also takes auto (the method with the best mean PEI over the last 6 months that can be backtested, its default), the backtest a comma list (default all four)"},
	{Name: "coverage", Type: String, Description: "the share of the study area's cells to select, in percent, above 0 and at most 100: the forecast takes one (default 5), the backtest a comma list (default 1,5,10)"},
	{Name: "train", Type: Integer, Description: "months of data the ranking learns from, ending at the latest month", Min: 1, Max: analysis.MaxTrain, Default: analysis.DefaultTrain, HasRange: true},
	{Name: "bandwidth", Type: Integer, Description: "the kde method's kernel bandwidth in metres", Min: 1, Max: analysis.MaxBandwidth, Default: analysis.DefaultBandwidth, HasRange: true},
}

// ParamOf returns the description of a filter by name.
func ParamOf(name string) (Param, bool) {
	for _, p := range params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}
