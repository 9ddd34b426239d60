package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
)

func cmdIngest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, opt, err := parseIngestFlags(args, stderr, getenv)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, f.store.logFormat, f.store.logLevel)
	if err != nil {
		return err
	}
	st, err := f.store.open(ctx, log, 0)
	if err != nil {
		return err
	}
	defer st.Close()

	if !f.asJSON && !f.noProgress && isTerminal(stderr) {
		opt.Progress = func(p ingest.Progress) {
			fmt.Fprintf(stderr, "\rreading %d/%d files, %d rows", p.FilesDone, p.Files, p.Rows)
			if p.FilesDone == p.Files {
				fmt.Fprintln(stderr)
			}
		}
	}
	// An import allocates a lot of short-lived rows and holds little; a
	// lazier collector makes a city's import markedly faster. The soft
	// limit stops that laziness from growing the heap to several times
	// what a national import holds (18 GB instead of 5 GB for 10 million
	// rows); GOMEMLIMIT, when set, decides instead.
	debug.SetGCPercent(400)
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(4 << 30)
	}
	start := time.Now()
	res, runErr := ingest.Run(ctx, st, opt)
	if runErr != nil && !errors.Is(runErr, ingest.ErrAllRejected) {
		return runErr
	}
	if f.asJSON {
		if err := printJSONSummary(stdout, res); err != nil {
			return err
		}
	} else {
		printSummary(stdout, res, time.Since(start))
	}
	return runErr
}

// ingestFlags are the ingest command's flags that do not go straight into
// ingest.Options.
type ingestFlags struct {
	store      storeFlags
	asJSON     bool
	noProgress bool
}

// parseIngestFlags parses the ingest command's arguments into its flags and
// the options of the import (all but Progress).
func parseIngestFlags(args []string, stderr io.Writer, getenv func(string) string) (ingestFlags, ingest.Options, error) {
	fs := newFlagSet("ingest", "ingest [--data-dir DIR | --database-url URL] [--json] [--boundaries FILE.geojson]... [--population FILE.csv] [--source NAME --mapping MAP.json [--pseudonym-key-file F]] [--premises FILE.csv] [PATH...]", stderr)
	var (
		f         ingestFlags
		bounds    multiFlag
		pop       string
		kind      string
		codeField string
		nameField string
		part      partnerFlags
	)
	f.store.register(fs, getenv)
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object: read, imported, duplicates, rejected, no_location")
	fs.Var(&bounds, "boundaries", "boundary GeoJSON file (repeatable); ONS WDxxCD/LSOAxxCD/LADxxCD names are detected")
	fs.StringVar(&pop, "population", "", "population CSV with code and population columns")
	fs.StringVar(&kind, "kind", "", "boundary kind for files without ONS names: ward, lsoa or city")
	fs.StringVar(&codeField, "code-field", "", "boundary property holding the area code")
	fs.StringVar(&nameField, "name-field", "", "boundary property holding the area name")
	fs.BoolVar(&f.noProgress, "no-progress", false, "do not show progress on a terminal")
	part.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return f, ingest.Options{}, err
	}
	// A row dated after this month is a mistake (one 9999-12 row would
	// become every default view's latest month).
	now := time.Now()
	opt := ingest.Options{Paths: fs.Args(), Boundaries: bounds, Population: pop, Latest: geo.NewMonth(now.Year(), int(now.Month())), Premises: part.premises}
	var err error
	if opt.Partner, err = part.options(getenv); err != nil {
		return f, opt, err
	}
	if kind != "" {
		k, ok := geo.ParseAreaKind(kind)
		if !ok {
			return f, opt, usagef("--kind %q: want ward, lsoa or city", kind)
		}
		opt.BoundaryOptions.Kind = k
	}
	opt.BoundaryOptions.CodeField, opt.BoundaryOptions.NameField = codeField, nameField
	if len(opt.Paths) == 0 && len(bounds) == 0 && pop == "" && part.premises == "" {
		return f, opt, usagef("nothing to import: give CSV files or folders, --boundaries, --population or --premises")
	}
	return f, opt, nil
}

// printJSONSummary writes the --json answer: the counts as one JSON object.
func printJSONSummary(w io.Writer, res ingest.Result) error {
	out := struct {
		Read       int `json:"read"`
		Imported   int `json:"imported"`
		Duplicates int `json:"duplicates"`
		Rejected   int `json:"rejected"`
		NoLocation int `json:"no_location"`
	}{res.Read, res.Imported, res.Duplicates, res.Rejected, res.NoLocation}
	return json.NewEncoder(w).Encode(out)
}

func printSummary(w io.Writer, r ingest.Result, took time.Duration) {
	fmt.Fprintf(w, "read         %d rows from %d files\n", r.Read, r.Files)
	fmt.Fprintf(w, "imported     %d\n", r.Imported)
	fmt.Fprintf(w, "duplicates   %d (already stored, skipped)\n", r.Duplicates)
	if r.Rejected > 0 {
		fmt.Fprintf(w, "rejected     %d (kept in %s)\n", r.Rejected, r.RejectsAt)
	} else {
		fmt.Fprintf(w, "rejected     0\n")
	}
	fmt.Fprintf(w, "no location  %d (kept; counted in no hex or ward)\n", r.NoLocation)
	if r.Areas > 0 {
		fmt.Fprintf(w, "boundaries   %d areas\n", r.Areas)
	}
	if r.Synthetic {
		fmt.Fprintf(w, "synthetic    the rows are declared generated: the source is reported as synthetic from now on\n")
	}
	fmt.Fprintf(w, "took         %s\n", took.Round(time.Millisecond))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
