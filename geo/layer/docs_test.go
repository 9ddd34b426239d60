package layer

import (
	"os"
	"strings"
	"testing"
)

// docs/architecture.md keeps the one written list of the layers; it must
// say what the declarations say.
func TestArchitectureDocListsTheLayers(t *testing.T) {
	b, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) == 4 && strings.HasPrefix(cells[0], "`") {
			rows[strings.Trim(cells[0], "`")] = cells
		}
	}
	for _, s := range []*Schema{HexSchema(), WardSchema(), ChangeSchema(), IncidentSchema(), RepeatSchema(), PointSchema(), EmergingSchema(), ForecastSchema()} {
		row, ok := rows[s.Name]
		if !ok {
			t.Errorf("docs/architecture.md has no row for layer %s", s.Name)
			continue
		}
		var props []string
		for _, f := range s.Fields {
			p := "`" + f.Name + "` " + f.Type.Name()
			if f.Nullable {
				p += "?"
			}
			props = append(props, p)
		}
		want := []string{"`" + s.Name + "`", string(s.Geometry), "`" + s.IDField + "`", strings.Join(props, ", ")}
		for i := range want {
			if row[i] != want[i] {
				t.Errorf("layer %s, column %d: doc says %q, declaration %q", s.Name, i+1, row[i], want[i])
			}
		}
		delete(rows, s.Name)
	}
	for name := range rows {
		t.Errorf("docs/architecture.md lists layer %s, which is not declared", name)
	}
}
