package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// segExt is what a segment keeps of a partner record beyond the police.uk
// columns. Occurred is kept to the second (Unix time), which is finer than
// any partner export gives.
type segExt struct {
	src, premises, offender string
	occurred                int64
	flags                   geo.Flags
}

// newSegExt returns in's partner tail (nil for a police.uk row), placed
// in *block, which it replaces with a new block when full: one allocation
// a partner record was a twentieth of a partner import's CPU. A full block
// is never appended to, so the tails it holds stay where they are.
func newSegExt(in *geo.Incident, block *[]segExt) *segExt {
	if in.Source == "" {
		return nil
	}
	if len(*block) == cap(*block) {
		*block = make([]segExt, 0, chunkLen)
	}
	*block = append(*block, segExt{src: in.Source, premises: in.Premises, offender: in.Offender, occurred: in.Occurred.Unix(), flags: in.Flags})
	return &(*block)[len(*block)-1]
}

// extIdx is a decoded segExt, its strings indexes into the segment's table.
type extIdx struct {
	src, premises, offender uint32
	occurred                int64
	flags                   geo.Flags
}

// decode reads a row's format-2 tail; false for a police.uk row.
func (x *extIdx) decode(d *decoder, nstrs int) bool {
	if d.uvarint() == 0 {
		return false
	}
	str := func() uint32 {
		v := d.uvarint()
		if v >= uint64(nstrs) {
			d.fail()
		}
		return uint32(v)
	}
	x.src = str()
	x.occurred = d.varint()
	fl := d.uvarint()
	if fl >= 1<<geo.NumFlags {
		d.fail()
	}
	x.flags = geo.Flags(fl)
	x.premises, x.offender = str(), str()
	return d.err == nil
}

// partRow is a partner record's own columns in a snapshot; strings are
// snapshot string indexes. Weekday (Monday = 0) and hour are local,
// worked out once at load for the day and hour filters.
type partRow struct {
	src, premises, offender uint32
	occurred                int64
	flags                   geo.Flags
	wd, hour                uint8
}

func newPartRow(x *extIdx, local []uint32) partRow {
	t := time.Unix(x.occurred, 0).In(geo.London)
	wd, h := geo.LocalDayHour(t)
	return partRow{src: local[x.src], premises: local[x.premises], offender: local[x.offender], occurred: x.occurred, flags: x.flags, wd: uint8(wd), hour: uint8(h)}
}

// source returns incident i's source, "" for police.uk.
func (s *snapshot) source(i uint32) string {
	if e := s.ext[i]; e != 0 {
		return s.strs[s.part[e-1].src]
	}
	return ""
}

// fillPartner adds a partner record's own fields to out.
func (s *snapshot) fillPartner(i uint32, out *geo.StoredIncident) {
	e := s.ext[i]
	if e == 0 {
		return
	}
	p := &s.part[e-1]
	out.Source = s.strs[p.src]
	out.Occurred = time.Unix(p.occurred, 0).In(geo.London)
	out.Flags = p.flags
	out.Premises, out.Offender = s.strs[p.premises], s.strs[p.offender]
}

// Sources lists the local sources that hold records.
func (s *Store) Sources(ctx context.Context) ([]string, error) {
	sn := s.snap.Load()
	out := make([]string, 0, len(sn.srcIdx))
	for name := range sn.srcIdx {
		out = append(out, name)
	}
	slices.Sort(out)
	return out, nil
}

// SourceInfos describes police.uk, then each local source by name.
func (s *Store) SourceInfos(ctx context.Context) ([]geo.SourceInfo, error) {
	sn := s.snap.Load()
	marked := sn.man.Synthetic
	out := []geo.SourceInfo{{Name: geo.SourcePoliceUK, Synthetic: slices.Contains(marked, geo.SourcePoliceUK)}}
	for _, name := range slices.Sorted(maps.Keys(sn.srcIdx)) {
		out = append(out, geo.SourceInfo{Name: name, Categories: slices.Clone(sn.srcCats[name]), Synthetic: slices.Contains(marked, name)})
	}
	return out, nil
}

// Premises returns the premises register by ID.
func (s *Store) Premises(ctx context.Context) ([]geo.Premises, error) {
	return slices.Clone(s.snap.Load().premises), nil
}

type premisesFile struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Kind string      `json:"kind"`
	At   *[2]float64 `json:"at,omitempty"`
}

func encodePremises(ps []geo.Premises) ([]byte, error) {
	out := make([]premisesFile, len(ps))
	for i, p := range ps {
		out[i] = premisesFile{ID: p.ID, Name: p.Name, Kind: p.Kind}
		if p.HasLocation {
			out[i].At = &[2]float64{p.Point[0], p.Point[1]}
		}
	}
	return json.Marshal(out)
}

func decodePremises(b []byte) ([]geo.Premises, error) {
	var in []premisesFile
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	out := make([]geo.Premises, len(in))
	for i, p := range in {
		out[i] = geo.Premises{ID: p.ID, Name: p.Name, Kind: p.Kind}
		if p.At != nil {
			out[i].HasLocation, out[i].Point = true, orb.Point(*p.At)
		}
	}
	return out, nil
}

// mergePremises returns the register with in merged by ID, or nil when
// that changes nothing.
func mergePremises(cur, in []geo.Premises) []geo.Premises {
	byID := make(map[string]geo.Premises, len(cur)+len(in))
	for _, p := range cur {
		byID[p.ID] = p
	}
	changed := false
	for _, p := range in {
		if old, ok := byID[p.ID]; !ok || old != p {
			changed = true
		}
		byID[p.ID] = p
	}
	if !changed {
		return nil
	}
	out := make([]geo.Premises, 0, len(byID))
	for _, p := range byID {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b geo.Premises) int { return cmpString(a.ID, b.ID) })
	return out
}

// finishPartner indexes the partner records added to the build. Maps are
// copied, never changed in place: older snapshots still read them.
func (b *builder) finishPartner() {
	s := b.next
	if len(b.addedPart) == 0 {
		return
	}
	added := sortByID(s, b.addedPart)
	s.byID = mergeSorted(s.byID, added, s.cmpKey)
	byMonth := maps.Clone(s.pByMonth)
	perMonth := map[geo.Month][]uint32{}
	cats, srcs := maps.Clone(s.pCats), maps.Clone(s.srcIdx)
	type srcCat struct{ src, cat uint32 }
	pairs := map[srcCat]bool{}
	for _, i := range added {
		perMonth[s.month[i]] = append(perMonth[s.month[i]], i)
		c := s.fields[fCategory][i]
		cats[s.strs[c]] = c
		src := s.part[s.ext[i]-1].src
		srcs[s.strs[src]] = src
		pairs[srcCat{src, c}] = true
	}
	for m, l := range perMonth {
		byMonth[m] = mergeSorted(byMonth[m], l, s.cmpKey)
	}
	srcCats := maps.Clone(s.srcCats)
	if srcCats == nil {
		srcCats = map[string][]string{}
	}
	for p := range pairs {
		name, cat := s.strs[p.src], s.strs[p.cat]
		if l := srcCats[name]; !slices.Contains(l, cat) {
			// A new slice: older snapshots may share the old one.
			l = append(slices.Clip(l), cat)
			slices.Sort(l)
			srcCats[name] = l
		}
	}
	s.pByMonth, s.pCats, s.srcIdx, s.srcCats = byMonth, cats, srcs, srcCats
	s.pMonths = slices.Sorted(maps.Keys(byMonth))
}

// freshPart resolves a just-written row's partner fields; nil for
// police.uk.
func (b *builder) freshPart(x *segExt, memo *strMemo) *partRow {
	if x == nil {
		return nil
	}
	local := [3]uint32{memo.num(nFields, x.src, b.strS), memo.num(nFields+1, x.premises, b.strS), memo.num(nFields+2, x.offender, b.strS)}
	r := newPartRow(&extIdx{src: 0, premises: 1, offender: 2, occurred: x.occurred, flags: x.flags}, local[:])
	return &r
}
