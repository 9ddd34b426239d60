package layer

import (
	"encoding/xml"
	"fmt"
	"os"
	"regexp"
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
	for _, s := range []*Schema{HexSchema(), WardSchema(), ChangeSchema(), IncidentSchema(), RepeatSchema(), PointSchema(), EmergingSchema(), ForecastSchema(), TargetAreaSchema(), PremisesSchema()} {
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

// TestQGISStyleMatchesThePalette: the QGIS style in docs/ draws gi_bin in
// the web map's colours, one category per bin.
func TestQGISStyleMatchesThePalette(t *testing.T) {
	js, err := os.ReadFile("../../web/src/palette.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export const GI = \{(.*?)\};`).FindSubmatch(js)
	if block == nil {
		t.Fatal("palette.js has no GI ramp")
	}
	want := map[string]string{}
	for _, m := range regexp.MustCompile(`'?(-?\d)'?: '#([0-9a-f]{6})'`).FindAllSubmatch(block[1], -1) {
		want[string(m[1])] = string(m[2])
	}
	b, err := os.ReadFile("../../docs/qgis/gi_bin.qml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Renderer struct {
			Attr       string `xml:"attr,attr"`
			Categories []struct {
				Symbol string `xml:"symbol,attr"`
				Value  string `xml:"value,attr"`
			} `xml:"categories>category"`
			Symbols []struct {
				Name    string `xml:"name,attr"`
				Options []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"layer>Option>Option"`
			} `xml:"symbols>symbol"`
		} `xml:"renderer-v2"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Renderer.Attr != "gi_bin" || len(doc.Renderer.Categories) != 7 || len(want) != 7 {
		t.Fatalf("style renders %q in %d categories; palette has %d bins", doc.Renderer.Attr, len(doc.Renderer.Categories), len(want))
	}
	colour := map[string]string{}
	for _, s := range doc.Renderer.Symbols {
		for _, o := range s.Options {
			if o.Name == "color" {
				var r, g, bl, a int
				if _, err := fmt.Sscanf(o.Value, "%d,%d,%d,%d", &r, &g, &bl, &a); err != nil {
					t.Fatalf("symbol %s colour %q", s.Name, o.Value)
				}
				colour[s.Name] = fmt.Sprintf("%02x%02x%02x", r, g, bl)
			}
		}
	}
	for _, c := range doc.Renderer.Categories {
		if got := colour[c.Symbol]; got != want[c.Value] {
			t.Errorf("gi_bin %s drawn #%s in QGIS, #%s on the map", c.Value, got, want[c.Value])
		}
	}
}
