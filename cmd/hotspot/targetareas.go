package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/geo/targetarea"
)

// hotspot target-areas add|list|rm|evaluate (DESIGN.md, "Target
// areas"): the areas live in the store, so one added here is seen by
// every serving process of that store at once.

const targetAreasSynopsis = `target-areas add      [--data-dir DIR | --database-url URL] [--owner KEY-ID] [--json] FILE.geojson
       hotspot target-areas list     [--data-dir DIR | --database-url URL] [--json]
       hotspot target-areas rm       [--data-dir DIR | --database-url URL] ID
       hotspot target-areas evaluate [--data-dir DIR | --database-url URL] --control WARD|AREA-ID [--before N] [--after N] [--buffer METRES] [--json] ID`

func cmdTargetAreas(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usagef("hotspot %s", targetAreasSynopsis)
	}
	sub := map[string]func(context.Context, []string, io.Writer, io.Writer, func(string) string) error{
		"add": targetAreasAdd, "list": targetAreasList, "rm": targetAreasRm, "evaluate": targetAreasEvaluate,
	}
	if f, ok := sub[args[0]]; ok {
		return f(ctx, args[1:], stdout, stderr, getenv)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stdout, "Usage: hotspot %s\n", targetAreasSynopsis)
		return nil
	}
	return usagef("unknown target-areas command %q: want add, list, rm or evaluate", args[0])
}

// openAreaAnalyzer is openAnalyzer for commands that check or evaluate
// areas: a store that keeps none is an error.
func openAreaAnalyzer(ctx context.Context, sf *storeFlags, prioFile string, stderr io.Writer) (*analysis.Analyzer, func(), error) {
	an, closeStore, err := openAnalyzer(ctx, sf, prioFile, stderr)
	if err != nil {
		return nil, nil, err
	}
	if an.TargetAreaStore() == nil {
		closeStore()
		return nil, nil, fmt.Errorf("the store at %s keeps no target areas", sf.where())
	}
	return an, closeStore, nil
}

func targetAreasAdd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("target-areas add", targetAreasSynopsis, stderr)
	var (
		sf              storeFlags
		owner, prioFile string
		asJSON          bool
	)
	sf.register(fs, getenv)
	fs.StringVar(&owner, "owner", "", "id of the key that owns the area (default none: only an admin may change it through the API)")
	fs.StringVar(&prioFile, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	fs.BoolVar(&asJSON, "json", false, `print {"id"} as JSON`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give one GeoJSON file holding a Feature (Polygon or MultiPolygon)")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	d, err := targetarea.Parse(b)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	an, done, err := openAreaAnalyzer(ctx, &sf, prioFile, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := an.CheckTargetArea(ctx, d); err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ta := geo.TargetArea{ID: "ta_" + hex.EncodeToString(id[:]), Name: d.Name, Priority: d.Priority, Start: d.Start,
		Actions: d.Actions, Owner: owner, Geometry: d.Geometry, Created: now, Updated: now}
	if err := an.TargetAreaStore().AddTargetArea(ctx, ta); err != nil {
		return fmt.Errorf("store the area: %w", err)
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{"id": ta.ID})
	}
	fmt.Fprintln(stdout, ta.ID)
	return nil
}

func targetAreasList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("target-areas list", targetAreasSynopsis, stderr)
	var (
		sf     storeFlags
		asJSON bool
	)
	sf.register(fs, getenv)
	fs.BoolVar(&asJSON, "json", false, "print the areas as a GeoJSON FeatureCollection (the API's answer)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	an, done, err := openAreaAnalyzer(ctx, &sf, "", stderr)
	if err != nil {
		return err
	}
	defer done()
	all, err := an.TargetAreas(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return layer.WriteGeoJSON(stdout, layer.TargetAreaAnswer(all, layer.Request{}))
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPRIORITY\tSTART\tOWNER")
	for _, a := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Priority, a.Start, a.Owner)
	}
	return tw.Flush()
}

func targetAreasRm(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("target-areas rm", targetAreasSynopsis, stderr)
	var sf storeFlags
	sf.register(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give the id of the area to remove")
	}
	an, done, err := openAreaAnalyzer(ctx, &sf, "", stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := an.TargetAreaStore().DeleteTargetArea(ctx, fs.Arg(0)); errors.Is(err, geo.ErrNotFound) {
		return fmt.Errorf("no target area %q", fs.Arg(0))
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s\n", fs.Arg(0))
	return nil
}

func targetAreasEvaluate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("target-areas evaluate", targetAreasSynopsis, stderr)
	var (
		sf                storeFlags
		control, prioFile string
		before, after     int
		buffer            float64
		asJSON            bool
	)
	sf.register(fs, getenv)
	fs.StringVar(&control, "control", "", "the control: a ward code or name, or another target area's id")
	fs.IntVar(&before, "before", analysis.DefaultBefore, "months before the start")
	fs.IntVar(&after, "after", analysis.DefaultAfter, "months from the start")
	fs.Float64Var(&buffer, "buffer", analysis.DefaultBuffer, "metres round the area where displacement is looked for (0: none)")
	fs.StringVar(&prioFile, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	fs.BoolVar(&asJSON, "json", false, "print the API's answer as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give the id of the area to evaluate")
	}
	an, done, err := openAreaAnalyzer(ctx, &sf, prioFile, stderr)
	if err != nil {
		return err
	}
	defer done()
	ev, err := an.EvaluateTargetArea(ctx, fs.Arg(0), analysis.EvalQuery{Before: before, After: after, Buffer: &buffer, Control: control})
	var fe *analysis.FieldError
	switch {
	case errors.As(err, &fe):
		return usagef("--%s: %s", fe.Field, fe.Msg)
	case errors.Is(err, geo.ErrNotFound):
		return fmt.Errorf("no target area %q", fs.Arg(0))
	case err != nil:
		return err
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(api.EvaluationBody(ev))
	}
	printEvaluation(stdout, ev)
	return nil
}

func printEvaluation(w io.Writer, ev *analysis.AreaEvaluation) {
	fmt.Fprintf(w, "%s (%s), %s from %s; control %s %s %s\n", ev.Area.Name, ev.Area.ID, ev.Area.Priority, ev.Area.Start, ev.ControlKind, ev.Control, ev.ControlName)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tbefore %s\tafter %s\t\n", ev.Before, ev.After)
	fmt.Fprintf(tw, "area (T)\t%d\t%d\t\n", ev.TBefore, ev.TAfter)
	fmt.Fprintf(tw, "buffer %gm (D)\t%d\t%d\t\n", ev.Buffer, ev.DBefore, ev.DAfter)
	fmt.Fprintf(tw, "control (C)\t%d\t%d\t\n", ev.CBefore, ev.CAfter)
	_ = tw.Flush()
	f := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprintf("%.4g", *v)
	}
	fmt.Fprintf(w, "WDQ %s; WDD %g (se %s, z %s, p %s)\n%s\n", f(ev.WDQ), ev.WDD, f(ev.WDDSE), f(ev.WDDZ), f(ev.WDDP), ev.Verdict)
}
