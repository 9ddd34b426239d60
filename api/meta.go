package api

import (
	"context"
	"io"
	"net/http"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
)

type priorityJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Categories  []string `json:"categories"`
	Area        []string `json:"area"` // ward names or codes; null for the whole city
	Description string   `json:"description"`
	// Source, Flags, Days and Hours are the filters the priority fixes
	// (DESIGN.md, "Partner records"), so that the map can set and lock
	// them rather than send others and be refused.
	Source string   `json:"source,omitempty"`
	Flags  []string `json:"flags,omitempty"`
	Days   string   `json:"days,omitempty"`
	Hours  string   `json:"hours,omitempty"`
}

type prioritiesAnswer struct {
	Priorities []priorityJSON `json:"priorities"`
	// Categories are every police.uk crime type, then any other category
	// the store holds (local exports), sorted.
	Categories    []string `json:"categories"`
	Synthetic     bool     `json:"synthetic"`
	Version       string   `json:"version"`
	GeneratedFrom string   `json:"generated_from"`
}

func (s *Server) prioritiesBody(ctx context.Context, _ *params, w io.Writer, _ http.Header, src layer.Source) error {
	stored, err := s.store.Categories(ctx)
	if err != nil {
		return err
	}
	base := layer.ProvenanceOf(nil, src)
	ans := prioritiesAnswer{
		Priorities: []priorityJSON{}, Categories: slices.Clone(geo.Categories),
		Synthetic: base.Synthetic, Version: base.Version, GeneratedFrom: base.GeneratedFrom,
	}
	vis, _ := analysis.VisibilityOf(ctx)
	for _, p := range s.an.Priorities() {
		if local := p.Source != "" && p.Source != geo.SourcePoliceUK; local && vis == analysis.SeePoliceUK {
			continue // no local source is listed to the public
		}
		ans.Priorities = append(ans.Priorities, priorityJSON{
			ID: p.ID, Name: p.Name, Categories: nonNil(p.Categories), Area: p.Area, Description: p.Description,
			Source: p.Source, Flags: p.Flags, Days: p.Days, Hours: p.Hours,
		})
	}
	for _, c := range stored {
		if !geo.IsCategory(c) {
			ans.Categories = append(ans.Categories, c)
		}
	}
	infos, err := s.infosAt(ctx, src.DataVersion)
	if err != nil {
		return err
	}
	// A local source's categories, to callers who may see it.
	_, extra := localCategories(ctx, infos, ans.Categories)
	ans.Categories = append(ans.Categories, extra...)
	return writeJSON(w, ans)
}

type rangeJSON struct {
	Min     int `json:"min"`
	Max     int `json:"max"`
	Default int `json:"default"`
}

// metaAnswer is what the web map needs to build its controls.
type metaAnswer struct {
	Months      []string `json:"months"` // ascending YYYY-MM
	LatestMonth *string  `json:"latest_month"`
	// DefaultFrom and DefaultTo are the months a request without from/to
	// answers.
	DefaultFrom   *string   `json:"default_from"`
	DefaultTo     *string   `json:"default_to"`
	Categories    []string  `json:"categories"` // stored, sorted
	Res           rangeJSON `json:"res"`
	K             rangeJSON `json:"k"`
	IncidentLimit rangeJSON `json:"incident_limit"`
	Synthetic     bool      `json:"synthetic"`
	Version       string    `json:"version"`
	GeneratedFrom string    `json:"generated_from"`
	// Basemap is the local basemap (`serve --basemap`), null without one.
	Basemap *Basemap `json:"basemap"`
	// Sources are the sources the caller may name: policeuk first, then
	// the local sources stored, which a public caller is never told of.
	Sources []string `json:"sources"`
	// Flags are the flag names a local source's records may carry.
	Flags []string `json:"flags"`
	// SuppressBelow is the smallest local count a partner caller is
	// shown (null for other callers, who see every count or none).
	SuppressBelow *int `json:"suppress_below"`
	// SourceCategories are each local source's own categories, for a
	// caller who may see local sources (absent for the public); the
	// ones police.uk's list lacks are in Categories too, after it.
	SourceCategories map[string][]string `json:"source_categories,omitempty"`
	// LocalCategories are the categories Categories ends with that only
	// local sources have (absent for the public).
	LocalCategories []string `json:"local_categories,omitempty"`
	// SyntheticSources are the sources the caller may see that an
	// import declared generated (policeuk for police.uk).
	SyntheticSources []string `json:"synthetic_sources"`
}

func (s *Server) metaBody(ctx context.Context, _ *params, w io.Writer, _ http.Header, src layer.Source) error {
	st := s.store
	months, err := st.Months(ctx)
	if err != nil {
		return err
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		return err
	}
	base := layer.ProvenanceOf(nil, src)
	ans := metaAnswer{
		Months:        make([]string, len(months)),
		Categories:    nonNil(cats),
		Res:           rangeJSON{geo.MinRes, geo.MaxRes, analysis.DefaultRes},
		K:             rangeJSON{analysis.MinK, analysis.MaxK, analysis.DefaultK},
		IncidentLimit: rangeJSON{1, MaxLimit, DefaultLimit},
		Basemap:       s.basemap,
		Synthetic:     base.Synthetic, Version: base.Version, GeneratedFrom: base.GeneratedFrom,
	}
	for i, mo := range months {
		ans.Months[i] = mo.String()
	}
	if err := s.metaSources(ctx, &ans); err != nil {
		return err
	}
	if err := s.metaMarks(ctx, &ans, src.DataVersion); err != nil {
		return err
	}
	if n := len(months); n > 0 {
		latest := months[n-1]
		ans.LatestMonth = ptr(latest.String())
		ans.DefaultFrom = ptr((latest - analysis.DefaultMonths + 1).String())
		ans.DefaultTo = ans.LatestMonth
	}
	return writeJSON(w, ans)
}

// metaMarks adds the local sources' categories and the synthetic marks
// the caller may see: meta's synthetic is true when any of them is.
func (s *Server) metaMarks(ctx context.Context, ans *metaAnswer, version string) error {
	infos, err := s.infosAt(ctx, version)
	if err != nil {
		return err
	}
	visible := visibleInfos(ctx, infos)
	ans.SyntheticSources = []string{}
	for _, si := range visible {
		if si.Synthetic {
			ans.SyntheticSources = append(ans.SyntheticSources, si.Name)
		}
	}
	if len(ans.SyntheticSources) > 0 && !ans.Synthetic {
		ans.Synthetic, ans.GeneratedFrom = true, layer.SourceGenerated
	}
	if vis, _ := analysis.VisibilityOf(ctx); vis == analysis.SeePoliceUK {
		return nil
	}
	ans.SourceCategories, ans.LocalCategories = localCategories(ctx, infos, ans.Categories)
	ans.Categories = append(ans.Categories, ans.LocalCategories...)
	return nil
}

// metaSources fills in the sources and flags the caller may filter on.
func (s *Server) metaSources(ctx context.Context, ans *metaAnswer) error {
	ans.Sources, ans.Flags = []string{geo.SourcePoliceUK}, geo.FlagNames()
	vis, below := analysis.VisibilityOf(ctx)
	if vis == analysis.SeePoliceUK {
		return nil
	}
	local, err := s.store.Sources(ctx)
	if err != nil {
		return err
	}
	for _, name := range local {
		if name != geo.SourcePoliceUK {
			ans.Sources = append(ans.Sources, name)
		}
	}
	if vis == analysis.SeeAggregates {
		if below <= 0 {
			below = analysis.DefaultSuppressBelow
		}
		ans.SuppressBelow = &below
	}
	return nil
}
