package partner

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func readPremises(t *testing.T, r *PremisesReader) ([]*Premises, []*ParseError, error) {
	t.Helper()
	var ok []*Premises
	var bad []*ParseError
	for {
		p, err := r.Read()
		var pe *ParseError
		switch {
		case err == io.EOF:
			return ok, bad, nil
		case errors.As(err, &pe):
			bad = append(bad, pe)
		case err != nil:
			return ok, bad, err
		default:
			ok = append(ok, p)
		}
	}
}

func TestPremisesFixture(t *testing.T) {
	ok, bad, err := readPremises(t, NewPremisesReader(openFixture(t, "synthetic_premises.csv"), "synthetic_premises.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ok {
		ids = append(ids, p.ID+":"+p.Kind)
	}
	if got := strings.Join(ids, " "); got != "PRM-001:licensed PRM-002:knife-vape-seller PRM-003:hostel PRM-006:retail" {
		t.Errorf("premises = %s", got)
	}
	if !ok[0].HasLocation || ok[0].Name != "Synthetic Late Bar" || ok[2].HasLocation {
		t.Errorf("premises %+v / %+v", ok[0], ok[2])
	}
	// SK 58765 04626 is the Clock Tower, 52.6362 N −1.1331 E.
	if d := metresApart(ok[0].Point.Lon(), ok[0].Point.Lat(), -1.1331, 52.6362); d > 12 {
		t.Errorf("PRM-001 at %v, %.1f m from the Clock Tower", ok[0].Point, d)
	}
	want := []struct {
		line          int
		field, reason string
	}{
		{5, "id", `id "PRM-001" is already used on line 2`},
		{6, "kind", `kind "pawnbroker" is not a premises kind (want one of licensed, retail, knife-vape-seller, takeaway, hostel, other)`},
		{7, "id", "id is empty"},
		{8, "northing", `northing "abc" is not a number`},
	}
	if len(bad) != len(want) {
		t.Fatalf("%d rejects, want %d: %v", len(bad), len(want), bad)
	}
	for i, w := range want {
		pe := bad[i]
		if pe.Line != w.line || pe.Field != w.field || !strings.Contains(pe.Reason, w.reason) || pe.File != "synthetic_premises.csv" {
			t.Errorf("reject %d: line %d field %q reason %q; want line %d field %q %q", i, pe.Line, pe.Field, pe.Reason, w.line, w.field, w.reason)
		}
	}
}

// metresApart is the distance between two nearby WGS 84 positions on the
// mean sphere, good to centimetres over the metres compared here.
func metresApart(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	return r * math.Hypot((lon2-lon1)*rad*math.Cos((lat1+lat2)/2*rad), (lat2-lat1)*rad)
}

func TestPremisesRows(t *testing.T) {
	const lonlat = "id,name,kind,longitude,latitude\n"
	tests := []struct {
		name, data    string
		field, reason string
	}{
		{"lon/lat", lonlat + "P1,Synthetic Bar,licensed,-1.1331,52.6362\n", "", ""},
		{"columns in any order and case", " Kind ,LATITUDE,Name,Id,Longitude,notes\nother,52.6,Synthetic,P1,-1.1,x\n", "", ""},
		{"name may be blank", lonlat + "P1,,retail,-1.1,52.6\n", "", ""},
		{"every kind", lonlat + "P1,a,licensed,,\nP2,b,retail,,\nP3,c,knife-vape-seller,,\nP4,d,takeaway,,\nP5,e,hostel,,\nP6,f,other,,\n", "", ""},
		{"kind blank", lonlat + "P1,Synthetic,,-1.1,52.6\n", "kind", `kind "" is not a premises kind`},
		{"kind misspelt", lonlat + "P1,Synthetic,knife vape seller,-1.1,52.6\n", "kind", "is not a premises kind"},
		{"latitude out of range", lonlat + "P1,Synthetic,retail,-1.1,95\n", "latitude", "out of range"},
		{"half a location", lonlat + "P1,Synthetic,retail,-1.1,\n", "latitude", "only one of longitude/latitude"},
		{"duplicate after trimming", lonlat + "P1,a,retail,,\n P1 ,b,retail,,\n", "id", `"P1" is already used on line 2`},
		{"over 64 KiB", lonlat + "P1," + strings.Repeat("n", 64<<10+1) + ",retail,,\n", "name", "over the 65536"},
		{"wrong number of fields", lonlat + "P1,a,retail\n", "", "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, bad, err := readPremises(t, NewPremisesReader(strings.NewReader(tt.data), "p.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.reason == "" {
				if len(bad) > 0 || len(ok) == 0 {
					t.Errorf("%d premises, rejects %v", len(ok), bad)
				}
				return
			}
			if len(bad) != 1 || bad[0].Field != tt.field || !strings.Contains(bad[0].Reason, tt.reason) || !errors.Is(bad[0], geo.ErrInvalid) {
				t.Errorf("rejects %v (field %q), want one in %q with %q", bad, fieldOf(firstReject(bad)), tt.field, tt.reason)
			}
		})
	}
}

func firstReject(bad []*ParseError) *ParseError {
	if len(bad) == 0 {
		return nil
	}
	return bad[0]
}

func TestPremisesRefused(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "empty file"},
		{"no kind", "id,name,longitude,latitude\n", "lacks column(s) kind"},
		{"no coordinates", "id,name,kind\n", "lacks column(s) longitude, latitude"},
		{"half the grid", "id,name,kind,easting\n", "lacks column(s) northing"},
		{"both pairs", "id,name,kind,longitude,latitude,easting,northing\n", "both longitude/latitude and easting/northing"},
		{"id twice", "id,name,kind,longitude,latitude,ID\n", `column "id" twice`},
		{"quote open to the end", "id,name,kind,longitude,latitude\nP1,\"Synthetic,retail,,\nP2,a,retail,,\n", "opened on line 2 is never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readPremises(t, NewPremisesReader(strings.NewReader(tt.data), "p.csv"))
			if err == nil || !errors.Is(err, geo.ErrInvalid) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "p.csv") {
				t.Errorf("error %v, want one naming p.csv with %q", err, tt.want)
			}
		})
	}
}
