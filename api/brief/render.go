package brief

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed page.css
var pageCSS string

//go:embed brief.html
var briefHTML string

var funcs = template.FuncMap{
	// css is the page's own style sheet, compiled in: trusted, so not
	// escaped as text.
	"css":  func() template.CSS { return template.CSS(pageCSS) },
	"join": strings.Join,
	"z": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return fmt.Sprintf("%.2f", *v)
	},
	"p": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return FormatP(*v)
	},
	"words": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
}

var briefPage = template.Must(template.New("brief").Funcs(funcs).Parse(briefHTML))

// WriteHTML writes the briefing as one printable page.
func WriteHTML(w io.Writer, c *Content) error {
	return briefPage.Execute(w, c)
}
