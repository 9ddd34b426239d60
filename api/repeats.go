package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// The repeat lists of DESIGN.md, "Partner records", besides repeat
// locations (the repeats layer, GeoJSON): the premises register ranked
// by its linked records, and repeat offenders by pseudonym.
var (
	premisesListParams  = append([]string{"priority", "category", "from", "to", "kind", "ward"}, layer.LocalFilters...)
	offenderListParams  = append([]string{"priority", "category", "from", "to", "min", "ward", "limit"}, layer.LocalFilters...)
	premisesListPath    = "/api/v1/repeats/premises"
	offendersListPath   = "/api/v1/repeats/offenders"
	defaultMinOffenders = layer.DefaultMinRepeats
	// DefaultOffenderLimit is how many offenders an answer lists unless
	// limit= says (at most MaxLimit): a year of a million records named
	// about 50,000 repeat offenders, far more than anyone reads, and
	// total says how many there are.
	DefaultOffenderLimit = 1000
)

// premisesJSON is one premises of /api/v1/repeats/premises; count is
// null (and suppressed true) when withheld from a partner, and the
// coordinates null when the register gives none.
type premisesJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Count      *int     `json:"count"`
	Suppressed bool     `json:"suppressed"`
	Longitude  *float64 `json:"longitude"`
	Latitude   *float64 `json:"latitude"`
}

type premisesAnswer struct {
	Premises []premisesJSON   `json:"premises"`
	Kinds    []string         `json:"kinds"` // asked for; null for every kind
	Meta     layer.Provenance `json:"meta"`
}

func (s *Server) premisesListBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	var kinds []string
	if p.req.Kind != "" {
		var err error
		if kinds, err = analysis.ParseKinds(p.req.Kind); err != nil {
			return err
		}
	}
	res, err := s.an.PremisesCounts(ctx, p.req.Query, kinds)
	if err != nil {
		return err
	}
	ans := premisesAnswer{Premises: make([]premisesJSON, 0, len(res.Rows)), Kinds: res.Kinds, Meta: layer.ProvenanceOf(res.Query, src)}
	if below := smallShownFor(ctx, res.Query); below > 0 {
		ans.Meta.SuppressBelow = &below
	}
	for _, r := range res.Rows {
		pj := premisesJSON{ID: r.ID, Name: r.Name, Kind: r.Kind, Suppressed: r.Suppressed}
		if !r.Suppressed {
			pj.Count = ptr(r.Count)
		}
		if r.HasLocation {
			pj.Longitude, pj.Latitude = ptr(r.Point[0]), ptr(r.Point[1])
		}
		ans.Premises = append(ans.Premises, pj)
	}
	return writeJSON(w, ans)
}

// offenderJSON is one repeat offender: id is the pseudonym (never a
// reference), premises the ids its records are linked to, most first.
type offenderJSON struct {
	ID         string   `json:"id"`
	Count      int      `json:"count"`
	FirstMonth string   `json:"first_month"`
	LastMonth  string   `json:"last_month"`
	Premises   []string `json:"premises"`
}

type offendersAnswer struct {
	Offenders []offenderJSON `json:"offenders"`
	// Total is every offender at or above min; offenders lists the
	// first limit of them.
	Total int              `json:"total"`
	Meta  layer.Provenance `json:"meta"`
}

func (s *Server) offendersBody(ctx context.Context, p *params, w io.Writer, h http.Header, src layer.Source) error {
	least := p.req.Min
	if least == 0 {
		least = defaultMinOffenders
	}
	res, err := s.an.Offenders(ctx, p.req.Query, least)
	if err != nil {
		return err
	}
	limit := p.req.Limit
	if limit == 0 {
		limit = DefaultOffenderLimit
	}
	rows := res.Rows[:min(limit, len(res.Rows))]
	ans := offendersAnswer{Offenders: make([]offenderJSON, 0, len(rows)), Total: len(res.Rows), Meta: layer.ProvenanceOf(res.Query, src)}
	ans.Meta.Min, ans.Meta.Limit = ptr(res.Min), ptr(limit)
	for _, r := range rows {
		prem := r.Premises
		if prem == nil {
			prem = []string{}
		}
		ans.Offenders = append(ans.Offenders, offenderJSON{ID: r.ID, Count: r.Count, FirstMonth: r.First.String(), LastMonth: r.Last.String(), Premises: prem})
	}
	h.Set(rowsHeader, strconv.Itoa(len(ans.Offenders)))
	return writeJSON(w, ans)
}

// smallShownFor is the least local count a partner sees in an answer to
// r (0: every count), for the answer's meta.
func smallShownFor(ctx context.Context, r *analysis.Resolved) int {
	if !r.Local() {
		return 0
	}
	return partnerBelow(ctx)
}

// partnerBelow is the least local count ctx's caller is shown: 0 for
// every caller but a partner.
func partnerBelow(ctx context.Context) int {
	vis, below := analysis.VisibilityOf(ctx)
	if vis != analysis.SeeAggregates {
		return 0
	}
	if below <= 0 {
		below = analysis.DefaultSuppressBelow
	}
	return below
}
