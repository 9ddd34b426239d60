package postgis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// wardRuns keeps copies of agg_ward_run's running totals (migration
// 0018), by category, read at one Version. A ward answer counts every
// ward twice (the period and its base): at national shape that was two
// reads of 7,000 rows whose array subscripts took PostgreSQL 22 ms each,
// most of the answer's time, while the totals change only with an
// import. Held here, a window's count is two subtractions per ward.
//
// Categories are read when first asked for, so a server holds only the
// ones its callers use; a Version they were not read at drops them all.
// The copy is bounded (maxRunValues): past it, counts come from the SQL
// as before.
type wardRuns struct {
	mu      sync.Mutex
	version string
	cats    map[string]*catRuns // nil value: the category has no totals
	all     bool                // every stored category is in cats
	values  int
	tooBig  string // a Version whose totals were past the bound
	max     int    // the bound, in totals (0: maxRunValues)

	// load is held by the one read under way, so that concurrent misses
	// read once; a waiter gives up when its request does.
	load chan struct{}
	once sync.Once
}

// catRuns is one category's running totals: ward i's month first[i]+k
// has total vals[off[i]+k], for k below off[i+1]-off[i].
type catRuns struct {
	wards []string
	first []geo.Month
	off   []int32
	vals  []int64
}

// maxRunValues bounds the totals held (8 bytes each): national shape
// over three years is 3.4 million.
const maxRunValues = 16 << 20

func (r *wardRuns) bound() int {
	if r.max > 0 {
		return r.max
	}
	return maxRunValues
}

const sqlWardRunsOf = `
SELECT category, ward_code, first_month, cum FROM {s}.agg_ward_run
WHERE cardinality($1::text[]) = 0 OR category = ANY($1::text[])
ORDER BY category, ward_code`

// count adds the category's count over months to out, per ward, for the
// wards in want (all when want is nil). A total stands for every month
// from its own to the next one held, so the last stands for all later
// months, and months before first hold none: the SQL's rule.
func (c *catRuns) count(months geo.MonthRange, want map[string]bool, out map[string]int) {
	for i, w := range c.wards {
		if want != nil && !want[w] {
			continue
		}
		vals := c.vals[c.off[i]:c.off[i+1]]
		at := func(m geo.Month) int64 {
			k := int(m - c.first[i])
			if k < 0 {
				return 0
			}
			return vals[min(k, len(vals)-1)]
		}
		if n := at(months.To) - at(months.From-1); n != 0 {
			out[w] += int(n)
		}
	}
}

// wardCounts answers the police.uk half of WardCounts from the held
// totals; ok is false when they cannot be held (too many), and the
// caller asks the database.
func (s *Store) wardCounts(ctx context.Context, f geo.Filter) (out map[string]int, ok bool, err error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, false, err
	}
	cats, ok, err := s.wardRuns.get(ctx, s, v, f.Categories)
	if err != nil || !ok {
		return nil, ok, err
	}
	var want map[string]bool
	if len(f.Wards) > 0 {
		want = make(map[string]bool, len(f.Wards))
		for _, w := range f.Wards {
			want[w] = true
		}
	}
	out = map[string]int{}
	for _, c := range cats {
		c.count(f.Months, want, out)
	}
	for w, n := range out {
		if n <= 0 {
			delete(out, w)
		}
	}
	return out, true, nil
}

// get returns the totals of the categories (every one when none is
// named) as stored at version, reading what is missing.
func (r *wardRuns) get(ctx context.Context, s *Store, version string, categories []string) ([]*catRuns, bool, error) {
	if cats, ok := r.held(version, categories); ok {
		return cats, true, nil
	}
	r.once.Do(func() { r.load = make(chan struct{}, 1) })
	select {
	case r.load <- struct{}{}:
		defer func() { <-r.load }()
	case <-ctx.Done():
		return nil, false, wrap(ctx, "ward totals", ctx.Err())
	}
	if cats, ok := r.held(version, categories); ok {
		return cats, true, nil
	}
	if r.over(version) {
		return nil, false, nil
	}
	missing, room := r.missing(version, categories)
	got, readAt, err := s.readWardRuns(ctx, missing, room)
	switch {
	case ctx.Err() != nil:
		return nil, false, wrap(ctx, "ward totals", ctx.Err())
	case errors.Is(err, errTooManyTotals):
		r.markOver(readAt)
		return nil, false, nil
	case err != nil:
		// The SQL then answers, or says what is wrong as it did before
		// the copy.
		s.log.Warn("postgis: ward totals not read; counting in the database", slog.Any("err", err))
		return nil, false, nil
	}
	if !r.keep(readAt, categories, got) {
		return nil, false, nil
	}
	cats, ok := r.held(readAt, categories)
	return cats, ok, nil
}

// errTooManyTotals stops a read that would take the copy past its bound.
var errTooManyTotals = errors.New("more ward totals than the copy holds")

// held returns the categories' totals if all are held at version.
func (r *wardRuns) held(version string, categories []string) ([]*catRuns, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.version != version || (len(categories) == 0 && !r.all) {
		return nil, false
	}
	var out []*catRuns
	if len(categories) == 0 {
		for _, c := range r.cats {
			if c != nil {
				out = append(out, c)
			}
		}
		return out, true
	}
	for i, name := range categories {
		c, ok := r.cats[name]
		if !ok {
			return nil, false
		}
		// A category named twice counts once, as in the SQL's ANY.
		if c != nil && !slices.Contains(categories[:i], name) {
			out = append(out, c)
		}
	}
	return out, true
}

// over reports whether version's totals were found past the bound.
func (r *wardRuns) over(version string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tooBig == version
}

func (r *wardRuns) markOver(version string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tooBig = version
}

// missing lists the categories to read (none: all of them) and how many
// totals the copy has room for.
func (r *wardRuns) missing(version string, categories []string) ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Another Version's totals make way; every category read again
	// counts once in keep, so the whole bound is room.
	if r.version != version || len(categories) == 0 {
		return categories, r.bound()
	}
	var out []string
	for _, c := range categories {
		if _, ok := r.cats[c]; !ok {
			out = append(out, c)
		}
	}
	return out, r.bound() - r.values
}

// keep adds what was read at version, dropping what was held at another
// one; categories asked for and not read have no totals. It reports
// false when the totals would exceed the bound.
func (r *wardRuns) keep(version string, asked []string, got map[string]*catRuns) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.version != version {
		r.version, r.cats, r.all, r.values = version, map[string]*catRuns{}, false, 0
	}
	// Categories held already (read again with every category, or by a
	// caller that read an older Version first) count once.
	n := 0
	for name, c := range got {
		if _, ok := r.cats[name]; !ok {
			n += len(c.vals)
		}
	}
	if r.values+n > r.bound() {
		r.tooBig = version
		return false
	}
	for name, c := range got {
		if _, ok := r.cats[name]; !ok {
			r.cats[name] = c
			r.values += len(c.vals)
		}
	}
	for _, name := range asked {
		if _, ok := r.cats[name]; !ok {
			r.cats[name] = nil
		}
	}
	r.all = r.all || len(asked) == 0
	return true
}

// readWardRuns reads the totals of the categories (all when none is
// named) and the Version they belong to, in one snapshot; it stops with
// errTooManyTotals past room totals, so a store too big for the copy
// costs one bounded read per Version.
func (s *Store) readWardRuns(ctx context.Context, categories []string, room int) (map[string]*catRuns, string, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, "", wrap(ctx, "ward totals", err)
	}
	defer tx.Rollback()
	version, err := scanVersion(tx.QueryRowContext(ctx, s.q(sqlVersion)))
	if err != nil {
		return nil, "", wrap(ctx, "ward totals", err)
	}
	rows, err := tx.QueryContext(ctx, s.q(sqlWardRunsOf), pq.StringArray(nonNil(categories)))
	if err != nil {
		return nil, "", wrap(ctx, "ward totals", err)
	}
	defer rows.Close()
	out := map[string]*catRuns{}
	var (
		cum pq.Int64Array
		n   int
	)
	for rows.Next() {
		var (
			cat, ward string
			first     int32
		)
		if err := rows.Scan(&cat, &ward, &first, &cum); err != nil {
			return nil, "", wrap(ctx, "ward totals", err)
		}
		if len(cum) == 0 {
			return nil, "", fmt.Errorf("postgis ward totals: %s in %s has no totals", cat, ward)
		}
		if n += len(cum); n > room {
			return nil, version, errTooManyTotals
		}
		c := out[cat]
		if c == nil {
			c = &catRuns{off: []int32{0}}
			out[cat] = c
		}
		c.wards, c.first = append(c.wards, ward), append(c.first, geo.Month(first))
		c.vals = append(c.vals, cum...)
		c.off = append(c.off, int32(len(c.vals)))
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap(ctx, "ward totals", err)
	}
	return out, version, nil
}
