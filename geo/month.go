package geo

import (
	"fmt"
	"strconv"
	"sync"
)

// Month is a calendar month counted from January of year 0, so that months
// order and subtract as integers (2024-01 minus 2023-12 is 1).
type Month int32

// NewMonth returns the month of a year and a 1-based month number.
func NewMonth(year, month int) Month { return Month(year*12 + month - 1) }

// ParseMonth parses "YYYY-MM" strictly: four digits, a dash, two digits,
// month 01–12.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("%w: month %q is not YYYY-MM", ErrInvalid, s)
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return 0, fmt.Errorf("%w: month %q is not YYYY-MM", ErrInvalid, s)
		}
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:])
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("%w: month %q: month must be 01–12", ErrInvalid, s)
	}
	return NewMonth(y, m), nil
}

// Year returns the calendar year.
func (m Month) Year() int { return int(m) / 12 }

// Num returns the month number 1–12.
func (m Month) Num() int { return int(m)%12 + 1 }

// String formats the month as "YYYY-MM".
func (m Month) String() string {
	if i := int(m) - monthNamesFrom; i >= 0 && i < monthNamesLen {
		return monthNames()[i]
	}
	return fmt.Sprintf("%04d-%02d", m.Year(), m.Num())
}

// The months of 1900–2199 are named from a table made once: pages and
// tiles name every incident's month, and formatting it was an allocation
// a feature (8,700 of a dense tile's).
const (
	monthNamesFrom = 1900 * 12
	monthNamesLen  = 300 * 12
)

var monthNames = sync.OnceValue(func() []string {
	names := make([]string, monthNamesLen)
	for i := range names {
		m := Month(monthNamesFrom + i)
		names[i] = fmt.Sprintf("%04d-%02d", m.Year(), m.Num())
	}
	return names
})

// MonthRange is an inclusive range of months.
type MonthRange struct {
	From, To Month
}

// Len returns the number of months in the range.
func (r MonthRange) Len() int { return int(r.To-r.From) + 1 }

// Contains reports whether m lies in the range.
func (r MonthRange) Contains(m Month) bool { return m >= r.From && m <= r.To }

// Previous returns the range of equal length that ends just before r.
func (r MonthRange) Previous() MonthRange {
	n := Month(r.Len())
	return MonthRange{From: r.From - n, To: r.From - 1}
}

// Months lists every month of the range in order.
func (r MonthRange) Months() []Month {
	out := make([]Month, 0, r.Len())
	for m := r.From; m <= r.To; m++ {
		out = append(out, m)
	}
	return out
}

func (r MonthRange) String() string { return r.From.String() + "/" + r.To.String() }
