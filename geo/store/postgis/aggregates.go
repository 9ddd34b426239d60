package postgis

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// countKey is one group of the run's new incidents, as counted while they
// stream: month × category × point × Location text × outcome. The texts
// are indexes into importer.texts, so a key is a few integers, which hash
// fast and give the collector nothing to follow in a map that holds
// millions of keys at national scale.
type countKey struct {
	month             geo.Month
	point             int32 // 0: no location
	category          int32
	location, outcome int32 // -1 without location: no tally reads them
}

// textID returns s's index in the run's texts, adding s when new. The
// copy kept is s's own: a row's fields may be slices of its whole input
// line, which a kept field would otherwise keep alive.
func (im *importer) textID(s string) int32 {
	if id, ok := im.textIDs[s]; ok {
		return id
	}
	s = strings.Clone(s)
	id := int32(len(im.texts))
	im.texts = append(im.texts, s)
	im.textIDs[s] = id
	return id
}

// storeAggregates adds the run's counts to agg, agg_month, agg_text and agg_ward,
// and its months and categories to theirs, once points have their wards;
// with new wards, the stored counts are moved to them first. Only the
// run's new incidents were counted, so importing the same rows again adds
// nothing.
func (im *importer) storeAggregates(wardsChanged bool) error {
	if wardsChanged {
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlReassignTextWards)); err != nil {
			return fmt.Errorf("wards of text counts: %w", err)
		}
	}
	var (
		wards map[int32]string
		cats  []int32
	)
	if len(im.counts) > 0 {
		var keys []countKey
		keys, cats = im.sortedCounts()
		if err := im.storeCounts(keys); err != nil {
			return err
		}
		var err error
		if wards, err = im.pointWards(); err != nil {
			return fmt.Errorf("wards of points: %w", err)
		}
		if err := im.storeTextCounts(keys, wards); err != nil {
			return fmt.Errorf("by text: %w", err)
		}
	}
	if err := im.storeWardCounts(wardsChanged, wards, cats); err != nil {
		return fmt.Errorf("by ward: %w", err)
	}
	return nil
}

// sortedCounts lists the run's count keys in the order of agg's and
// agg_text's indexes (category, month), then point, so that copying
// appends to the indexes rather than writing all over them, and agg's
// rows are runs of neighbouring keys. Categories are compared by rank,
// worked out once: the sort then compares integers only (comparing the
// texts took most of the aggregates' time in the client). cats are the
// run's categories (indexes into texts) in that order.
func (im *importer) sortedCounts() (keys []countKey, cats []int32) {
	rank := make([]int32, len(im.texts))
	seen := make([]bool, len(im.texts))
	keys = make([]countKey, 0, len(im.counts))
	for k := range im.counts {
		keys = append(keys, k)
		if !seen[k.category] {
			seen[k.category] = true
			cats = append(cats, k.category)
		}
	}
	slices.SortFunc(cats, func(a, b int32) int { return strings.Compare(im.texts[a], im.texts[b]) })
	for r, c := range cats {
		rank[c] = int32(r)
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(rank[a.category], rank[b.category]), cmp.Compare(a.month, b.month), cmp.Compare(a.point, b.point),
			cmp.Compare(a.location, b.location), cmp.Compare(a.outcome, b.outcome))
	})
	return keys, cats
}

// storeCounts adds the run's counts per month × category × point to agg:
// keys (sortedCounts) summed over the texts.
func (im *importer) storeCounts(keys []countKey) error {
	months := map[geo.Month]bool{}
	cats := map[string]bool{}
	b := &im.buf
	b.reset()
	for i := 0; i < len(keys); {
		k := keys[i]
		var n int32
		for ; i < len(keys) && keys[i].category == k.category && keys[i].month == k.month && keys[i].point == k.point; i++ {
			n += im.counts[keys[i]]
		}
		b.int(int64(k.month))
		b.str(im.texts[k.category])
		b.int(int64(k.point))
		b.int(int64(n))
		b.end()
		months[k.month], cats[im.texts[k.category]] = true, true
	}
	ms := make([]int64, 0, len(months))
	for m := range months {
		ms = append(ms, int64(m))
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddMonths), pq.Array(ms)); err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddCategories), pq.Array(slices.Collect(maps.Keys(cats)))); err != nil {
		return err
	}
	if err := im.addRows("agg", b, sqlCopyAgg, sqlCreateAggStage, sqlCopyAggStage, sqlMergeAggUpdate, sqlMergeAggInsert); err != nil {
		return err
	}
	return im.storeMonthTotals(keys)
}

// storeMonthTotals adds the run's counts per month × category to
// agg_month (migration 0019), which incident lists with no ward or box
// count their totals from.
func (im *importer) storeMonthTotals(keys []countKey) error {
	type monthCat struct {
		month    geo.Month
		category int32
	}
	sums := map[monthCat]int64{}
	for _, k := range keys {
		sums[monthCat{k.month, k.category}] += int64(im.counts[k])
	}
	var (
		months []int64
		cats   []string
		ns     []int64
	)
	for k, n := range sums {
		months, cats, ns = append(months, int64(k.month)), append(cats, im.texts[k.category]), append(ns, n)
	}
	_, err := im.tx.ExecContext(im.ctx, im.q(sqlAddMonthTotals), pq.Array(months), pq.Array(cats), pq.Array(ns))
	return err
}

// storeTextCounts adds the run's counts of located incidents per month ×
// category × point × Location text × outcome to agg_text, naming the
// texts by their ids in texts, each with its point's ward (wards, from
// pointWards: points have been assigned to wards by now). keys come from
// sortedCounts.
func (im *importer) storeTextCounts(keys []countKey, wards map[int32]string) error {
	ids, err := im.storeTexts()
	if err != nil {
		return err
	}
	b := &im.buf
	b.reset()
	for _, k := range keys {
		if k.point == 0 {
			continue
		}
		b.int(int64(k.month))
		b.str(im.texts[k.category])
		b.int(int64(k.point))
		b.int(ids[k.location])
		b.int(ids[k.outcome])
		b.int(int64(im.counts[k]))
		if w, ok := wards[k.point]; ok {
			b.str(w)
		} else {
			b.null()
		}
		b.end()
	}
	return im.addRows("agg_text", b, sqlCopyAggText, sqlCreateAggTextStage, sqlCopyAggTextStage, sqlMergeAggTextUpdate, sqlMergeAggTextInsert)
}

// storeTexts adds the Location and outcome texts of the run's located
// incidents that texts lacks, and returns the stored id of each by its
// index in the run's texts (0 for texts that name neither). Texts are
// few, even at national scale, so this is one statement each way.
func (im *importer) storeTexts() ([]int64, error) {
	used := make([]bool, len(im.texts))
	for k := range im.counts {
		if k.point != 0 {
			used[k.location], used[k.outcome] = true, true
		}
	}
	var texts []string
	for i, u := range used {
		if u {
			texts = append(texts, im.texts[i])
		}
	}
	ids := make([]int64, len(im.texts))
	if len(texts) == 0 {
		return ids, nil
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddTexts), pq.Array(texts)); err != nil {
		return nil, err
	}
	rows, err := im.tx.QueryContext(im.ctx, im.q(sqlTextIDs), pq.Array(texts))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			text string
		)
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		if i, ok := im.textIDs[text]; ok {
			ids[i] = id
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, u := range used {
		if u && ids[i] == 0 {
			return nil, fmt.Errorf("text %q was not stored", im.texts[i])
		}
	}
	return ids, nil
}

// addRows adds encoded aggregate rows to their table. Into an empty store
// they are copied straight in, with the table's indexes built afterwards
// (bulkWrite); otherwise they are staged (copy) and merged (merge),
// adding to the stored rows of the same key.
func (im *importer) addRows(table string, b *copyText, direct, stage, copyStage string, merge ...string) error {
	if b.rows == 0 {
		return nil
	}
	if !im.storedIncidents {
		return im.bulkWrite(table, func() error { return copyIn(im.ctx, im.conn, im.q(direct), b) })
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(stage)); err != nil {
		return err
	}
	if err := copyIn(im.ctx, im.conn, im.q(copyStage), b); err != nil {
		return err
	}
	for _, q := range merge {
		if _, err := im.tx.ExecContext(im.ctx, im.q(q)); err != nil {
			return err
		}
	}
	return nil
}
