package partner

import (
	"errors"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// designMapping is DESIGN.md's example mapping, as written there.
const designMapping = `{"id": "Ref", "occurred": {"column": "Occurred", "layout": "02/01/2006 15:04"},
 "location": {"x": "Easting", "y": "Northing", "crs": "EPSG:27700"},
 "category": "Type", "location_name": "Street",
 "flags": {"homelessness": "Homeless", "street_lifestyle": "Street lifestyle",
           "domestic_abuse": "DA", "vawg": "VAWG", "cyp": "Under 18", "prevent": "Prevent",
           "knife": "Knife"},
 "premises": "Premises ID", "offender": "Offender Ref"}`

func TestParseMappingDesignExample(t *testing.T) {
	m, err := ParseMapping([]byte(designMapping))
	if err != nil {
		t.Fatal(err)
	}
	want := Mapping{ID: "Ref", Category: "Type", LocationName: "Street", Premises: "Premises ID", Offender: "Offender Ref"}
	want.Occurred.Column, want.Occurred.Layout = "Occurred", "02/01/2006 15:04"
	want.Location.X, want.Location.Y, want.Location.CRS = "Easting", "Northing", BritishNationalGrid
	want.Flags = [NumFlags]string{"Homeless", "Street lifestyle", "DA", "VAWG", "Under 18", "Prevent", "Knife"}
	if *m != want {
		t.Errorf("ParseMapping = %+v\nwant %+v", *m, want)
	}
	if !m.NeedsKey() || !errors.Is(m.CheckKey(nil), ErrNoKey) || m.CheckKey([]byte("k")) != nil {
		t.Error("a mapping with offender must need a key")
	}
}

// minimal is the smallest valid mapping; cases edit it.
const minimal = `{"id": "Ref", "occurred": {"column": "When", "layout": "2006-01-02 15:04"},
 "location": {"x": "Lon", "y": "Lat", "crs": "EPSG:4326"}, "category": "Type"}`

func TestParseMappingValid(t *testing.T) {
	tests := []struct {
		name, json string
		check      func(*Mapping) bool
	}{
		{"minimal", minimal, func(m *Mapping) bool {
			return m.Location.CRS == WGS84 && !m.NeedsKey() && m.Flags == [NumFlags]string{}
		}},
		{"names trimmed", strings.Replace(minimal, `"Type"`, `"  Type "`, 1), func(m *Mapping) bool { return m.Category == "Type" }},
		{"empty flags object", strings.Replace(minimal, `"category"`, `"flags": {}, "category"`, 1), func(m *Mapping) bool { return true }},
		{"one flag", strings.Replace(minimal, `"category"`, `"flags": {"vawg": "VAWG?"}, "category"`, 1),
			func(m *Mapping) bool { return m.Flags[VAWG] == "VAWG?" && m.Flags[Knife] == "" }},
		{"12-hour clock", strings.Replace(minimal, `2006-01-02 15:04`, `2/1/2006 3:04 PM`, 1), func(m *Mapping) bool { return true }},
		{"month name, seconds", strings.Replace(minimal, `2006-01-02 15:04`, `02 Jan 2006 15:04:05`, 1), func(m *Mapping) bool { return true }},
		{"hour only", strings.Replace(minimal, `2006-01-02 15:04`, `2006-01-02 15h`, 1), func(m *Mapping) bool { return true }},
		{"byte order mark", "\xef\xbb\xbf" + minimal, func(m *Mapping) bool { return m.ID == "Ref" }},
		{"two columns share a column", strings.Replace(minimal, `"Type"`, `"Ref"`, 1), func(m *Mapping) bool { return m.Category == "Ref" }},
		{"not synthetic unless said", minimal, func(m *Mapping) bool { return !m.Synthetic }},
		{"synthetic", strings.Replace(minimal, `"category"`, `"synthetic": true, "category"`, 1), func(m *Mapping) bool { return m.Synthetic }},
		{"synthetic false", strings.Replace(minimal, `"category"`, `"synthetic": false, "category"`, 1), func(m *Mapping) bool { return !m.Synthetic }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMapping([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(m) {
				t.Errorf("ParseMapping = %+v", *m)
			}
		})
	}
}

func TestParseMappingErrors(t *testing.T) {
	rep := func(old, new string) string { return strings.Replace(minimal, old, new, 1) }
	tests := []struct {
		name, json string
		want       []string // substrings of the error, the key path first
	}{
		{"not JSON", `{"id": "Ref",`, []string{"not valid JSON"}},
		{"syntax error names the line", "{\n\"id\": \"Ref\"\n,,}", []string{"line 3"}},
		{"an array", `["id"]`, []string{"want a JSON object"}},
		{"null", `null`, []string{"want a JSON object"}},
		{"two values", minimal + minimal, []string{"want a JSON object"}},
		{"key twice", rep(`"category": "Type"`, `"category": "Type", "category": "Kind"`), []string{"mapping: category: given twice"}},
		{"nested key twice", rep(`"x": "Lon"`, `"x": "Lon", "x": "E"`), []string{"mapping: location.x: given twice"}},
		{"flag twice", rep(`"category"`, `"flags": {"cyp": "A", "cyp": "B"}, "category"`), []string{"mapping: flags.cyp: given twice"}},
		{"synthetic a string", rep(`"category"`, `"synthetic": "yes", "category"`), []string{"mapping: synthetic: want true or false"}},
		{"synthetic null", rep(`"category"`, `"synthetic": null, "category"`), []string{"mapping: synthetic: want true or false"}},
		{"unknown key", rep(`"category"`, `"catgory": "x", "category"`), []string{"mapping: catgory: unknown key", "category"}},
		{"missing id", rep(`"id": "Ref", `, ``), []string{"mapping: id: missing"}},
		{"missing category", rep(`, "category": "Type"`, ``), []string{"mapping: category: missing"}},
		{"missing occurred", rep(`"occurred": {"column": "When", "layout": "2006-01-02 15:04"},`, ``), []string{"mapping: occurred: missing"}},
		{"missing location", rep(`"location": {"x": "Lon", "y": "Lat", "crs": "EPSG:4326"},`, ``), []string{"mapping: location: missing"}},
		{"id not a string", rep(`"id": "Ref"`, `"id": 3`), []string{"mapping: id: want a string"}},
		{"id blank", rep(`"id": "Ref"`, `"id": "  "`), []string{"mapping: id: empty column name"}},
		{"offender blank", rep(`"category"`, `"offender": "", "category"`), []string{"mapping: offender: empty column name"}},
		{"occurred not an object", rep(`{"column": "When", "layout": "2006-01-02 15:04"}`, `"When"`), []string{"mapping: occurred: want a JSON object"}},
		{"occurred unknown key", rep(`"layout"`, `"format": "x", "layout"`), []string{"mapping: occurred.format: unknown key"}},
		{"occurred column missing", rep(`"column": "When", `, ``), []string{"mapping: occurred.column: missing"}},
		{"layout missing", rep(`, "layout": "2006-01-02 15:04"`, ``), []string{"mapping: occurred.layout: missing"}},
		{"layout empty", rep(`2006-01-02 15:04`, ``), []string{"mapping: occurred.layout: empty"}},
		{"layout blank", rep(`2006-01-02 15:04`, `  `), []string{"mapping: occurred.layout: empty"}},
		{"layout without year", rep(`2006-01-02 15:04`, `01-02 15:04`), []string{"mapping: occurred.layout:", "full date"}},
		{"layout without day", rep(`2006-01-02 15:04`, `2006-01 15:04`), []string{"mapping: occurred.layout:", "full date"}},
		{"layout without hour", rep(`2006-01-02 15:04`, `2006-01-02`), []string{"mapping: occurred.layout:", "hour"}},
		{"layout 12-hour without PM", rep(`2006-01-02 15:04`, `2006-01-02 3:04`), []string{"mapping: occurred.layout:", "hour"}},
		{"layout not Go's", rep(`2006-01-02 15:04`, `YYYY-MM-DD HH:mm`), []string{"mapping: occurred.layout:"}},
		{"layout with zone", rep(`2006-01-02 15:04`, `2006-01-02 15:04 MST`), []string{"mapping: occurred.layout:", "time zone"}},
		{"layout with offset", rep(`2006-01-02 15:04`, `2006-01-02T15:04Z07:00`), []string{"mapping: occurred.layout:", "time zone"}},
		{"location unknown key", rep(`"crs"`, `"z": "Up", "crs"`), []string{"mapping: location.z: unknown key"}},
		{"location x missing", rep(`"x": "Lon", `, ``), []string{"mapping: location.x: missing"}},
		{"crs missing", rep(`, "crs": "EPSG:4326"`, ``), []string{"mapping: location.crs: missing"}},
		{"crs unknown", rep(`EPSG:4326`, `EPSG:3857`), []string{"mapping: location.crs:", `"EPSG:3857" is not supported`}},
		{"crs lower case", rep(`EPSG:4326`, `epsg:4326`), []string{"mapping: location.crs:"}},
		{"crs a number", rep(`"EPSG:4326"`, `4326`), []string{"mapping: location.crs: want a string"}},
		{"flags not an object", rep(`"category"`, `"flags": ["vawg"], "category"`), []string{"mapping: flags: want a JSON object"}},
		{"unknown flag", rep(`"category"`, `"flags": {"vawgg": "V"}, "category"`),
			[]string{"mapping: flags.vawgg: unknown flag (want one of homelessness, street_lifestyle, domestic_abuse, vawg, cyp, prevent, knife)"}},
		{"flag spelt in capitals", rep(`"category"`, `"flags": {"VAWG": "V"}, "category"`), []string{"mapping: flags.VAWG: unknown flag"}},
		{"flag not a string", rep(`"category"`, `"flags": {"knife": true}, "category"`), []string{"mapping: flags.knife: want a string"}},
		{"offender column reused", rep(`"category"`, `"offender": "Type", "category"`),
			[]string{"mapping: offender:", `"Type" is also mapped as category`}},
		{"offender as a flag column", rep(`"category"`, `"offender": "X", "flags": {"cyp": "X"}, "category"`),
			[]string{"mapping: offender:", "flags.cyp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMapping([]byte(tt.json))
			if err == nil {
				t.Fatalf("ParseMapping = %+v, want an error", *m)
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("error does not wrap geo.ErrInvalid: %v", err)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}
