package geo

import (
	"fmt"
)

// Quarter is a calendar quarter (Q1 = January–March), counted like Month
// from year 0 so that quarters order and subtract as integers.
type Quarter int32

// NewQuarter returns quarter q (1–4) of a year.
func NewQuarter(year, q int) Quarter { return Quarter(year*4 + q - 1) }

// QuarterOf returns the quarter a month falls in.
func QuarterOf(m Month) Quarter { return Quarter(int(m) / 3) }

// ParseQuarter parses "YYYYQn" strictly: four digits, an upper- or
// lower-case Q, and a quarter 1–4.
func ParseQuarter(s string) (Quarter, error) {
	if len(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' || s[5] > '4' {
		return 0, fmt.Errorf("%w: quarter %q is not YYYYQn (such as 2025Q3)", ErrInvalid, s)
	}
	y := 0
	for _, c := range []byte(s[:4]) {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: quarter %q is not YYYYQn (such as 2025Q3)", ErrInvalid, s)
		}
		y = y*10 + int(c-'0')
	}
	return NewQuarter(y, int(s[5]-'0')), nil
}

// Year returns the calendar year.
func (q Quarter) Year() int { return int(q) / 4 }

// Num returns the quarter number 1–4.
func (q Quarter) Num() int { return int(q)%4 + 1 }

// Months returns the quarter's three months.
func (q Quarter) Months() MonthRange {
	from := Month(int(q) * 3)
	return MonthRange{From: from, To: from + 2}
}

// String formats the quarter as "YYYYQn".
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year(), q.Num()) }
