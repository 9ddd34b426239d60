package geo

import (
	"fmt"
	"time"
	// Europe/London must load on a system without a zoneinfo database
	// (a scratch container); this embeds Go's copy (about 450 KB).
	_ "time/tzdata"
)

// London is the zone of every partner record's local time.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Cannot happen with time/tzdata linked in.
		panic(fmt.Sprintf("geo: loading %s: %v", name, err))
	}
	return loc
}

// ValidSourceName checks a local source's name: 1–32 of a-z, 0-9, _ and
// -, and not one of the names the API gives other meanings.
func ValidSourceName(name string) error {
	if name == SourcePoliceUK || name == SourceAll {
		return fmt.Errorf("%w: source %q is reserved", ErrInvalid, name)
	}
	if len(name) == 0 || len(name) > 32 {
		return fmt.Errorf("%w: source %q: want 1 to 32 characters", ErrInvalid, name)
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("%w: source %q: only a-z, 0-9, _ and - may be used", ErrInvalid, name)
		}
	}
	return nil
}

// Within is a filter on a partner record's local time: its day and hour.
// The zero value holds any time. Hours is a mask of local hours (bit h:
// h:00–h:59); Shift, when hours wrap midnight, is the end of the window
// (e.g. 4 for 20-04), and an hour before it belongs to the night of the
// day before (Sat 02:00 is Friday night). Days is a mask of days, bit 0
// Monday; zero means every day.
type Within struct {
	Days  uint8
	Hours uint32
	Shift int
}

// Any reports whether w holds at every time.
func (w Within) Any() bool { return w.Days == 0 && w.Hours == 0 }

// Holds reports whether a record at local weekday wd (Monday = 0) and
// hour h passes.
func (w Within) Holds(wd, h int) bool {
	if w.Hours != 0 && w.Hours&(1<<h) == 0 {
		return false
	}
	if w.Days == 0 {
		return true
	}
	if h < w.Shift {
		wd = (wd + 6) % 7
	}
	return w.Days&(1<<wd) != 0
}

// LocalDayHour returns t's weekday (Monday = 0) and hour in t's location.
func LocalDayHour(t time.Time) (wd, h int) {
	return (int(t.Weekday()) + 6) % 7, t.Hour()
}
