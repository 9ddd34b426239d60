package evaluation

import (
	"math"
	"testing"
)

// The expected figures are worked by hand from DESIGN.md's formulas; the
// p-values from the normal distribution with Python's math.erfc
// (independently of this package) and checked against a printed normal
// table to two places. No published worked example of the
// one-control form was to hand, so none is claimed.
func TestEvaluate(t *testing.T) {
	cases := []struct {
		name   string
		c      Counts
		buffer bool
		wdq    *float64
		wdd    float64
		se     *float64
		z, p   *float64
	}{
		{
			// WDD = (30−50) − (190−200) + (30−40) − (190−200) = −10;
			// se = √(30+50+30+40+4·390) = √1710; WDQ = (3/19 − 1/5) /
			// (3/19 − 1/4) = (−4/95)/(−7/76) = 16/35.
			name: "fall with diffusion", c: Counts{50, 30, 40, 30, 200, 190}, buffer: true,
			wdq: f(16.0 / 35), wdd: -10, se: f(math.Sqrt(1710)), z: f(-0.24182541670333724), p: f(0.8089154436401562),
		},
		{
			// WDD = −40 − 10 + 10 − 10 = −50; se = √(330 + 4·810) =
			// √3570; WDQ = (7/41 − 3/20)/(8/41 − 3/10) = (17/820)/(−86/820).
			name: "fall with displacement", c: Counts{120, 80, 60, 70, 400, 410}, buffer: true,
			wdq: f(-17.0 / 86), wdd: -50, se: f(math.Sqrt(3570)), z: f(-0.836827408755723), p: f(0.402689588550854),
		},
		{
			// buffer=0: WDD = −20 + 10 = −10; se = √(30+50+190+200) = √470.
			name: "no buffer", c: Counts{50, 30, 0, 0, 200, 190}, buffer: false,
			wdd: -10, se: f(math.Sqrt(470)), z: f(-0.4612656040144425), p: f(0.644608059138383),
		},
		{
			// A control without incidents before: no WDQ, the test stands.
			name: "empty control before", c: Counts{4, 2, 1, 1, 0, 3}, buffer: true,
			wdd: (2 - 4) - 3 + 0 - 3, se: f(math.Sqrt(4 + 2 + 1 + 1 + 4*3)), z: f(-8 / math.Sqrt(20)), p: f(0.07363827012030266),
		},
		{
			// T unchanged against C: the WDQ's denominator is 0.
			name: "no change in T", c: Counts{10, 10, 5, 6, 100, 100}, buffer: true,
			wdd: 1, se: f(math.Sqrt(31 + 800)), z: f(1 / math.Sqrt(831)), p: f(0.9723272414505013),
		},
		{name: "nothing at all", c: Counts{}, buffer: true, wdd: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Evaluate(c.c, c.buffer)
			if r.WDD != c.wdd {
				t.Errorf("wdd = %v; want %v", r.WDD, c.wdd)
			}
			same(t, "wdq", r.WDQ, c.wdq)
			same(t, "wdd_se", r.WDDSE, c.se)
			same(t, "wdd_z", r.WDDZ, c.z)
			same(t, "wdd_p", r.WDDP, c.p)
		})
	}
}

func f(v float64) *float64 { return &v }

func same(t *testing.T, name string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v; want %v", name, fmtp(got), fmtp(want))
	case math.Abs(*got-*want) > 1e-12:
		t.Errorf("%s = %.15g; want %.15g", name, *got, *want)
	}
}

func fmtp(v *float64) any {
	if v == nil {
		return "null"
	}
	return *v
}

func TestVerdict(t *testing.T) {
	cases := []struct {
		c      Counts
		buffer bool
		want   string
	}{
		{Counts{50, 30, 40, 30, 200, 190}, true, "fell by 10 against the control; not significant, p = 0.81; a diffusion of benefits into the buffer (WDQ 0.46)"},
		{Counts{120, 80, 60, 70, 400, 410}, true, "fell by 50 against the control; not significant, p = 0.40; signs of displacement into the buffer (WDQ -0.20)"},
		{Counts{50, 30, 0, 0, 200, 190}, false, "fell by 10 against the control; not significant, p = 0.64; displacement not measured (no buffer)"},
		{Counts{200, 100, 20, 20, 100, 100}, true, "fell by 100 against the control; significant, p = 0.003; no sign of displacement"},
		{Counts{10, 30, 5, 9, 100, 100}, true, "rose by 24 against the control; not significant, p = 0.41; the buffer rose too"},
		{Counts{}, true, "nothing to evaluate: no incidents of the priority in the area before or after the start"},
		// an area drawn where the priority has nothing: not a fall
		{Counts{0, 0, 0, 0, 372, 530}, true, "nothing to evaluate: no incidents of the priority in the area before or after the start"},
		// a control inside the area: not a rise against it
		// a control eight times busier than area and buffer: by hand, WDD =
		// −62 + 457 − 219 + 457 = 633, se = √(675+613+1545+1326+4·10645)
		// = 216.2, z = 2.93, p = 0.0034; WDQ = (1326/5094 − 1545/5551) /
		// (613/5094 − 675/5551) = 14.28; C/(T+D) = 10645/4159 = 2.6: no
		// warning. At 25,000 + 25,000 (12 times): WDD = −281, se = √204159,
		// p = 0.534, WDQ = (1326 − 1545)/(613 − 675) = 3.53, and a warning.
		{Counts{675, 613, 1545, 1326, 5551, 5094}, true, "rose by 633 against the control; significant, p = 0.003; a diffusion of benefits into the buffer (WDQ 14.28)"},
		{Counts{675, 613, 1545, 1326, 25000, 25000}, true, "fell by 281 against the control; not significant, p = 0.53; a diffusion of benefits into the buffer (WDQ 3.53); but the control holds 12 times the incidents of the area and buffer, and the WDD compares changes in counts: a control of similar size reads fairer"},
		{Counts{1969, 3067, 0, 0, 0, 0}, true, "no comparison: the control has no incidents outside the area and its buffer; choose another control"},
		// a buffer too thin to hold anything: by hand, WDD = −20 + 10 + 0 + 10
		// = 0 (the control's fall taken twice cancels the area's), se =
		// √1640, p = 1; no displacement reading
		{Counts{50, 30, 0, 0, 200, 190}, true, "no change against the control; not significant, p = 1.00; the buffer holds no incidents in either period, so displacement cannot be told and the WDD counts the control's change twice: read the figures with buffer=0 or a wider buffer"},
		// a control swamped by the buffer: by hand, WDD = −20 − 3 − 10 − 3 =
		// −36, se = √170, z = −2.76, p = 0.0058; WDQ = (7.5 − 40)/(7.5 − 50)
		// = 0.76; flagged as too small a control
		{Counts{50, 30, 40, 30, 1, 4}, true, "fell by 36 against the control; significant, p = 0.006; a diffusion of benefits into the buffer (WDQ 0.76); but the control holds only 1 and 4 incidents, too few to stand for the area: choose a larger control"},
	}
	for _, c := range cases {
		if got := Verdict(Evaluate(c.c, c.buffer)); got != c.want {
			t.Errorf("Verdict(%+v) =\n %s\nwant\n %s", c.c, got, c.want)
		}
	}
}

func TestWDQWords(t *testing.T) {
	for w, want := range map[float64]string{-0.001: "0.00", -0.004: "0.00", -0.006: "-0.01", 0.456: "0.46", 14.2798: "14.28"} {
		if got := wdq2(w); got != want {
			t.Errorf("wdq2(%v) = %s, want %s", w, got, want)
		}
	}
}
