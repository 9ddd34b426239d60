package analysis

import (
	"math"
	"testing"
)

// DESIGN.md's peak rule on hand-made runs.
func TestPeakOf(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		z      []float64
		want   int
		peaked bool
	}{
		{"interior peak", []float64{1, 3, 2, 4, 1, 0}, 2, true},
		{"first interior peak wins", []float64{1, 2, 1, 5, 1, 0}, 2, true},
		{"rising: largest", []float64{1, 2, 3, 4, 5, 6}, 6, false},
		{"falling: largest", []float64{6, 5, 4, 3, 2, 1}, 1, false},
		{"plateau is no peak", []float64{1, 3, 3, 2, 1, 0}, 2, false},
		{"undefined rows skipped", []float64{nan, 2, nan, 1, 0, 0}, 2, false},
		{"all undefined", []float64{nan, nan, nan}, 0, false},
	}
	for _, tc := range tests {
		rows := make([]ScaleRow, len(tc.z))
		for i, z := range tc.z {
			rows[i] = ScaleRow{K: i + 1, Z: z}
		}
		if got, peaked := peakOf(rows); got != tc.want || peaked != tc.peaked {
			t.Errorf("%s: peak %d (interior %v), want %d (%v)", tc.name, got, peaked, tc.want, tc.peaked)
		}
	}
}
