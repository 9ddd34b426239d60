package partner

import (
	"fmt"
	"time"
	// Europe/London must load on a system without a zoneinfo database
	// (a scratch container); geo.London needs this, and so does this
	// package whoever imports it.
	_ "time/tzdata"

	"github.com/leicester-csp/hotspot/geo"
)

// Clock says how a local time of a record became an instant.
type Clock uint8

const (
	// ClockExact: the local time happened once.
	ClockExact Clock = iota
	// ClockRepeated: the local time happened twice (the autumn hour
	// repeated when clocks go back); the first, in British Summer Time,
	// was taken.
	ClockRepeated
	// ClockSkipped: the local time never happened (the spring hour lost
	// when clocks go forward); it was read with the offset in force just
	// before the change (GMT), so it lands an hour later on the clock.
	ClockSkipped
)

func (c Clock) String() string {
	switch c {
	case ClockExact:
		return "exact"
	case ClockRepeated:
		return "repeated hour: first (BST) instant taken"
	case ClockSkipped:
		return "skipped hour: read as GMT, an hour later on the clock"
	}
	return fmt.Sprintf("clock(%d)", uint8(c))
}

// London is the zone of every partner record's local time.
var London = geo.London

// localInstant turns a wall-clock time (its fields read as they stand; its
// own zone ignored) into the instant it names in loc, deciding the two DST
// cases deliberately rather than leaving them to time.Date, which promises
// neither which of two instants it picks nor what it does in a gap.
func localInstant(wall time.Time, loc *time.Location) (time.Time, Clock) {
	w := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	// The offsets in force two days either side cover any transition that
	// could touch this wall time (London's are months apart).
	_, before := w.Add(-48 * time.Hour).In(loc).Zone()
	_, after := w.Add(48 * time.Hour).In(loc).Zone()
	var found []time.Time
	for i, off := range [2]int{before, after} {
		if i == 1 && off == before {
			break
		}
		t := w.Add(-time.Duration(off) * time.Second)
		lt := t.In(loc)
		if time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), lt.Nanosecond(), time.UTC).Equal(w) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 1:
		return found[0].In(loc), ClockExact
	case 2:
		first := found[0]
		if found[1].Before(first) {
			first = found[1]
		}
		return first.In(loc), ClockRepeated
	}
	return w.Add(-time.Duration(before) * time.Second).In(loc), ClockSkipped
}

// dayOffsets remembers, per wall date, the zone's UTC offset when the same
// offset holds from two days before the date to three days after it.
// Every wall time of such a date is then exact and its instant is the wall
// time less that offset, which is what localInstant finds with five zone
// look-ups (a tenth of a partner import's parsing). Dates near a change of
// offset go to localInstant. One map a Reader or Parser: not shared.
type dayOffsets map[int32]dayOffset

type dayOffset struct {
	off    int
	steady bool
}

func (d dayOffsets) instant(wall time.Time, loc *time.Location) (time.Time, Clock) {
	y, m, day := wall.Date()
	key := int32(y)<<9 | int32(m)<<5 | int32(day)
	o, ok := d[key]
	if !ok {
		start := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
		// The window holds localInstant's, two days either side of any
		// wall time of the date.
		_, a := start.Add(-48 * time.Hour).In(loc).Zone()
		_, b := start.Add(72 * time.Hour).In(loc).Zone()
		o = dayOffset{off: a, steady: a == b}
		// Bounded: past 65,536 dates (bad rows may carry any date) the
		// rest are worked out each time, as before the memo.
		if len(d) < 1<<16 {
			d[key] = o
		}
	}
	if !o.steady {
		return localInstant(wall, loc)
	}
	w := time.Date(y, m, day, wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	return w.Add(-time.Duration(o.off) * time.Second).In(loc), ClockExact
}
