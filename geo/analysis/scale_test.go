package analysis

import (
	"math"
	"testing"
)

// DESIGN.md's peak rule on hand-made runs.
func TestPeakOf(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		z    []float64
		want int
	}{
		{"interior peak", []float64{1, 3, 2, 4, 1, 0}, 2},
		{"first interior peak wins", []float64{1, 2, 1, 5, 1, 0}, 2},
		{"rising: largest", []float64{1, 2, 3, 4, 5, 6}, 6},
		{"falling: largest", []float64{6, 5, 4, 3, 2, 1}, 1},
		{"plateau is no peak", []float64{1, 3, 3, 2, 1, 0}, 2},
		{"undefined rows skipped", []float64{nan, 2, nan, 1, 0, 0}, 2},
		{"all undefined", []float64{nan, nan, nan}, 0},
	}
	for _, tc := range tests {
		rows := make([]ScaleRow, len(tc.z))
		for i, z := range tc.z {
			rows[i] = ScaleRow{K: i + 1, Z: z}
		}
		if got := peakOf(rows); got != tc.want {
			t.Errorf("%s: peak %d, want %d", tc.name, got, tc.want)
		}
	}
}
