package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// partnerLayout is the layout (city or nation) partner records are
// placed in, and the --shape that names it.
type partnerLayout struct {
	w interface {
		WritePartner(dir, source string, opt synth.PartnerOptions) (synth.PartnerFiles, error)
	}
	shape string
}

// generatePartner writes a synthetic local source and says how to load
// it. The pseudonym key written beside it is as synthetic as the data: a
// real key is kept apart from the exports it pseudonymises.
func generatePartner(stdout io.Writer, layout partnerLayout, out, source string, opt synth.PartnerOptions) error {
	if err := geo.ValidSourceName(source); err != nil {
		return usagef("--source: %v", err)
	}
	files, err := layout.w.WritePartner(out, source, opt)
	if err != nil {
		return err
	}
	key := filepath.Join(out, "synthetic-pseudonym.key")
	if err := os.WriteFile(key, []byte(fmt.Sprintf("synthetic-demo-key-%d\n", opt.Seed)), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d synthetic %s records (%s), %s, %s and %s (synthetic data, not real)\n", opt.Rows, source,
		filepath.Base(files.Records), filepath.Base(files.Mapping), filepath.Base(files.Premises), filepath.Base(key))
	fmt.Fprintf(stdout, "import with: hotspot ingest --source %s --mapping %s --pseudonym-key-file %s --premises %s %s\n",
		source, files.Mapping, key, files.Premises, files.Records)
	// The records lie in the synthetic layout, not in any real place: next
	// to real police.uk data and wards they fall outside every ward.
	fmt.Fprintf(stdout, "the records lie in the synthetic %[1]s layout of `hotspot generate --shape %[1]s --seed %[2]d` (its synthetic-wards.geojson): import them into a store of that layout, not beside real data, where they would fall outside every ward\n", layout.shape, opt.Seed)
	return nil
}
