package priority

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"override and add", `{"priorities":[{"id":"asb","name":"ASB","categories":["Anti-social behaviour","Public order"]},{"id":"nte","name":"Night-time economy","categories":["Violence and sexual offences"],"area":["Castle","Westcotes"]}]}`, true},
		{"empty list", `{"priorities":[]}`, true},
		{"bad id", `{"priorities":[{"id":"Bad Id","name":"x","categories":["Drugs"]}]}`, false},
		{"duplicate id", `{"priorities":[{"id":"a","name":"x","categories":["Drugs"]},{"id":"a","name":"y","categories":["Drugs"]}]}`, false},
		{"no categories", `{"priorities":[{"id":"a","name":"x"}]}`, false},
		{"no name", `{"priorities":[{"id":"a","categories":["Drugs"]}]}`, false},
		{"empty area", `{"priorities":[{"id":"a","name":"x","categories":["Drugs"],"area":[""]}]}`, false},
		{"unknown field", `{"priorities":[],"extra":1}`, false},
		{"trailing data", `{"priorities":[]} {}`, false},
		{"not JSON", `priorities: []`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "test.json")
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("err %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	body := `{"priorities":[{"id":"asb","name":"ASB and public order","categories":["Anti-social behaviour","Public order"]},{"id":"nte","name":"Night-time economy","categories":["Violence and sexual offences"],"area":["Castle"]}]}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "city-centre-violence,asb,retail-crime,nte" || len(ps[1].Categories) != 2 {
		t.Errorf("merged = %v", ps)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file loaded")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(`{"priorities":[{"id":"asb","name":"ASB","categories":["Anti-social behaviour"],"area":["Castle"]}]}`)
	f.Add(`{"priorities":[]}`)
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := Read(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if !idRE.MatchString(p.ID) || seen[p.ID] || len(p.Categories) == 0 || strings.TrimSpace(p.Name) == "" {
				t.Fatalf("accepted an invalid priority %+v", p)
			}
			seen[p.ID] = true
		}
	})
}
