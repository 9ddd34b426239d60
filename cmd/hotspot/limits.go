package main

import (
	"flag"
	"math"
	"net/netip"
	"runtime"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// limitFlags are serve's limits on requests and study areas. A flag beats its HOTSPOT_
// variable, which beats the built-in default.
type limitFlags struct {
	maxCells       int
	maxInflight    int
	rateLimit      float64
	trustedProxies string
	suppressBelow  int
}

func (lf *limitFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&lf.maxCells, "max-cells", analysis.DefaultMaxCells, "the most hexagons a study area may hold; a larger one is a 400 naming res (env HOTSPOT_MAX_CELLS)")
	fs.IntVar(&lf.maxInflight, "max-inflight", 4*runtime.NumCPU(),
		"the most analyses run at once; beyond it a 503 with Retry-After (env HOTSPOT_MAX_INFLIGHT; default 4 × cores)")
	fs.Float64Var(&lf.rateLimit, "rate-limit", 50,
		"requests a second per client (its key, or its address without one), bursts of twice that; beyond it a 429; 0 disables (env HOTSPOT_RATE_LIMIT)")
	fs.StringVar(&lf.trustedProxies, "trusted-proxies", "",
		"CIDR,… of proxies whose X-Forwarded-* headers are believed; none by default (env HOTSPOT_TRUSTED_PROXIES)")
	fs.IntVar(&lf.suppressBelow, "suppress-below", analysis.DefaultSuppressBelow,
		"a partner key sees no count of a local source from 1 to N−1: null, with suppressed: true (1 suppresses nothing)")
}

// apply reads the environment for flags not given, checks the values and
// sets them in cfg.
func (lf *limitFlags) apply(fs *flag.FlagSet, getenv func(string) string, cfg *api.Config) error {
	maxCells, err := maxCellsFrom(fs, lf.maxCells, getenv)
	if err != nil {
		return err
	}
	lf.maxCells = maxCells
	env := func(name, key string) string {
		if flagGiven(fs, name) {
			return ""
		}
		return getenv(key)
	}
	if v := env("max-inflight", "HOTSPOT_MAX_INFLIGHT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return usagef("HOTSPOT_MAX_INFLIGHT %q: want a positive integer", v)
		}
		lf.maxInflight = n
	}
	if lf.maxInflight < 1 {
		return usagef("--max-inflight %d: want a positive integer", lf.maxInflight)
	}
	if v := env("rate-limit", "HOTSPOT_RATE_LIMIT"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return usagef("HOTSPOT_RATE_LIMIT %q: want requests a second (0 disables)", v)
		}
		lf.rateLimit = r
	}
	if lf.rateLimit < 0 || math.IsNaN(lf.rateLimit) || math.IsInf(lf.rateLimit, 0) {
		return usagef("--rate-limit %v: want requests a second, 0 or more (0 disables)", lf.rateLimit)
	}
	if v := env("trusted-proxies", "HOTSPOT_TRUSTED_PROXIES"); v != "" {
		lf.trustedProxies = v
	}
	proxies, err := parseCIDRs(lf.trustedProxies)
	if err != nil {
		return err
	}
	if lf.suppressBelow < 1 {
		return usagef("--suppress-below %d: want 1 or more (1 suppresses nothing)", lf.suppressBelow)
	}
	cfg.MaxInflight, cfg.RateLimit, cfg.TrustedProxies, cfg.SuppressBelow = lf.maxInflight, lf.rateLimit, proxies, lf.suppressBelow
	return nil
}

// parseCIDRs reads a comma-separated list of networks; a bare address is
// a network of one.
func parseCIDRs(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			ip, ipErr := netip.ParseAddr(s)
			if ipErr != nil {
				return nil, usagef("--trusted-proxies: %q is not a CIDR (like 10.0.0.0/8) or an address", s)
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(0, p.Bits()-96))
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
