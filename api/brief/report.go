package brief

import (
	_ "embed"
	"encoding/csv"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Report is the quarterly report as JSON gives it (DESIGN.md's shape).
type Report struct {
	Quarter string      `json:"quarter"`
	Rows    []ReportRow `json:"rows"`
}

// ReportRow is one priority's or measure's figures; nil is unknown.
type ReportRow struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Count           int      `json:"count"`
	Previous        *int     `json:"previous"`
	LastYear        *int     `json:"last_year"`
	ChangePPrevious *float64 `json:"change_p_previous"`
	ChangePYear     *float64 `json:"change_p_year"`
	OffTrack        bool     `json:"off_track"`
}

// FromReport converts the analysis' report.
func FromReport(r *analysis.QuarterReport) *Report {
	out := &Report{Quarter: r.Quarter.String(), Rows: []ReportRow{}}
	for _, row := range r.Rows {
		out.Rows = append(out.Rows, ReportRow{ID: row.ID, Name: row.Name, Count: row.Count, Previous: row.Previous, LastYear: row.LastYear,
			ChangePPrevious: row.ChangePPrevious, ChangePYear: row.ChangePYear, OffTrack: row.OffTrack})
	}
	return out
}

// ReportCSVHeader are the CSV columns: the JSON row's keys.
var ReportCSVHeader = []string{"id", "name", "count", "previous", "last_year", "change_p_previous", "change_p_year", "off_track"}

// WriteReportCSV writes the rows as CSV; null is an empty cell, and a
// name a spreadsheet would run as a formula is defused with '.
func WriteReportCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(ReportCSVHeader)
	for _, row := range r.Rows {
		_ = cw.Write([]string{defuse(row.ID), defuse(row.Name), strconv.Itoa(row.Count), intCell(row.Previous), intCell(row.LastYear),
			floatCell(row.ChangePPrevious), floatCell(row.ChangePYear), strconv.FormatBool(row.OffTrack)})
	}
	cw.Flush()
	return cw.Error()
}

func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func intCell(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func floatCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

//go:embed report.html
var reportHTML string

var reportPage = template.Must(template.New("report").Funcs(funcs).Parse(reportHTML))

// reportView is what the report page shows: the rows with their changes
// in words.
type reportView struct {
	Quarter, PreviousQuarter, LastYearQuarter string
	DataFrom, DataTo                          string
	Rows                                      []reportViewRow
}

type reportViewRow struct {
	ReportRow
	Measure            bool
	VsPrevious, VsYear string
	Goal               string
}

// WriteReportHTML writes the quarterly report as one printable page.
func WriteReportHTML(w io.Writer, r *analysis.QuarterReport) error {
	v := reportView{Quarter: r.Quarter.String(), PreviousQuarter: r.PreviousQuarter.String(), LastYearQuarter: r.LastYearQuarter.String(),
		DataFrom: r.DataFrom.String(), DataTo: r.DataTo.String()}
	rows := FromReport(r).Rows
	for i, row := range r.Rows {
		v.Rows = append(v.Rows, reportViewRow{ReportRow: rows[i], Measure: row.Measure, Goal: row.Goal,
			VsPrevious: ChangeWords(row.Count, row.Previous, row.ChangePPrevious, "the previous quarter"),
			VsYear:     ChangeWords(row.Count, row.LastYear, row.ChangePYear, "the same quarter last year")})
	}
	return reportPage.Execute(w, v)
}
