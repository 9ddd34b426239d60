package boundary

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/leicester-csp/hotspot/internal/shareddata"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// sharedData returns the shared data folder, skipping when it is absent.
func sharedData(tb testing.TB) string { return shareddata.Dir(tb) }

// checkAreas verifies what Read promises of its output.
func checkAreas(areas []geo.Area) error {
	if len(areas) == 0 {
		return errors.New("no areas")
	}
	for i, a := range areas {
		if _, ok := geo.ParseAreaKind(string(a.Kind)); !ok {
			return fmt.Errorf("area %d: kind %q", i, a.Kind)
		}
		if a.Code == "" || a.Name == "" {
			return fmt.Errorf("area %d: code %q name %q", i, a.Code, a.Name)
		}
		if i > 0 && areas[i-1].Code >= a.Code {
			return fmt.Errorf("area %d: code %q not after %q", i, a.Code, areas[i-1].Code)
		}
		if len(a.Geometry) == 0 {
			return fmt.Errorf("area %s: no polygons", a.Code)
		}
		for pi, p := range a.Geometry {
			if len(p) == 0 {
				return fmt.Errorf("area %s polygon %d: no rings", a.Code, pi)
			}
			for ri, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					return fmt.Errorf("area %s polygon %d ring %d: %d positions, closed %v", a.Code, pi, ri, len(r), r[0] == r[len(r)-1])
				}
				for _, pt := range r {
					if checkPosition(pt) != nil {
						return fmt.Errorf("area %s polygon %d ring %d: bad position %v", a.Code, pi, ri, pt)
					}
				}
				if s := signedArea(r); (ri == 0) != (s > 0) {
					return fmt.Errorf("area %s polygon %d ring %d: signed area %g", a.Code, pi, ri, s)
				}
			}
		}
	}
	return nil
}

type wantArea struct {
	code, name string
	rings      []int // rings per polygon
}

func summarise(areas []geo.Area) []wantArea {
	var out []wantArea
	for _, a := range areas {
		w := wantArea{code: a.Code, name: a.Name}
		for _, p := range a.Geometry {
			w.rings = append(w.rings, len(p))
		}
		out = append(out, w)
	}
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		file string
		opt  Options
		kind geo.AreaKind
		want []wantArea
	}{
		{
			name: "ward collection with hole, multipolygon and clockwise exterior",
			file: "wards.geojson",
			kind: geo.KindWard,
			want: []wantArea{
				{"E05000001", "Square With Hole", []int{2}},
				{"E05000002", "Two Squares", []int{1, 1}},
				{"E05000003", "Clockwise", []int{1}},
			},
		},
		{
			name: "newline-delimited features",
			file: "wards.geojsonl",
			kind: geo.KindWard,
			want: []wantArea{
				{"E05000011", "First", []int{1}},
				{"E05000012", "Second", []int{1}},
			},
		},
		{
			name: "single feature with lower-case ONS names and a parent ward",
			file: "lsoa_feature.geojson",
			kind: geo.KindLSOA,
			want: []wantArea{{"E01000001", "Leicester 001A", []int{1}}},
		},
		{
			name: "explicit kind and fields",
			file: "custom.geojson",
			opt:  Options{Kind: geo.KindWard, CodeField: "ward_id", NameField: "label"},
			kind: geo.KindWard,
			want: []wantArea{{"W1", "North", []int{1}}, {"W2", "W2", []int{1}}},
		},
		{
			name: "fields matched ignoring case",
			file: "custom.geojson",
			opt:  Options{Kind: geo.KindCity, CodeField: "WARD_ID", NameField: "Label"},
			kind: geo.KindCity,
			want: []wantArea{{"W1", "North", []int{1}}, {"W2", "W2", []int{1}}},
		},
		{
			name: "ONS code field given, kind from its name",
			file: "wards.geojson",
			opt:  Options{CodeField: "WD22CD"},
			kind: geo.KindWard,
			want: []wantArea{
				{"E05000001", "Square With Hole", []int{2}},
				{"E05000002", "Two Squares", []int{1, 1}},
				{"E05000003", "Clockwise", []int{1}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			areas, err := ReadFile(filepath.Join("testdata", tc.file), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkAreas(areas); err != nil {
				t.Fatal(err)
			}
			for _, a := range areas {
				if a.Kind != tc.kind {
					t.Errorf("%s: kind %q, want %q", a.Code, a.Kind, tc.kind)
				}
			}
			got := summarise(areas)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestReadNormalisesOrientation(t *testing.T) {
	areas, err := ReadFile("testdata/wards.geojson", Options{})
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]geo.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	tests := []struct {
		name string
		code string
		poly int
		ring int
		want orb.Ring
	}{
		{"counter-clockwise exterior kept", "E05000001", 0, 0,
			orb.Ring{{-1.20, 52.60}, {-1.18, 52.60}, {-1.18, 52.62}, {-1.20, 52.62}, {-1.20, 52.60}}},
		{"counter-clockwise hole reversed", "E05000001", 0, 1,
			orb.Ring{{-1.195, 52.605}, {-1.195, 52.615}, {-1.185, 52.615}, {-1.185, 52.605}, {-1.195, 52.605}}},
		{"clockwise exterior reversed", "E05000003", 0, 0,
			orb.Ring{{-1.13, 52.60}, {-1.12, 52.60}, {-1.12, 52.61}, {-1.13, 52.61}, {-1.13, 52.60}}},
		{"clockwise second polygon reversed", "E05000002", 1, 0,
			orb.Ring{{-1.15, 52.60}, {-1.14, 52.60}, {-1.14, 52.61}, {-1.15, 52.61}, {-1.15, 52.60}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := byCode[tc.code].Geometry[tc.poly][tc.ring]
			if !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name string
		file string
		opt  Options
		want string // the whole message after "testdata/<file>: "
	}{
		{"unclosed ring", "bad/unclosed.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0: ring is not closed: first position [-1.2, 52.6], last [-1.2, 52.61]"},
		{"too few positions", "bad/too_few_points.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0: ring has 3 positions, need at least 4"},
		{"line string", "bad/linestring.geojson", Options{},
			"feature 1 (E05000002): geometry is LineString, need Polygon or MultiPolygon"},
		{"latitude out of range", "bad/out_of_range.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0: position 2: latitude 95 is outside [-90, 90] (is the file in lon/lat, WGS 84?)"},
		{"self-intersecting bowtie", "bad/bowtie.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0: ring crosses or overlaps itself near [-1.2, 52.6]"},
		{"duplicate code", "bad/duplicate_code.geojson", Options{},
			"feature 1 (E05000001): duplicate code E05000001, also feature 0"},
		{"missing code", "bad/missing_code.geojson", Options{},
			"feature 1: no code: property WD22CD is missing"},
		{"blank code", "bad/empty_code.geojson", Options{},
			"feature 1: no code: property WD22CD is empty"},
		{"null geometry", "bad/null_geometry.geojson", Options{},
			"feature 1 (E05000002): geometry is null, need Polygon or MultiPolygon"},
		{"hole outside exterior", "bad/hole_outside.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 1: hole is not inside the exterior ring"},
		{"position with one number", "bad/short_position.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0 position 2: position has 1 numbers, need longitude and latitude"},
		{"null coordinate", "bad/null_coordinate.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0 position 2 coordinate 1 is null"},
		{"zero area", "bad/zero_area.geojson", Options{},
			"feature 1 (E05000002): polygon 0 ring 0: ring crosses or overlaps itself near [-1.2, 52.6]"},
		{"empty multipolygon", "bad/empty_multipolygon.geojson", Options{},
			"feature 1 (E05000002): multipolygon has no polygons"},
		{"kind given, its code field repeats", "wards.geojson", Options{Kind: geo.KindCity},
			"feature 1 (E06000099): duplicate code E06000099, also feature 0"},
		{"unknown ONS geography", "bad/msoa.geojson", Options{},
			"cannot tell what the features are: no WDxxCD, LSOAxxCD or LADxxCD property (properties: MSOA11CD, MSOA11NM); " +
				"pass --kind ward|lsoa|city and --code-field/--name-field"},
		{"custom properties without options", "custom.geojson", Options{},
			"cannot tell what the features are: no WDxxCD, LSOAxxCD or LADxxCD property (properties: label, ward_id); " +
				"pass --kind ward|lsoa|city and --code-field/--name-field"},
		{"code field without kind", "custom.geojson", Options{CodeField: "ward_id"},
			"cannot tell what the features are: no WDxxCD, LSOAxxCD or LADxxCD property (properties: label, ward_id); " +
				"pass --kind ward|lsoa|city and --code-field/--name-field"},
		{"kind without code field", "custom.geojson", Options{Kind: geo.KindWard},
			"no ward code property (like WD24CD) found (properties: label, ward_id); pass --code-field"},
		{"absent code field", "custom.geojson", Options{Kind: geo.KindWard, CodeField: "code"},
			`no feature has the code property "code" (properties: label, ward_id)`},
		{"absent name field", "custom.geojson", Options{Kind: geo.KindWard, CodeField: "ward_id", NameField: "name"},
			`no feature has the name property "name" (properties: label, ward_id)`},
		{"unknown kind", "custom.geojson", Options{Kind: "msoa", CodeField: "ward_id"},
			`unknown kind "msoa", use ward, lsoa or city`},
		{"JSON syntax error", "bad/syntax.geojson", Options{},
			"line 3, column 74: invalid character '5' after array element"},
		{"empty collection", "bad/empty_collection.geojson", Options{},
			"file holds no features"},
		{"bare geometry", "bad/bare_geometry.geojson", Options{},
			`value 0 has type "Polygon", need FeatureCollection or Feature`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			areas, err := ReadFile(path, tc.opt)
			if err == nil {
				t.Fatalf("read %d areas, want an error", len(areas))
			}
			if areas != nil {
				t.Errorf("got areas with the error")
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("error does not match geo.ErrInvalid: %v", err)
			}
			if want := path + ": " + tc.want; err.Error() != want {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestReadInlineInput(t *testing.T) {
	sq := `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}`
	feat := func(code string) string {
		return `{"type": "Feature", "properties": {"LAD21CD": "` + code + `"}, "geometry": ` + sq + `}`
	}
	tests := []struct {
		name    string
		in      string
		wantErr string // "" for success
		codes   []string
	}{
		{"byte order mark", "\ufeff" + feat("E1"), "", []string{"E1"}},
		{"RFC 8142 sequence", "\x1e" + feat("E2") + "\n\x1e" + feat("E1") + "\n", "", []string{"E1", "E2"}},
		{"features on one line", feat("E2") + feat("E1"), "", []string{"E1", "E2"}},
		{"numeric code", `{"type": "Feature", "properties": {"LAD21CD": 16}, "geometry": ` + sq + `}`, "", []string{"16"}},
		{"empty input", "", "x: file holds no features", nil},
		{"collection after feature", feat("E1") + `{"type": "FeatureCollection", "features": []}`,
			"x: a FeatureCollection must be the only value in the file", nil},
		{"null feature", `{"type": "FeatureCollection", "features": [null]}`, "x: feature 0: not a feature", nil},
		{"object code", `{"type": "Feature", "properties": {"LAD21CD": {}}, "geometry": ` + sq + `}`,
			"x: feature 0: code property LAD21CD is neither a string nor a number", nil},
		{"geometry collection", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "GeometryCollection", "geometries": []}}`,
			"x: feature 0 (E1): geometry is GeometryCollection, need Polygon or MultiPolygon", nil},
		{"truncated", feat("E1")[:40], "x: line 1, column 41: unexpected EOF", nil},
		{"several ward code fields", `{"type": "Feature", "properties": {"WD20CD": "a", "WD24CD": "a"}, "geometry": ` + sq + `}`,
			"x: several ward code properties (WD20CD, WD24CD); pass --code-field to choose", nil},
		{"longitude out of range", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]}}`,
			"x: feature 0 (E1): polygon 0 ring 0: position 1: longitude 181 is outside [-180, 180] (is the file in lon/lat, WGS 84?)", nil},
		{"null position", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], null, [0, 1], [0, 0]]]]}}`,
			"x: feature 0 (E1): polygon 0 ring 0 position 2 is null", nil},
		{"empty position", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "MultiPolygon", "coordinates": [[], [[[0, 0], [1, 0], [], [0, 1], [0, 0]]]]}}`,
			"x: feature 0 (E1): polygon 1 ring 0 position 2: position has 0 numbers, need longitude and latitude", nil},
		{"polygon without rings", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "Polygon", "coordinates": []}}`,
			"x: feature 0 (E1): polygon 0 has no rings", nil},
		{"repeated positions only", `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [1, 1], [1, 1], [0, 0]]]}}`,
			"x: feature 0 (E1): polygon 0 ring 0: ring has 2 distinct positions, need at least 3", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			areas, err := Read(strings.NewReader(tc.in), "x", Options{})
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, geo.ErrInvalid) {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, a := range areas {
				codes = append(codes, a.Code)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Errorf("codes %v, want %v", codes, tc.codes)
			}
		})
	}
}

func TestReadDropsRepeatedPositions(t *testing.T) {
	in := `{"type": "Feature", "properties": {"LAD21CD": "E1"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0], [0, 0]]]}}`
	areas, err := Read(strings.NewReader(in), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	if got := areas[0].Geometry[0][0]; !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReadIOError(t *testing.T) {
	cause := errors.New("disk on fire")
	_, err := Read(iotest.ErrReader(cause), "x", Options{})
	if !errors.Is(err, cause) || errors.Is(err, geo.ErrInvalid) {
		t.Errorf("err = %v, want the read error and not ErrInvalid", err)
	}
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.geojson"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not exist", err)
	}
}

func TestReadSharedData(t *testing.T) {
	data := sharedData(t)
	var wardCodes []string
	for c := 458; c <= 478; c++ {
		wardCodes = append(wardCodes, fmt.Sprintf("E05010%d", c))
	}
	tests := []struct {
		name  string
		file  string
		opt   Options
		kind  geo.AreaKind
		n     int
		codes []string          // all codes, when given
		names map[string]string // some code → name
	}{
		{"ONS wards", "boundaries_leicester/leicester_wards_WD20_BGC.geojson", Options{}, geo.KindWard, 21,
			wardCodes, map[string]string{"E05010463": "Castle", "E05010458": "Abbey"}},
		{"LSOA 2021 hybrid", "boundaries_leicester/leicester_LSOA21_hybrid_BGC.geojson", Options{}, geo.KindLSOA, 200,
			nil, map[string]string{"E01013600": "Leicester 003A"}},
		{"LAD", "boundaries_leicester/leicester_LAD21_BGC.geojson", Options{}, geo.KindCity, 1,
			[]string{"E06000016"}, map[string]string{"E06000016": "Leicester"}},
		{"council wards with options", "leicester_city_council/leicester_wards_lcc.geojson",
			Options{Kind: geo.KindWard, CodeField: "WD20CD", NameField: "ward_name"}, geo.KindWard, 21,
			wardCodes, map[string]string{"E05010463": "Castle"}},
		{"council wards detected", "leicester_city_council/leicester_wards_lcc.geojson", Options{}, geo.KindWard, 21,
			wardCodes, map[string]string{"E05010463": "E05010463"}},
		{"martinjc 2011 LSOAs", "boundaries_leicester/martinjc_uk_geojson/lsoa_by_lad_E06000016.json", Options{}, geo.KindLSOA, 192,
			nil, map[string]string{"E01013600": "Leicester 003A"}},
		{"ONS LAD feature", "boundaries_leicester/ons_lad21_bgc/E06000016.geojsonl", Options{}, geo.KindCity, 1,
			[]string{"E06000016"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(data, tc.file)
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			areas, err := ReadFile(path, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkAreas(areas); err != nil {
				t.Fatal(err)
			}
			if len(areas) != tc.n {
				t.Errorf("%d areas, want %d", len(areas), tc.n)
			}
			var codes []string
			names := map[string]string{}
			for _, a := range areas {
				if a.Kind != tc.kind {
					t.Errorf("%s: kind %q, want %q", a.Code, a.Kind, tc.kind)
				}
				codes = append(codes, a.Code)
				names[a.Code] = a.Name
			}
			if tc.codes != nil && !slices.Equal(codes, tc.codes) {
				t.Errorf("codes %v, want %v", codes, tc.codes)
			}
			for c, n := range tc.names {
				if names[c] != n {
					t.Errorf("%s is named %q, want %q", c, names[c], n)
				}
			}
		})
	}

	t.Run("martinjc 2011 MSOAs are refused", func(t *testing.T) {
		path := filepath.Join(data, "boundaries_leicester/martinjc_uk_geojson/msoa_by_lad_E06000016.json")
		if _, err := os.Stat(path); err != nil {
			t.Skip(err)
		}
		_, err := ReadFile(path, Options{})
		if !errors.Is(err, geo.ErrInvalid) || !strings.Contains(err.Error(), "pass --kind ward|lsoa|city") {
			t.Errorf("err = %v, want a request for --kind", err)
		}
	})

	for _, dir := range []string{"ons_wards_WD20_bgc", "ons_lsoa21_bgc_new_codes"} {
		files, _ := filepath.Glob(filepath.Join(data, "boundaries_leicester", dir, "*.geojsonl"))
		kind := map[string]geo.AreaKind{"ons_wards_WD20_bgc": geo.KindWard, "ons_lsoa21_bgc_new_codes": geo.KindLSOA}[dir]
		if dir == "ons_wards_WD20_bgc" && len(files) != 21 {
			t.Errorf("%s: %d files, want 21", dir, len(files))
		}
		for _, f := range files {
			code := strings.TrimSuffix(filepath.Base(f), ".geojsonl")
			t.Run(dir+"/"+code, func(t *testing.T) {
				areas, err := ReadFile(f, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := checkAreas(areas); err != nil {
					t.Fatal(err)
				}
				if len(areas) != 1 || areas[0].Code != code || areas[0].Kind != kind {
					t.Errorf("got %v, want one %s %s", summarise(areas), kind, code)
				}
			})
		}
	}
}

// BenchmarkReadCouncilWards reads the largest boundary file, about 8,700
// vertices, which must load in well under 100 ms.
func BenchmarkReadCouncilWards(b *testing.B) {
	path := filepath.Join(sharedData(b), "leicester_city_council/leicester_wards_lcc.geojson")
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	opt := Options{Kind: geo.KindWard, CodeField: "WD20CD", NameField: "ward_name"}
	b.ReportAllocs()
	var vertices int
	for b.Loop() {
		areas, err := Read(strings.NewReader(string(raw)), path, opt)
		if err != nil {
			b.Fatal(err)
		}
		vertices = 0
		for _, a := range areas {
			for _, p := range a.Geometry {
				for _, r := range p {
					vertices += len(r)
				}
			}
		}
	}
	b.ReportMetric(float64(vertices)*float64(b.N)/b.Elapsed().Seconds(), "vertices/s")
}
