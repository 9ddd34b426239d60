package geo

import (
	"cmp"
	"context"
	"iter"
	"strings"

	"github.com/paulmach/orb"
)

// Reject is an input row that failed validation: kept, with where it came
// from and why, never silently dropped.
type Reject struct {
	File   string
	Line   int
	Reason string
	Raw    []string // the row's fields as read
}

// Row is one item of an import stream: an incident or a rejected row.
type Row struct {
	Incident *Located
	Reject   *Reject
}

// ImportInput is one ingest run. A store applies all of it or none of it.
type ImportInput struct {
	// Rows streams the run's incidents and rejects; nil when the run loads
	// only boundaries or population. An error from the stream aborts the
	// import and leaves the store as it was. A row's Incident is the
	// store's to read only until it asks for the next row: the stream may
	// reuse its memory for a later row, so a store copies what it keeps
	// (strings may be kept: they do not change).
	Rows iter.Seq2[Row, error]
	// RowsHint is about how many rows Rows yields (0: unknown), so that
	// a store can size its staging once rather than grow it row by row.
	// Only a hint: a store must take any number.
	RowsHint int
	// PointsHint is about how many distinct map points the rows fall on
	// (0: one a row, as partner records geocoded one by one may). Also
	// only a hint.
	PointsHint int
	// Areas replace the stored areas of each kind they contain; stored
	// incidents are re-assigned to the new wards and LSOAs.
	Areas []Area
	// Population, when not nil, is merged into the stored population
	// (area code → residents).
	Population map[string]int
	// Premises are merged into the premises register by ID (a new entry
	// with a stored ID replaces it).
	Premises []Premises
	// Synthetic says the run's rows were generated (hotspot generate),
	// not recorded: the store marks every source they belong to as
	// synthetic, for good. The mark is per source, not per row: a source
	// that ever held generated rows is reported synthetic.
	Synthetic bool
}

// SourceInfo is what a store knows of one source besides its records.
type SourceInfo struct {
	Name string // SourcePoliceUK, or a local source's name
	// Categories are a local source's own categories, sorted (nil for
	// police.uk, whose categories Categories lists).
	Categories []string
	// Synthetic says an import declared the source's rows generated.
	Synthetic bool
}

// ImportResult says what an import changed.
type ImportResult struct {
	Imported   int // new incidents stored
	Duplicates int // incidents already stored (by ID), skipped
	Rejected   int // rejected rows recorded
	// RejectsAt says where this run's rejects were kept (a file or a table).
	RejectsAt string
}

// Filter selects incidents for a query.
type Filter struct {
	Months     MonthRange
	Categories []string // empty: every category
	// Wards limits the query to these ward codes (a priority's area); empty
	// means no limit beyond the store's wards.
	Wards []string
	// Source is whose incidents count: "" or SourcePoliceUK for
	// police.uk, a local source's name, or SourceAll for every source.
	Source string
	// Flags must all hold (police.uk incidents have none); Within limits
	// local time (police.uk incidents have none, so any limit leaves them
	// out).
	Flags  Flags
	Within Within
}

// PoliceUK reports whether the filter can count police.uk incidents.
func (f *Filter) PoliceUK() bool {
	return (f.Source == "" || f.Source == SourcePoliceUK || f.Source == SourceAll) && f.Flags == 0 && f.Within.Any()
}

// Local reports whether the filter counts local source src ("" for none).
func (f *Filter) Local(src string) bool {
	if src == "" {
		return false
	}
	return f.Source == SourceAll || f.Source == src
}

// LocalSource reports whether the filter can count any local source.
func (f *Filter) LocalSource() bool {
	return f.Source != "" && f.Source != SourcePoliceUK
}

// StoredIncident is an incident as a store answers it: with the ward it
// was assigned to ("" outside every ward).
type StoredIncident struct {
	Incident
	Ward     string
	WardName string
}

// Page is one page of incidents and the number that matched in all.
type Page struct {
	Items []StoredIncident
	// Total is every incident the filter selects; -1 when the request
	// asked for none (NoTotal).
	Total int
	// More says incidents follow the page, so that a client can be told
	// where the next page starts without knowing the total.
	More bool
}

// PageKey is a place in the incident order: month, then ID byte-wise,
// then source ("" for police.uk) — the one order both stores share, so
// that a key taken from one page continues it in either.
type PageKey struct {
	Month  Month
	ID     string
	Source string
}

// KeyOf is the place of an incident in the order.
func KeyOf(in *StoredIncident) PageKey {
	return PageKey{Month: in.Month, ID: in.ID, Source: in.Source}
}

// ComparePageKeys orders keys as pages list incidents; newest puts later
// months first (IDs and sources still ascending).
func ComparePageKeys(a, b PageKey, newest bool) int {
	ma, mb := a.Month, b.Month
	if newest {
		ma, mb = mb, ma
	}
	return cmp.Or(cmp.Compare(ma, mb), strings.Compare(a.ID, b.ID), strings.Compare(a.Source, b.Source))
}

// PageRequest selects a page of incidents, ordered by month then ID
// (byte-wise), or with Newest by month newest first, then ID. BBox, when
// not nil, keeps incidents whose point lies in it (boundary included);
// incidents without location are then left out.
type PageRequest struct {
	BBox   *orb.Bound
	Limit  int
	Offset int
	Newest bool
	// After, when not nil, starts the page just past this key (keyset
	// paging: its cost does not grow with depth); Offset then counts from
	// there.
	After *PageKey
	// NoTotal spares the store counting every match (Page.Total is -1):
	// a deep page or a tile needs only its rows and whether more follow.
	NoTotal bool
	// Brief asks only for what an incident tile shows (ID, month,
	// category, location, outcome, point, ward, a partner record's own
	// fields): a store may leave a police.uk row's other columns empty
	// when that spares reading the rows themselves.
	Brief bool
}

// SeriesKey picks what a monthly series counts: one cell, one ward, or
// (zero value) the whole area of the filter.
type SeriesKey struct {
	Cell Cell
	Res  int
	Ward string
}

// CellMonthCount is one cell's count in one month.
type CellMonthCount struct {
	Cell  Cell
	Month Month
	Count int
}

// CompareCellMonths orders cell-month counts by cell (as an unsigned
// integer), then month: the order of CellMonthCounts.
func CompareCellMonths(a, b CellMonthCount) int {
	return cmp.Or(cmp.Compare(a.Cell, b.Cell), cmp.Compare(a.Month, b.Month))
}

// MapPoint is one of the points police.uk snaps locations to, as stored:
// its cells at every served resolution and its ward ("" outside every
// ward, or when no wards are stored).
type MapPoint struct {
	Point orb.Point
	Cells [NumRes]Cell // index res − MinRes
	Ward  string
}

// ComparePoints orders points by longitude, then latitude: the order of
// MapPoints and PointTallies.
func ComparePoints(a, b orb.Point) int {
	return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
}

// PointTally is what the incidents a filter counts say about one map
// point: how many, and how often each Location text, each outcome and
// each category occurs among them.
type PointTally struct {
	MapPoint
	Count      int
	Locations  map[string]int
	Outcomes   map[string]int // "" for none recorded
	Categories map[string]int
}

// CellTally is what the incidents a filter counts say about one H3 cell:
// how many, and the Location most of them carry (ties by byte order; ""
// for none). It is PointTallies summed by cell, for the hex layer, which
// needs no more: with a point per partner record, tallies per point cost
// a map per record.
type CellTally struct {
	Cell        Cell
	Count       int
	TopLocation string
}

// Store keeps incidents, areas and population, and answers the queries that
// analysis and the API need. Counting methods count only incidents inside
// the area: inside some stored ward (everything located, when no wards are
// stored) and, when the filter names wards, inside those.
type Store interface {
	// Import applies one ingest run atomically; importing the same rows
	// again adds nothing.
	Import(ctx context.Context, in ImportInput) (ImportResult, error)

	// Version changes whenever stored data changes; caches and ETags key
	// on it.
	Version(ctx context.Context) (string, error)
	// Months lists the months that hold incidents, ascending.
	Months(ctx context.Context) ([]Month, error)
	// Areas returns the stored areas of a kind, ordered by code.
	Areas(ctx context.Context, kind AreaKind) ([]Area, error)
	// Categories lists the categories stored incidents have, sorted.
	Categories(ctx context.Context) ([]string, error)
	// Population returns residents by area code.
	Population(ctx context.Context) (map[string]int, error)

	// CellCounts counts incidents per H3 cell at res (MinRes–MaxRes).
	CellCounts(ctx context.Context, f Filter, res int) (map[Cell]int, error)
	// CellMonthCounts counts incidents per H3 cell at res and month in
	// one read (the emerging layer's monthly Gi*), by cell then month;
	// pairs without incidents are left out.
	CellMonthCounts(ctx context.Context, f Filter, res int) ([]CellMonthCount, error)
	// WardCounts counts incidents per ward code.
	WardCounts(ctx context.Context, f Filter) (map[string]int, error)
	// Series counts incidents per month for one cell, ward or the area.
	Series(ctx context.Context, f Filter, key SeriesKey) (map[Month]int, error)
	// MapPoints lists every stored map point (a location any stored
	// incident has), by longitude then latitude.
	MapPoints(ctx context.Context) ([]MapPoint, error)
	// PointTallies tallies the counted incidents per map point, by
	// longitude then latitude; points with none are left out.
	PointTallies(ctx context.Context, f Filter) ([]PointTally, error)
	// CellTallies counts the counted incidents per H3 cell at res
	// (MinRes–MaxRes) with each cell's most frequent Location, by cell
	// (as an unsigned integer); cells with none are left out.
	CellTallies(ctx context.Context, f Filter, res int) ([]CellTally, error)
	// Incidents lists incidents that pass the filter's months, categories
	// and wards, inside the city or not.
	Incidents(ctx context.Context, f Filter, p PageRequest) (Page, error)
	// Incident returns one police.uk incident by ID, or ErrNotFound.
	Incident(ctx context.Context, id string) (StoredIncident, error)
	// Sources lists the local sources that hold records, sorted.
	Sources(ctx context.Context) ([]string, error)
	// SourceInfos describes police.uk (first, always) and then every
	// local source that holds records, by name.
	SourceInfos(ctx context.Context) ([]SourceInfo, error)
	// Premises returns the premises register, ordered by ID.
	Premises(ctx context.Context) ([]Premises, error)

	// Ready reports whether the store can answer (nil) or why not.
	Ready(ctx context.Context) error
	Close() error
}
