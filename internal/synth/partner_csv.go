package synth

import (
	"encoding/csv"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// PartnerFiles are what WritePartner writes.
type PartnerFiles struct {
	Records, Mapping, Premises string
}

// partnerMapping is the mapping file of the synthetic export: every
// column DESIGN.md names, British National Grid coordinates, and the
// declaration that the records are generated, which ingest keeps.
const partnerMapping = `{
  "synthetic": true,
  "id": "Ref",
  "occurred": {"column": "Occurred", "layout": "02/01/2006 15:04"},
  "location": {"x": "Easting", "y": "Northing", "crs": "EPSG:27700"},
  "category": "Type",
  "location_name": "Street",
  "flags": {"homelessness": "Homeless", "street_lifestyle": "Street lifestyle",
            "domestic_abuse": "DA", "vawg": "VAWG", "cyp": "Under 18", "prevent": "Prevent",
            "knife": "Knife"},
  "premises": "Premises ID",
  "offender": "Offender Ref"
}
`

var partnerHeader = []string{"Ref", "Occurred", "Easting", "Northing", "Type", "Street", "Homeless", "Street lifestyle", "DA", "VAWG", "Under 18", "Prevent", "Knife", "Premises ID", "Offender Ref"}

// WritePartner writes a synthetic local source's export (CSV), its
// mapping file and a premises register into dir, every name beginning
// "synthetic-" so that none passes for a real file.
func (c *City) WritePartner(dir, source string, opt PartnerOptions) (PartnerFiles, error) {
	opt = opt.withDefaults()
	return writePartner(dir, source, c.PartnerRecords(opt), c.PremisesRegister(opt))
}

func writePartner(dir, source string, recs iter.Seq[PartnerRecord], register []geo.Premises) (PartnerFiles, error) {
	out := PartnerFiles{
		Records:  filepath.Join(dir, "synthetic-"+source+"-records.csv"),
		Mapping:  filepath.Join(dir, "synthetic-"+source+"-mapping.json"),
		Premises: filepath.Join(dir, "synthetic-premises.csv"),
	}
	if err := os.WriteFile(out.Mapping, []byte(partnerMapping), 0o644); err != nil {
		return out, err
	}
	err := writeCSV(out.Records, partnerHeader, func(w *csv.Writer) error {
		for rec := range recs {
			if err := w.Write(rec.row()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	err = writeCSV(out.Premises, []string{"id", "name", "kind", "easting", "northing"}, func(w *csv.Writer) error {
		for _, p := range register {
			e, n := toGrid(p.Point)
			if err := w.Write([]string{p.ID, p.Name, p.Kind, fmt.Sprintf("%.0f", e), fmt.Sprintf("%.0f", n)}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (rec *PartnerRecord) row() []string {
	yes := func(f geo.Flag) string {
		if rec.Flags.Has(f) {
			return "Y"
		}
		return ""
	}
	var e, n string
	if rec.HasLocation {
		e, n = strconv.FormatFloat(rec.Easting, 'f', 1, 64), strconv.FormatFloat(rec.Northing, 'f', 1, 64)
	}
	return []string{rec.ID, rec.Occurred.Format("02/01/2006 15:04"), e, n, rec.Category, rec.Location,
		yes(geo.Homelessness), yes(geo.StreetLifestyle), yes(geo.DomesticAbuse), yes(geo.VAWG), yes(geo.CYP), yes(geo.Prevent), yes(geo.Knife),
		rec.Premises, rec.OffenderRef}
}

// PremisesRegister returns the synthetic premises register the records'
// premises ids name, placed at the city's map points.
func (c *City) PremisesRegister(opt PartnerOptions) []geo.Premises {
	opt = opt.withDefaults()
	return premisesAt(opt, len(c.points), func(i int) (orb.Point, string) { return c.points[i].pt, c.points[i].location })
}

// premisesAt draws opt.Premises premises of the register's kinds at map
// points: point(i) gives the i-th of n points and its location text.
func premisesAt(opt PartnerOptions, n int, point func(int) (orb.Point, string)) []geo.Premises {
	r := rand.New(rand.NewPCG(opt.Seed, 0x7e3))
	kinds := []string{"licensed", "licensed", "takeaway", "retail", "hostel", "knife-vape-seller", "other"}
	out := make([]geo.Premises, opt.Premises)
	for i := range out {
		pt, loc := point(r.IntN(n))
		kind := kinds[r.IntN(len(kinds))]
		out[i] = geo.Premises{ID: fmt.Sprintf("SYN-P%04d", i+1), Name: fmt.Sprintf("Synthetic %s %d (%s)", strings.ReplaceAll(kind, "-", " "), i+1, loc),
			Kind: kind, HasLocation: true, Point: pt}
	}
	return out
}

func writeCSV(path string, header []string, rows func(*csv.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		f.Close()
		return err
	}
	if err := rows(w); err != nil {
		f.Close()
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
