package partner

import (
	"fmt"
	"strings"
)

// Flag is one of the yes/no markers a partner record may carry
// (DESIGN.md, "Partner records"). The names are the mapping file's keys
// and the API's `flag` values.
type Flag uint8

// The flags, in the order DESIGN.md lists them.
const (
	Homelessness Flag = iota
	StreetLifestyle
	DomesticAbuse
	VAWG
	CYP
	Prevent
	Knife
	NumFlags
)

var flagNames = [NumFlags]string{
	Homelessness:    "homelessness",
	StreetLifestyle: "street_lifestyle",
	DomesticAbuse:   "domestic_abuse",
	VAWG:            "vawg",
	CYP:             "cyp",
	Prevent:         "prevent",
	Knife:           "knife",
}

// String returns the flag's name as written in mappings and queries.
func (f Flag) String() string {
	if f < NumFlags {
		return flagNames[f]
	}
	return fmt.Sprintf("flag(%d)", uint8(f))
}

// ParseFlag returns the flag of a name (exact spelling, lower case).
func ParseFlag(name string) (Flag, bool) {
	for f, n := range flagNames {
		if n == name {
			return Flag(f), true
		}
	}
	return 0, false
}

// FlagNames lists every flag name in order, for messages and menus.
func FlagNames() []string { return append([]string(nil), flagNames[:]...) }

// Flags is a set of flags: bit f is set when flag f holds. A record with
// no flag column mapped for f never has f.
type Flags uint8

// Has reports whether f holds.
func (s Flags) Has(f Flag) bool { return s&(1<<f) != 0 }

// With returns the set with f added.
func (s Flags) With(f Flag) Flags { return s | 1<<f }

// Names lists the flags that hold, in order.
func (s Flags) Names() []string {
	var out []string
	for f := Flag(0); f < NumFlags; f++ {
		if s.Has(f) {
			out = append(out, f.String())
		}
	}
	return out
}

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
