package partner

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Both DST changes of 2023 and 2024 (UK: last Sunday of March and of
// October, at 01:00 UTC), their edges and ordinary times. want is the
// instant in UTC, and the local hour the record gets.
func TestLocalInstant(t *testing.T) {
	tests := []struct {
		name  string
		wall  string // local wall clock, 2006-01-02 15:04:05
		want  string // UTC instant
		hour  int
		clock Clock
	}{
		{"winter", "2024-01-15 12:00:00", "2024-01-15 12:00:00", 12, ClockExact},
		{"summer", "2024-07-15 12:00:00", "2024-07-15 11:00:00", 12, ClockExact},

		{"2024 spring: last GMT second", "2024-03-31 00:59:59", "2024-03-31 00:59:59", 0, ClockExact},
		{"2024 spring: gap starts", "2024-03-31 01:00:00", "2024-03-31 01:00:00", 2, ClockSkipped},
		{"2024 spring: in the gap", "2024-03-31 01:30:00", "2024-03-31 01:30:00", 2, ClockSkipped},
		{"2024 spring: gap ends", "2024-03-31 01:59:59", "2024-03-31 01:59:59", 2, ClockSkipped},
		{"2024 spring: first BST time", "2024-03-31 02:00:00", "2024-03-31 01:00:00", 2, ClockExact},
		{"2024 spring: 02:30 BST", "2024-03-31 02:30:00", "2024-03-31 01:30:00", 2, ClockExact},

		{"2024 autumn: last single BST", "2024-10-27 00:59:59", "2024-10-26 23:59:59", 0, ClockExact},
		{"2024 autumn: repeated hour starts", "2024-10-27 01:00:00", "2024-10-27 00:00:00", 1, ClockRepeated},
		{"2024 autumn: in the repeated hour", "2024-10-27 01:30:00", "2024-10-27 00:30:00", 1, ClockRepeated},
		{"2024 autumn: repeated hour ends", "2024-10-27 01:59:59", "2024-10-27 00:59:59", 1, ClockRepeated},
		{"2024 autumn: GMT again", "2024-10-27 02:00:00", "2024-10-27 02:00:00", 2, ClockExact},

		{"2023 spring: before", "2023-03-26 00:30:00", "2023-03-26 00:30:00", 0, ClockExact},
		{"2023 spring: in the gap", "2023-03-26 01:15:00", "2023-03-26 01:15:00", 2, ClockSkipped},
		{"2023 spring: after", "2023-03-26 02:15:00", "2023-03-26 01:15:00", 2, ClockExact},
		{"2023 autumn: before", "2023-10-29 00:45:00", "2023-10-28 23:45:00", 0, ClockExact},
		{"2023 autumn: in the repeated hour", "2023-10-29 01:45:00", "2023-10-29 00:45:00", 1, ClockRepeated},
		{"2023 autumn: after", "2023-10-29 02:45:00", "2023-10-29 02:45:00", 2, ClockExact},
		// A week after a change nothing is special.
		{"a Sunday later", "2024-04-07 01:30:00", "2024-04-07 00:30:00", 1, ClockExact},
	}
	const layout = "2006-01-02 15:04:05"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wall, err := time.Parse(layout, tt.wall)
			if err != nil {
				t.Fatal(err)
			}
			got, clock := localInstant(wall, London)
			if s := got.UTC().Format(layout); s != tt.want || clock != tt.clock {
				t.Errorf("localInstant(%s) = %s UTC, %v; want %s UTC, %v", tt.wall, s, clock, tt.want, tt.clock)
			}
			if got.Location() != London || got.Hour() != tt.hour {
				t.Errorf("local hour %d in %v, want %d in Europe/London", got.Hour(), got.Location(), tt.hour)
			}
		})
	}
}

// Europe/London must load where the system has no zoneinfo database (a
// scratch container). Go falls back to its embedded copy only when
// time/tzdata is linked in, and the system's copy hides its absence here,
// so the test checks the import itself.
func TestTZDataLinked(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"time/tzdata"` {
				return
			}
		}
	}
	t.Error("package partner does not import time/tzdata")
}

// The per-date shortcut gives localInstant's answer for every wall time:
// every 7 minutes of 2019–2026, every DST change among them, and each
// wall time's fields as parseTime reads them.
func TestDayOffsetsMatchLocalInstant(t *testing.T) {
	d := dayOffsets{}
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	steady := 0
	for w := start; w.Before(end); w = w.Add(7 * time.Minute) {
		want, wantClock := localInstant(w, London)
		got, clock := d.instant(w, London)
		if !got.Equal(want) || clock != wantClock || got.Location() != want.Location() {
			t.Fatalf("wall %s: %s %v, localInstant %s %v", w.Format(time.DateTime), got, clock, want, wantClock)
		}
		if clock == ClockExact && (w.Month() != want.Month() || w.Weekday() != want.Weekday() || w.Hour() != want.Hour()) {
			t.Fatalf("wall %s: the wall's fields differ from the instant's local ones (%s)", w.Format(time.DateTime), want)
		}
	}
	for _, o := range d {
		if o.steady {
			steady++
		}
	}
	if steady < len(d)*9/10 || steady == len(d) {
		t.Errorf("%d of %d dates steady: the shortcut is not taken, or never refused", steady, len(d))
	}
}
