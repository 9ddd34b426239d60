package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// generatePartner writes a synthetic local source and says how to load
// it. The pseudonym key written beside it is as synthetic as the data: a
// real key is kept apart from the exports it pseudonymises.
func generatePartner(stdout io.Writer, city *synth.City, out, source string, opt synth.PartnerOptions) error {
	if err := geo.ValidSourceName(source); err != nil {
		return usagef("--source: %v", err)
	}
	files, err := city.WritePartner(out, source, opt)
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
	// The records lie in the synthetic city, not in any real place: next to
	// real police.uk data and wards they fall outside every ward.
	fmt.Fprintln(stdout, "the records lie in the synthetic city of `hotspot generate` (its synthetic-wards.geojson): import them into a store of that city, not beside real data, where they would fall outside every ward")
	return nil
}
