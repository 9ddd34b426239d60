package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/partner"
)

// partnerFlags are ingest's flags for partner records and premises.
type partnerFlags struct {
	source, mapping, keyFile, premises string
}

func (p *partnerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.source, "source", "", "import PATHs as partner records of this local source (a-z, 0-9, _ and -; needs --mapping)")
	fs.StringVar(&p.mapping, "mapping", "", "mapping file (JSON) naming the partner CSV's columns")
	fs.StringVar(&p.keyFile, "pseudonym-key-file", "", "file holding the key offender references are pseudonymised with (else HOTSPOT_PSEUDONYM_KEY)")
	fs.StringVar(&p.premises, "premises", "", "premises register CSV: id, name, kind and longitude, latitude or easting, northing")
}

// options returns the run's partner options, nil for a police.uk run. A
// mapping with an offender column and no key is refused here, before
// anything is read.
func (p *partnerFlags) options(getenv func(string) string) (*ingest.Partner, error) {
	if p.source == "" {
		if p.mapping != "" {
			return nil, usagef("--mapping needs --source NAME")
		}
		return nil, nil
	}
	if err := geo.ValidSourceName(p.source); err != nil {
		return nil, usagef("--source: %v", err)
	}
	if p.mapping == "" {
		return nil, usagef("--source needs --mapping MAP.json")
	}
	raw, err := os.ReadFile(p.mapping)
	if err != nil {
		return nil, fmt.Errorf("--mapping: %w", err)
	}
	m, err := partner.ParseMapping(raw)
	if err != nil {
		return nil, fmt.Errorf("--mapping %s: %w", p.mapping, err)
	}
	key := []byte(getenv("HOTSPOT_PSEUDONYM_KEY"))
	if p.keyFile != "" {
		content, err := os.ReadFile(p.keyFile)
		if err != nil {
			return nil, fmt.Errorf("--pseudonym-key-file: %w", err)
		}
		key = content
	}
	key = partner.KeyFromFile(key)
	if err := m.CheckKey(key); err != nil {
		return nil, usagef("--mapping %s has an offender column: give --pseudonym-key-file or HOTSPOT_PSEUDONYM_KEY (offender references are never stored)", p.mapping)
	}
	return &ingest.Partner{Source: p.source, Mapping: m, Key: key}, nil
}
