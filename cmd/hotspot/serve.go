package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/priority"
	"github.com/leicester-csp/hotspot/geo/store/fallback"
	"github.com/leicester-csp/hotspot/geo/store/pending"
	"github.com/leicester-csp/hotspot/geo/store/replicas"
	"github.com/leicester-csp/hotspot/internal/metrics"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("serve", "serve [--addr :8080] [--data-dir DIR | --database-url URL [--database-read-url URL]... [--max-replica-lag 30s]] [--priorities FILE] [--max-cells N] [--max-inflight N] [--rate-limit R] [--trusted-proxies CIDR,…] [--basemap FILE.pmtiles] [--suppress-below N] [--no-demo]", stderr)
	var (
		sf         storeFlags
		addr       string
		prioFile   string
		noDemo     bool
		pollPeriod time.Duration
		lf         limitFlags
		ff         frontFlags
		rf         replicaFlags
	)
	sf.register(fs, getenv)
	rf.register(fs, getenv)
	lf.register(fs)
	ff.register(fs, getenv)
	fs.StringVar(&addr, "addr", envOr(getenv, "HOTSPOT_ADDR", ":8080"), "listen address (env HOTSPOT_ADDR)")
	fs.StringVar(&prioFile, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	fs.BoolVar(&noDemo, "no-demo", false, "serve an empty store as empty instead of the synthetic demo city")
	fs.DurationVar(&pollPeriod, "poll", 2*time.Second, "how often to look for imports by other processes")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var cfg api.Config
	if err := lf.apply(fs, getenv, &cfg); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	log, err := newLogger(stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		return err
	}
	closeFront, err := ff.apply(&cfg, log)
	if err != nil {
		return err
	}
	defer closeFront()
	plan, err := priority.LoadPlan(prioFile)
	if err != nil {
		return err
	}
	if err := rf.check(fs, getenv, &sf); err != nil {
		return err
	}
	m := metrics.New()
	var opened atomic.Pointer[replicas.Store]
	st, err := openServed(ctx, &sf, log, rf.opener(&sf, log, pollPeriod, m, &opened))
	if err != nil {
		return err
	}
	defer st.Close()
	// Hand the load's garbage (file buffers, sort scratch) back now.
	debug.FreeOSMemory()
	store, synthetic, closeDemo, err := withDemo(ctx, st, noDemo, &sf, log)
	if err != nil {
		return err
	}
	defer closeDemo()

	cfg.Store, cfg.Analyzer, cfg.Logger, cfg.Synthetic = store, analysis.New(store, plan.Priorities).WithMeasures(plan.Measures).WithMaxCells(lf.maxCells), log, synthetic
	cfg.Metrics, cfg.Databases = m, databasesOf(&opened)
	m.Data(store)
	realTargetAreas(&cfg, st)
	// Keys and the audit log are the real store's, never the demo's.
	if kr, ok := st.(access.Keyring); ok {
		cfg.Keys = kr
	}
	handler := pinRequests(api.New(cfg))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return serveHTTP(ctx, ln, handler, log)
}

// withDemo serves the synthetic demo city while st holds nothing (or
// cannot say yet: a database still down), unless noDemo; closeDemo
// removes the demo's files.
func withDemo(ctx context.Context, st geo.Store, noDemo bool, sf *storeFlags, log *slog.Logger) (store geo.Store, synthetic func(context.Context) bool, closeDemo func(), err error) {
	store, synthetic, closeDemo = st, func(context.Context) bool { return false }, func() {}
	if months, err := st.Months(ctx); (err == nil && len(months) > 0) || noDemo {
		return store, synthetic, closeDemo, nil
	}
	log.Info("the store is empty (or not reachable yet): the synthetic demo city is shown while it holds nothing", slog.String("store", sf.where()))
	demo, cleanup, err := openDemo(ctx, log)
	if err != nil {
		return nil, nil, nil, err
	}
	fb := &fallback.Store{Primary: st, Demo: demo}
	return fb, fb.Synthetic, cleanup, nil
}

// serveHTTP serves until ctx is cancelled (SIGINT/SIGTERM), then lets
// requests in flight finish for up to ten seconds.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", slog.String("url", "http://"+displayAddr(ln.Addr())+"/"))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayAddr turns a wildcard listen address into one a browser opens.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return fmt.Sprintf("localhost:%d", tcp.Port)
}

// maxCellsFrom is --max-cells, or HOTSPOT_MAX_CELLS when the flag is not
// given.
func maxCellsFrom(fs *flag.FlagSet, flagValue int, getenv func(string) string) (int, error) {
	v := getenv("HOTSPOT_MAX_CELLS")
	if v == "" || flagGiven(fs, "max-cells") {
		return flagValue, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, usagef("HOTSPOT_MAX_CELLS %q: want a positive integer", v)
	}
	return n, nil
}

// flagGiven reports whether the command line set the named flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// openServed opens the store to serve with open. A database that is down
// does not stop the server: it starts not ready, answers 503, and begins
// serving when the database answers.
func openServed(ctx context.Context, sf *storeFlags, log *slog.Logger, open func(context.Context) (geo.Store, error)) (geo.Store, error) {
	st, err := open(ctx)
	if errors.Is(err, geo.ErrUnavailable) && sf.databaseURL != "" {
		log.Warn("the database is not available; serving not-ready until it is", slog.String("database", sf.where()), slog.Any("err", err))
		return pending.Open(open, 2*time.Second, log), nil
	}
	return st, err
}

// realTargetAreas gives the analyzer the real store's target areas: like
// keys, they are never the demo city's.
// Ward briefs then list them too.
func realTargetAreas(cfg *api.Config, st geo.Store) {
	if ts, ok := st.(geo.TargetAreaStore); ok {
		cfg.Analyzer.WithTargetAreas(ts)
		cfg.TargetAreas = cfg.Analyzer.AreaSummaries
	}
}
