package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// storeFlags are the flags every command that opens a store shares. Each
// default comes from HOTSPOT_<NAME>, so a flag beats the environment,
// which beats the built-in default.
type storeFlags struct {
	dataDir   string
	logFormat string
	logLevel  string
}

func (sf *storeFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&sf.dataDir, "data-dir", envOr(getenv, "HOTSPOT_DATA_DIR", defaultDataDir(getenv)),
		"embedded store directory (env HOTSPOT_DATA_DIR)")
	fs.StringVar(&sf.logFormat, "log-format", envOr(getenv, "HOTSPOT_LOG_FORMAT", "text"), "log format: text or json (env HOTSPOT_LOG_FORMAT)")
	fs.StringVar(&sf.logLevel, "log-level", envOr(getenv, "HOTSPOT_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env HOTSPOT_LOG_LEVEL)")
}

func (sf *storeFlags) open(ctx context.Context, log *slog.Logger, poll time.Duration) (geo.Store, error) {
	if sf.dataDir == "" {
		return nil, usagef("no data directory: set --data-dir or HOTSPOT_DATA_DIR")
	}
	return embedded.Open(ctx, sf.dataDir, embedded.Options{Logger: log, Poll: poll})
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// defaultDataDir follows the XDG base directory convention.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "hotspot")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "hotspot")
	}
	return ""
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// newFlagSet returns a flag set whose errors and help go to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: hotspot %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
