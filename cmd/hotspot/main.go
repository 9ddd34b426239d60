// Command hotspot imports police.uk crime data, indexes it into H3 cells and
// wards, and serves crime hotspots for a Community Safety Partnership.
//
//	hotspot serve   [--addr :8080] [--data-dir DIR]
//	hotspot ingest  [--data-dir DIR] [--json] [--boundaries FILE]... [--population FILE] [PATH...]
//	hotspot export  [--data-dir DIR] --layer hex|wards|incidents|repeats|emerging|forecast ...
//	hotspot backtest [--data-dir DIR] --priority ID --from M --to M ...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startCPUProfile(os.Getenv("HOTSPOT_CPUPROFILE"))
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stopProfile()
	writeAllocProfile(os.Getenv("HOTSPOT_MEMPROFILE"))
	stop()
	os.Exit(code)
}

// startCPUProfile writes a CPU profile of the whole command to path when
// it is set, so that a run by hand (an import, say) can be profiled as it
// is timed, start-up and commit included; "" does nothing.
func startCPUProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hotspot: HOTSPOT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// writeAllocProfile writes the allocations of the whole command to path
// when it is set: an import's CPU follows the new memory it touches (each
// new page is a fault), so where it allocates matters as much as where it
// computes. "" does nothing.
func writeAllocProfile(path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err == nil {
		runtime.GC() // the profile counts allocations up to the last collection
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hotspot: HOTSPOT_MEMPROFILE: %v\n", err)
	}
}

// exitUsage is the status for a command line that cannot be run.
const exitUsage = 2

const usage = `hotspot — crime hotspot mapping for a Community Safety Partnership

Usage:
  hotspot serve    [flags]            serve the API and the web map
  hotspot ingest   [flags] [PATH...]  import police.uk CSVs, boundaries, population
  hotspot export   [flags]            write a layer as GeoJSON or CSV
  hotspot generate [flags]            write synthetic police.uk-format CSVs
  hotspot keys     create|list|revoke  manage API keys (roles: public, partner, analyst, admin)
  hotspot audit    [flags]            print the audit log of keyed access to records
  hotspot backtest [flags]            how well past hot spots caught the next month
  hotspot brief    [flags]            write a printable ward briefing (HTML or JSON)
  hotspot report   [flags]            write the quarterly report (HTML, CSV or JSON)
  hotspot target-areas add|list|rm|evaluate  target areas and their evaluation

Run "hotspot COMMAND --help" for a command's flags.
`

// run is main without the process: arguments, output streams and the
// environment come in, an exit status goes out, so tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer, func(string) string) error{
		"ingest":   cmdIngest,
		"serve":    cmdServe,
		"export":   cmdExport,
		"generate": cmdGenerate,
		"keys":     cmdKeys,
		"audit":    cmdAudit,
		"backtest": cmdBacktest,
		"brief":    cmdBrief,
		"report":   cmdReport,

		"target-areas": cmdTargetAreas,
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "hotspot: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	err := cmd(ctx, args[1:], stdout, stderr, getenv)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "hotspot %s: %v\n", name, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "hotspot %s: %v\n", name, err)
		return 1
	}
}

// usageError is a command line that cannot be run as given.
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// newLogger builds the process's one logger.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", format)
}
