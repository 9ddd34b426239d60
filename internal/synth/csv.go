package synth

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// header is police.uk's street-level header, byte for byte.
const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"

// WriteCSVs writes one police.uk street-level CSV per month into dir
// (created if missing), named YYYY-MM-<force>-street.csv like police.uk's
// downloads, and returns their paths in month order. Rows are the same as
// Incidents gives, except that ASB rows have an empty Crime ID as in
// police.uk files. Memory use does not grow with opt.Rows.
func (c *City) WriteCSVs(dir string, opt Options) ([]string, error) {
	if opt.Rows < 0 || opt.Months < 0 {
		return nil, fmt.Errorf("%w: synthetic rows %d and months %d must not be negative", geo.ErrInvalid, opt.Rows, opt.Months)
	}
	p := c.plan(opt)
	slug := forceSlug(p.opt.Force)
	if slug == "" {
		return nil, fmt.Errorf("%w: force %q gives no file name", geo.ErrInvalid, p.opt.Force)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synthetic CSVs: %w", err)
	}
	paths := make([]string, 0, len(p.counts))
	for i := range p.counts {
		m := p.opt.From + geo.Month(i)
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-street.csv", m, slug))
		if err := p.writeMonth(path, i, c.points); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func (p *plan) writeMonth(path string, i int, points []mapPoint) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("synthetic CSVs: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("synthetic CSVs: %w", cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := w.WriteString(header); err != nil {
		return fmt.Errorf("synthetic CSVs: %w", err)
	}

	// Everything but the Crime ID repeats from row to row, so each field
	// is quoted once here and rows are assembled from ready pieces.
	m := p.opt.From + geo.Month(i)
	lead := "," + m.String() + "," + csvField(p.opt.Force) + "," + csvField(p.opt.Force) + ","
	var cats [numCats]string
	for c := range cats {
		cats[c] = "," + csvField(geo.Categories[c]) + ","
	}
	outs := make([]string, len(outcomes))
	for o := range outs {
		outs[o] = csvField(outcomes[o])
	}
	const noLoc = ",,No Location,,"

	var id [64]byte
	line := make([]byte, 0, 512)
	p.month(i, func(rw *row) bool {
		line = line[:0]
		if rw.cat != catASB {
			p.crimeID(&id, rw)
			line = append(line, id[:]...)
		}
		line = append(line, lead...)
		if rw.point >= 0 {
			line = append(line, points[rw.point].csv...)
		} else {
			line = append(line, noLoc...)
		}
		line = append(line, cats[rw.cat]...)
		if rw.outcome >= 0 {
			line = append(line, outs[rw.outcome]...)
		}
		line = append(line, ",\n"...)
		_, err = w.Write(line)
		return err == nil
	})
	if err != nil {
		return fmt.Errorf("synthetic CSVs: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("synthetic CSVs: %w", err)
	}
	return nil
}

// forceSlug makes a force name into the file-name form police.uk uses
// ("Synthetic Constabulary" → "synthetic-constabulary").
func forceSlug(force string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(force) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// csvField quotes s as encoding/csv would, so a force name with a comma
// still gives twelve fields.
func csvField(s string) string {
	if s == "" || !strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t' {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
