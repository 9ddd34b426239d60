package main

import (
	"flag"
	"log/slog"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/web"
	"github.com/leicester-csp/hotspot/web/basemap"
)

// frontFlags are what serve gives the map: the embedded front end and an
// optional local basemap.
type frontFlags struct {
	basemap string
}

func (f *frontFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.basemap, "basemap", getenv("HOTSPOT_BASEMAP"), "PMTiles archive (Protomaps basemap schema) drawn under the hot spots, served by hotspot itself (env HOTSPOT_BASEMAP)")
}

// apply sets the web map and the basemap of cfg. A basemap that cannot be
// read, or is not a PMTiles archive of vector tiles, refuses the start:
// a planner would otherwise find the streets silently missing.
func (f *frontFlags) apply(cfg *api.Config, log *slog.Logger) (closeFn func(), err error) {
	closeFn = func() {}
	var a *basemap.Archive
	if f.basemap != "" {
		if a, err = basemap.Open(f.basemap); err != nil {
			return nil, usagef("--basemap: %v", err)
		}
	}
	if h, ok := web.Handler(); ok {
		cfg.Web = h
	} else {
		log.Warn("the web map is not built into this binary: / shows a notice and the API; build it with bash .ci/serve or (cd web && npm ci && node build.mjs)")
	}
	if a == nil {
		return closeFn, nil
	}
	h := a.Header
	cfg.Basemap = &api.Basemap{
		Prefix: basemap.Prefix, Handler: basemap.NewHandler(a),
		Archive: basemap.ArchivePath, Glyphs: basemap.GlyphsURL,
		MinZoom: h.MinZoom, MaxZoom: h.MaxZoom, Bounds: h.Bounds, Attribution: h.Attribution,
	}
	log.Info("basemap", slog.String("file", a.Path), slog.Int("minzoom", h.MinZoom), slog.Int("maxzoom", h.MaxZoom), slog.Any("bounds", h.Bounds))
	return func() { _ = a.Close() }, nil
}
