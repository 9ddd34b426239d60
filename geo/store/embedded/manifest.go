package embedded

// The manifest names the files of the committed generation; its rename
// commits an import (commit.go).

type manifest struct {
	Format     int    `json:"format"`
	StoreID    string `json:"store_id"`
	Generation uint64 `json:"generation"`
	// PublicGeneration is the generation of the latest run that changed
	// what a caller without a key sees (geo.FormatVersion); nil in
	// manifests written before it was kept, read as Generation.
	PublicGeneration *uint64  `json:"public_generation,omitempty"`
	Segments         []string `json:"segments"`
	Points           string   `json:"points,omitempty"`
	Areas            string   `json:"areas,omitempty"`
	Population       string   `json:"population,omitempty"`
	Premises         string   `json:"premises,omitempty"`
	// Synthetic names the sources (policeuk for police.uk) some run
	// declared generated, sorted.
	Synthetic []string `json:"synthetic,omitempty"`
}

// publicGeneration reads PublicGeneration, as Generation where an older
// manifest did not keep it.
func (m *manifest) publicGeneration() uint64 {
	if m.PublicGeneration == nil {
		return m.Generation
	}
	return *m.PublicGeneration
}

// next moves the manifest to the next generation, and its public
// generation there too when the run changed public data; it returns the
// new generation.
func (m *manifest) next(public bool) uint64 {
	pub := m.publicGeneration()
	m.Generation++
	if public {
		pub = m.Generation
	}
	m.PublicGeneration = &pub
	return m.Generation
}

func (m *manifest) files() []string {
	out := append([]string(nil), m.Segments...)
	for _, f := range []string{m.Points, m.Areas, m.Population, m.Premises} {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
