package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// storeFlags are the flags every command that opens a store shares. Each
// default comes from HOTSPOT_<NAME>, so a flag beats the environment,
// which beats the built-in default.
type storeFlags struct {
	dataDir     string
	databaseURL string
	logFormat   string
	logLevel    string
	defaultDir  string // the XDG default, used when neither is given
}

func (sf *storeFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&sf.dataDir, "data-dir", getenv("HOTSPOT_DATA_DIR"),
		"embedded store directory (env HOTSPOT_DATA_DIR; default $XDG_DATA_HOME/hotspot)")
	fs.StringVar(&sf.databaseURL, "database-url", getenv("HOTSPOT_DATABASE_URL"),
		"PostGIS store, postgres://… (env HOTSPOT_DATABASE_URL); instead of --data-dir")
	fs.StringVar(&sf.logFormat, "log-format", envOr(getenv, "HOTSPOT_LOG_FORMAT", "text"), "log format: text or json (env HOTSPOT_LOG_FORMAT)")
	fs.StringVar(&sf.logLevel, "log-level", envOr(getenv, "HOTSPOT_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env HOTSPOT_LOG_LEVEL)")
	sf.defaultDir = defaultDataDir(getenv)
}

// check settles which store the flags select; call it after parsing.
func (sf *storeFlags) check() error {
	if sf.dataDir != "" && sf.databaseURL != "" {
		return usagef("give --data-dir or --database-url, not both (check HOTSPOT_DATA_DIR and HOTSPOT_DATABASE_URL)")
	}
	if sf.databaseURL != "" {
		if !strings.HasPrefix(sf.databaseURL, "postgres://") && !strings.HasPrefix(sf.databaseURL, "postgresql://") {
			return usagef("--database-url must be a postgres:// URL")
		}
		return nil
	}
	if sf.dataDir == "" {
		sf.dataDir = sf.defaultDir
	}
	if sf.dataDir == "" {
		return usagef("no data directory: set --data-dir or HOTSPOT_DATA_DIR")
	}
	return nil
}

// where names the selected store for messages, without the URL's
// password.
func (sf *storeFlags) where() string {
	if sf.databaseURL == "" {
		return sf.dataDir
	}
	if u, err := url.Parse(sf.databaseURL); err == nil {
		return u.Redacted()
	}
	return "the database"
}

// open opens the selected store. poll is how often the embedded store
// looks for imports by other processes (0: never).
func (sf *storeFlags) open(ctx context.Context, log *slog.Logger, poll time.Duration) (geo.Store, error) {
	if err := sf.check(); err != nil {
		return nil, err
	}
	if sf.databaseURL != "" {
		return postgis.Open(ctx, sf.databaseURL, postgis.Options{Logger: log})
	}
	return embedded.Open(ctx, sf.dataDir, embedded.Options{Logger: log, Poll: poll})
}

// openOnce opens the selected store for a one-shot command (export,
// backtest, keys): its log goes to stderr and it does not poll for other
// processes' imports.
func (sf *storeFlags) openOnce(ctx context.Context, stderr io.Writer) (geo.Store, error) {
	log, err := newLogger(stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		return nil, err
	}
	return sf.open(ctx, log, 0)
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

// parseFlags parses a command's flags; a bad flag is a usage error, and
// --help (flag.ErrHelp) passes through so that run exits 0.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err}
}
