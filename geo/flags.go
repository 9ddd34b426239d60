package geo

import "fmt"

// Flag is one of the yes/no markers a partner record may carry
// (DESIGN.md, "Partner records"). The names are the mapping file's keys
// and the API's `flag` values. They live here rather than with the reader
// so that stores and analysis can filter on them without importing it.
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

// HasAll reports whether every flag of want holds (a filter's flags).
func (s Flags) HasAll(want Flags) bool { return s&want == want }

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
