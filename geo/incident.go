package geo

import "github.com/paulmach/orb"

// Incident is one recorded crime or ASB report, with every column of the
// police.uk street-level file kept.
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
