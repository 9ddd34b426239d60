package layer

import (
	"fmt"
	"testing"
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
