package geo

import (
	"time"

	"github.com/paulmach/orb"
)

// Incident is one recorded crime or ASB report: a police.uk row, with
// every column of the street-level file kept, or a partner record of a
// local source (DESIGN.md, "Partner records"), which fills the fields
// after Context and leaves the police.uk-only columns empty.
type Incident struct {
	// ID is the police.uk Crime ID, or for rows without one (ASB) an
	// identity derived from the row's content and position; see policeuk.
	ID          string
	Month       Month
	ReportedBy  string
	FallsWithin string
	// HasLocation is false for "No Location" rows; Point is then zero.
	HasLocation bool
	Point       orb.Point // longitude, latitude (WGS 84)
	Location    string
	LSOACode    string // as published in the file, not from boundaries
	LSOAName    string
	Category    string // police.uk "Crime type"
	Outcome     string // "Last outcome category"
	Context     string

	// Source is "" for police.uk, else the local source's name; IDs are
	// unique per source.
	Source string
	// Occurred is a partner record's instant (in Europe/London, so that
	// it formats with the local offset); zero for police.uk.
	Occurred time.Time
	Flags    Flags
	Premises string // premises register id, "" for none
	// Offender is the offender's pseudonym, never a reference; "" for none.
	Offender string
}

// SourcePoliceUK and SourceAll are the source names that are not local
// sources: police.uk's (stored as Source "") and every source at once.
const (
	SourcePoliceUK = "policeuk"
	SourceAll      = "all"
)

// IsLocal reports whether the incident is a partner record.
func (in *Incident) IsLocal() bool { return in.Source != "" }

// Premises is one entry of the premises register.
type Premises struct {
	ID   string
	Name string
	Kind string
	// HasLocation is false when the register gives no coordinates.
	HasLocation bool
	Point       orb.Point
}

// Located is an incident with the indexing done at import that does not
// depend on stored boundaries: its H3 cell at every served resolution.
type Located struct {
	Incident
	// Cells[r-MinRes] is the cell containing Point at resolution r; zero
	// when the incident has no location.
	Cells [NumRes]Cell
}

// Cell is an H3 cell index.
type Cell uint64

// H3 resolutions the service offers.
const (
	MinRes = 6
	MaxRes = 10
	NumRes = MaxRes - MinRes + 1
)

// Categories are the police.uk crime types, in the order police.uk lists them.
var Categories = []string{
	"Anti-social behaviour",
	"Bicycle theft",
	"Burglary",
	"Criminal damage and arson",
	"Drugs",
	"Other crime",
	"Other theft",
	"Possession of weapons",
	"Public order",
	"Robbery",
	"Shoplifting",
	"Theft from the person",
	"Vehicle crime",
	"Violence and sexual offences",
}

// IsCategory reports whether name is a police.uk crime type.
func IsCategory(name string) bool {
	for _, c := range Categories {
		if c == name {
			return true
		}
	}
	return false
}
