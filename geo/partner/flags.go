package partner

import (
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// Flag and Flags are the domain's (package geo), named here too so that
// code reading records need not import both.
type (
	Flag  = geo.Flag
	Flags = geo.Flags
)

// The flags, as package geo defines them.
const (
	Homelessness    = geo.Homelessness
	StreetLifestyle = geo.StreetLifestyle
	DomesticAbuse   = geo.DomesticAbuse
	VAWG            = geo.VAWG
	CYP             = geo.CYP
	Prevent         = geo.Prevent
	Knife           = geo.Knife
	NumFlags        = geo.NumFlags
)

// ParseFlag returns the flag of a name (exact spelling, lower case).
func ParseFlag(name string) (Flag, bool) { return geo.ParseFlag(name) }

// FlagNames lists every flag name in order, for messages and menus.
func FlagNames() []string { return geo.FlagNames() }

// parseFlagCell reads a flag cell: true for y, yes, true, 1; false for
// empty, n, no, false, 0; any case, surrounding space ignored.
func parseFlagCell(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "true", "1":
		return true, true
	case "", "n", "no", "false", "0":
		return false, true
	}
	return false, false
}
