package geo

import "time"

// DatabaseStatus is how one database behind a store fares, as the
// store's last health check saw it: for /readyz and metrics. It names no
// host, since readiness answers anyone.
type DatabaseStatus struct {
	Name  string `json:"name"` // "primary", "standby1", …
	Role  string `json:"role"` // "primary" or "standby"
	State string `json:"state"`
	// Serving says whether reads go to it now.
	Serving bool `json:"serving"`
	// Lag is how far a standby's replay trails the primary; nil when
	// unknown (the primary itself, or a standby while the primary is
	// down).
	Lag *float64 `json:"lag_seconds,omitempty"`
	// Version is the data version it answers (empty when down).
	Version string    `json:"version,omitempty"`
	Checked time.Time `json:"checked"`
}

// Database states.
const (
	DatabaseOK       = "ok"
	DatabaseDown     = "down"
	DatabaseLagging  = "lagging"
	DatabaseStarting = "starting"
	// DatabaseOther is a standby that holds another store (another
	// schema, or a copy of another primary): never read.
	DatabaseOther = "other store"
)
