package layer

import (
	"context"
	"fmt"
	"testing"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

func TestSuppressColumn(t *testing.T) {
	for _, tc := range []struct {
		in, want []int // -1: null
	}{
		{[]int{0, 1, 7, 9}, []int{0, -1, -1, 9}},   // one small: the next-smallest too
		{[]int{0, 1, 2, 9}, []int{0, -1, -1, 9}},   // two small: enough
		{[]int{0, 5, 7}, []int{0, 5, 7}},           // none small
		{[]int{4}, []int{-1}},                      // alone
		{[]int{12, 3, 5, 5}, []int{12, -1, -1, 5}}, // the first of equal next-smallest
	} {
		fs := make([]Feature, len(tc.in))
		for i, n := range tc.in {
			fs[i].Values = []Value{Int(n)}
		}
		hidden := make([]bool, len(fs))
		suppressColumn(fs, 0, 5, hidden)
		got := make([]int, len(fs))
		for i, f := range fs {
			got[i] = f.Values[0].Int()
			if f.Values[0].Null() {
				got[i] = -1
			}
			if hidden[i] != (got[i] == -1) {
				t.Errorf("%v: feature %d hidden %v", tc.in, i, hidden[i])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%v: %v, want %v", tc.in, got, tc.want)
		}
	}
}

// A partner must not read a suppressed count back from a forecast cell's
// score: under method=counts the score is the count.
func TestDiscloseWithholdsScore(t *testing.T) {
	s := &Schema{Fields: []Field{{Name: "count", Type: Integer}, {Name: "score", Type: Number}}}
	src := "council"
	a := &Answer{Schema: s, Provenance: Provenance{Source: &src}, Features: []Feature{
		{Values: []Value{Int(3), Num(3)}},
		{Values: []Value{Int(2), Num(2)}},
		{Values: []Value{Int(9), Num(9)}},
	}}
	disclose(analysis.WithVisibility(context.Background(), analysis.SeeAggregates, 5), a)
	for i, f := range a.Features[:2] {
		if !f.Values[0].Null() || !f.Values[1].Null() {
			t.Errorf("feature %d: count %v score %v, want both null", i, f.Values[0], f.Values[1])
		}
	}
	// An unsuppressed cell's score goes too: under recency, kde and gi
	// the scores are linear in the counts and, over the whole answer,
	// give the suppressed ones back. Its count stays.
	if a.Features[2].Values[0].Null() || !a.Features[2].Values[1].Null() {
		t.Errorf("unsuppressed cell: count %v score %v, want the count and no score", a.Features[2].Values[0], a.Features[2].Values[1])
	}
}

// A ranked answer's suppressed features keep their places as a set, in
// H3 order among themselves: ranked by count, ties by H3, their order
// gave each count back (the H3 order restarts where the count drops).
func TestDiscloseUnranksSuppressed(t *testing.T) {
	s := &Schema{Fields: []Field{{Name: "h3", Type: String}, {Name: "rank", Type: Integer}, {Name: "count", Type: Integer}}}
	src := "council"
	a := &Answer{Schema: s, Provenance: Provenance{Source: &src}, Features: []Feature{
		{Values: []Value{Str("8a0000000000fff"), Int(1), Int(9)}},
		{Values: []Value{Str("8a0000000000eff"), Int(2), Int(8)}},
		{Values: []Value{Str("8a0000000000dff"), Int(3), Int(4)}}, // count 4
		{Values: []Value{Str("8a0000000000bff"), Int(4), Int(2)}}, // count 2
		{Values: []Value{Str("8a0000000000aff"), Int(5), Int(1)}}, // count 1
	}}
	disclose(analysis.WithVisibility(context.Background(), analysis.SeeAggregates, 5), a)
	var got []string
	for _, f := range a.Features {
		got = append(got, fmt.Sprintf("%s:%d", f.Values[0].Text(), f.Values[1].Int()))
	}
	want := "[8a0000000000fff:1 8a0000000000eff:2 8a0000000000aff:3 8a0000000000bff:4 8a0000000000dff:5]"
	if fmt.Sprint(got) != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
