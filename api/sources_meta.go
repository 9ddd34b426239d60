package api

import (
	"context"
	"slices"
	"sync"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// sourceInfos keeps the store's source descriptions for one data
// version: every answer's provenance asks whether its sources are
// synthetic, and the marks change only with an import.
type sourceInfos struct {
	mu      sync.Mutex
	version string
	infos   []geo.SourceInfo
}

// infosAt returns the store's source descriptions at version.
func (s *Server) infosAt(ctx context.Context, version string) ([]geo.SourceInfo, error) {
	c := &s.sourceInfos
	c.mu.Lock()
	if c.version == version && c.infos != nil {
		defer c.mu.Unlock()
		return c.infos, nil
	}
	c.mu.Unlock()
	infos, err := s.store.SourceInfos(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.version, c.infos = version, infos
	c.mu.Unlock()
	return infos, nil
}

// marked names the sources an import declared generated.
func marked(infos []geo.SourceInfo) []string {
	var out []string
	for _, si := range infos {
		if si.Synthetic {
			out = append(out, si.Name)
		}
	}
	return out
}

// visibleInfos are the descriptions ctx's caller may be told of: police.uk
// alone for the public (no local source is listed to it), every source
// for a key.
func visibleInfos(ctx context.Context, infos []geo.SourceInfo) []geo.SourceInfo {
	if vis, _ := analysis.VisibilityOf(ctx); vis == analysis.SeePoliceUK {
		return slices.DeleteFunc(slices.Clone(infos), func(si geo.SourceInfo) bool { return si.Name != geo.SourcePoliceUK })
	}
	return infos
}

// localCategories are the categories of the local sources ctx's caller
// may see, by source, and those of them police.uk's list lacks, sorted.
func localCategories(ctx context.Context, infos []geo.SourceInfo, stored []string) (map[string][]string, []string) {
	bySource := map[string][]string{}
	var extra []string
	for _, si := range visibleInfos(ctx, infos) {
		if si.Name == geo.SourcePoliceUK {
			continue
		}
		bySource[si.Name] = nonNil(si.Categories)
		for _, c := range si.Categories {
			if !slices.Contains(stored, c) && !geo.IsCategory(c) && !slices.Contains(extra, c) {
				extra = append(extra, c)
			}
		}
	}
	slices.Sort(extra)
	return bySource, extra
}
