package synth

import (
	"errors"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/policeuk"
)

// TestReadBack reads the written files with the ingest reader: every row
// must parse, and give what Incidents gives, ASB IDs included, so the demo
// city and an ingest of generated files hold the same incidents.
func TestReadBack(t *testing.T) {
	c := city(t, 42)
	opt := Options{Seed: 11, From: geo.NewMonth(2024, 6), Months: 4, Rows: 40000}
	paths, err := c.WriteCSVs(t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Collect(c.Incidents(opt))
	var got []geo.Incident
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r := policeuk.NewReader(f, p)
		for {
			inc, err := r.Read()
			if err == io.EOF {
				break
			}
			var pe *policeuk.ParseError
			if errors.As(err, &pe) {
				t.Fatalf("row rejected: %v (%q)", pe, pe.Raw)
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, *inc)
		}
		f.Close()
	}
	if len(got) != len(want) {
		t.Fatalf("read %d incidents, Incidents gives %d", len(got), len(want))
	}
	asb := 0
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d:\nread       %+v\nIncidents  %+v", i, got[i], want[i])
		}
		if got[i].Category == "Anti-social behaviour" {
			asb++
		}
	}
	if asb == 0 {
		t.Error("no ASB rows to compare derived IDs on")
	}
}
