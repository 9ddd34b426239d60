package priority

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestReadMeasures(t *testing.T) {
	const m = `{"id":"robbery-cc","name":"Robbery in the centre","categories":["Robbery"],"area":["Castle"]`
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"measure", `{"measures":[` + m + `,"source":"policeuk","goal":"reduce"}]}`, true},
		{"no source, no goal", `{"measures":[` + m + `}]}`, true},
		{"empty flags", `{"measures":[` + m + `,"flags":[]}]}`, true},
		{"partner source", `{"measures":[` + m + `,"source":"council-asb"}]}`, false},
		{"flags", `{"measures":[` + m + `,"flags":["knife"]}]}`, false},
		{"other goal", `{"measures":[` + m + `,"goal":"increase"}]}`, false},
		{"duplicate", `{"measures":[` + m + `},` + m + `}]}`, false},
		{"bad id", `{"measures":[{"id":"X","name":"x","categories":["Robbery"]}]}`, false},
		{"no categories", `{"measures":[{"id":"x","name":"x"}]}`, false},
		{"unknown key", `{"measures":[` + m + `,"target":3}]}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadPlan(strings.NewReader(tc.in), "test.json")
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("err %v does not wrap ErrInvalid", err)
			}
			if err != nil && tc.name == "partner source" && !strings.Contains(err.Error(), "council-asb") {
				t.Errorf("err %v does not name the source", err)
			}
		})
	}
}

func TestLoadPlan(t *testing.T) {
	plan, err := LoadPlan("")
	if err != nil || len(plan.Measures) == 0 || len(plan.Priorities) != 3 {
		t.Fatalf("built-ins: %+v, %v", plan, err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "p.json")
	body := `{"priorities":[],"measures":[{"id":"burglary","name":"Burglary in Castle","categories":["Burglary"],"area":["Castle"]},{"id":"drugs","name":"Drugs","categories":["Drugs"]}]}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if plan, err = LoadPlan(path); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range plan.Measures {
		ids = append(ids, m.ID)
		if m.ID == "burglary" && m.Name != "Burglary in Castle" {
			t.Errorf("burglary not overridden: %+v", m)
		}
	}
	if ids[len(ids)-1] != "drugs" || len(ids) != len(geo.BuiltinMeasures())+1 {
		t.Errorf("measures %v", ids)
	}
	clash := filepath.Join(dir, "clash.json")
	if err := os.WriteFile(clash, []byte(`{"priorities":[],"measures":[{"id":"asb","name":"ASB","categories":["Anti-social behaviour"]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPlan(clash); err == nil || !strings.Contains(err.Error(), "both a priority and a measure") {
		t.Errorf("id on a priority and a measure: %v", err)
	}
}
