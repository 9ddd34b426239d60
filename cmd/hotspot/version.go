package main

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
)

// shownVersion is the data version an export or backtest prints: the
// public part (geo.PublicVersion) for police.uk answers, as the API shows
// anyone, so a file handed on says nothing of partner imports; the whole
// for answers of a local source, named or fixed by the priority, whose
// readers hold a key.
func shownVersion(ctx context.Context, st geo.Store, source, priority string, prios []geo.Priority) (string, error) {
	v, err := st.Version(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range prios {
		if p.ID == priority && p.Source != "" {
			source = p.Source
		}
	}
	if source == "" || source == geo.SourcePoliceUK {
		return geo.PublicVersion(v), nil
	}
	return v, nil
}
