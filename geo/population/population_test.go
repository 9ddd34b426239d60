package population

import (
	"encoding/csv"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/leicester-csp/hotspot/internal/shareddata"

	"github.com/leicester-csp/hotspot/geo"
)

// sharedData returns the shared data folder, skipping when it is absent.
func sharedData(tb testing.TB) string { return shareddata.Dir(tb) }

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		file string
		want map[string]int
	}{
		{"BOM, CRLF, spaces, quotes, extra columns", "wards.csv",
			map[string]int{"E05000001": 20990, "E05000002": 31000, "E05000003": 0}},
		{"columns in any order", "reordered.csv", map[string]int{"W1": 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		want  string // the message after "testdata/bad/<file>: "
		cause error  // also matched, when not nil
	}{
		{"empty file", "empty.csv", "file is empty, need a header with code and population", nil},
		{"missing column", "missing_column.csv", "line 1: header lacks column population", nil},
		{"missing columns", "missing_columns.csv", "line 1: header lacks column code and population", nil},
		{"column twice", "duplicate_column.csv", `line 1: header has column "Code" twice`, nil},
		{"header only", "header_only.csv", "file has a header but no rows", nil},
		{"empty code", "empty_code.csv", "line 3: code is empty", nil},
		{"negative", "negative.csv", `line 3: code E2: population "-3" is not a non-negative whole number`, nil},
		{"decimal", "decimal.csv", `line 3: code E2: population "12.5" is not a non-negative whole number`, nil},
		{"thousands separator", "thousands.csv", `line 3: code E2: population "1,234" is not a non-negative whole number`, nil},
		{"empty population", "empty_population.csv", "line 3: code E2: population is empty", nil},
		{"too large", "overflow.csv", `line 2: code E1: population "99999999999999999999" is too large`, nil},
		{"duplicate code", "duplicate.csv", "line 4: duplicate code E1, first on line 2", nil},
		{"wrong field count", "field_count.csv", "line 3: row has 3 fields, header has 2", nil},
		{"unterminated quote", "quote.csv", `line 3, column 7: extraneous or missing " in quoted-field`, csv.ErrQuote},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tc.file)
			got, err := ReadFile(path)
			if err == nil {
				t.Fatalf("read %v, want an error", got)
			}
			if got != nil {
				t.Error("populations returned with the error")
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("error does not match geo.ErrInvalid: %v", err)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("error does not match %v", tc.cause)
			}
			if want := path + ": " + tc.want; err.Error() != want {
				t.Errorf("error\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestReadIOError(t *testing.T) {
	cause := errors.New("disk on fire")
	_, err := Read(iotest.ErrReader(cause), "x")
	if !errors.Is(err, cause) || errors.Is(err, geo.ErrInvalid) {
		t.Errorf("err = %v, want the read error and not ErrInvalid", err)
	}
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.csv"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not exist", err)
	}
}

func TestReadSharedData(t *testing.T) {
	path := filepath.Join(sharedData(t), "leicester_city_council", "leicester_ward_population_2022.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skip(err)
	}
	pop, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, n := range pop {
		sum += n
	}
	if len(pop) != 21 || sum != 372495 {
		t.Errorf("%d codes summing to %d, want 21 summing to 372495", len(pop), sum)
	}
	if pop["E05010458"] != 20990 {
		t.Errorf("Abbey (E05010458) has %d, want 20990", pop["E05010458"])
	}
}
