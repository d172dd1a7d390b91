package training

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

// exportText is the wording of an export in one language.
type exportText struct {
	sheet, summary                       string
	name, phone, role, body, ward, rsvp  string
	division, district, block            string
	invited, total, bodies               string
	reason, day, rating, module, missing string
	followUp, optedOut                   string
	dates, venue, batch                  string
	status                               map[string]string
	yes, no                              string
	roles                                map[string]string
}

var exportTexts = map[string]exportText{
	"hi": {
		sheet: "प्रशिक्षण", summary: "सारांश",
		name: "नाम", phone: "मोबाइल", role: "पद", body: "निकाय", ward: "वार्ड", rsvp: "जवाब",
		division: "मंडल", district: "जनपद", block: "विकासखंड",
		invited: "बुलाए गए", total: "कुल", bodies: "निकाय: %d को बुलाया, %d से कोई आएगा, %d से कोई आया",
		reason: "न आने का कारण", day: "दिन %d हाज़िरी", rating: "रेटिंग", module: "सबसे उपयोगी विषय",
		missing: "क्या कमी रही", followUp: "आगे संपर्क", optedOut: "संदेश बंद",
		dates: "तारीख़", venue: "जगह", batch: "चरण",
		status: map[string]string{
			StatusYes: "आएँगे", StatusNo: "नहीं आएँगे", StatusMaybe: "पता नहीं",
			StatusInvited: "जवाब नहीं", StatusWaitlist: "प्रतीक्षा सूची",
		},
		yes: "हाँ", no: "नहीं",
		roles: map[string]string{
			"sabhasad": "सभासद", "parshad": "पार्षद", "pradhan": "प्रधान", "ward_member": "वार्ड सदस्य",
			"shg_member": "समूह सदस्य", "coordinator": "समन्वयक", "admin": "प्रशासक", "other": "अन्य",
		},
	},
	"en": {
		sheet: "Training", summary: "Summary",
		name: "Name", phone: "Phone", role: "Designation", body: "Body", ward: "Ward", rsvp: "RSVP",
		division: "Division", district: "District", block: "Block",
		invited: "Invited", total: "Total", bodies: "Bodies: %d invited, %d with someone coming, %d with someone who attended",
		reason: "Reason", day: "Day %d attendance", rating: "Rating", module: "Most useful module",
		missing: "What was missing", followUp: "Follow-up", optedOut: "Messages stopped",
		dates: "Dates", venue: "Venue", batch: "Batch",
		status: map[string]string{
			StatusYes: "yes", StatusNo: "no", StatusMaybe: "maybe",
			StatusInvited: "no answer", StatusWaitlist: "waitlist",
		},
		yes: "yes", no: "no",
		roles: map[string]string{
			"sabhasad": "ward member (sabhasad)", "parshad": "councillor (parshad)", "pradhan": "pradhan",
			"ward_member": "ward member", "shg_member": "SHG member", "coordinator": "coordinator",
			"admin": "administrator", "other": "other",
		},
	},
}

// Export columns, in order; the day columns come between reason and rating.
const (
	colName = iota
	colPhone
	colRole
	colDivision
	colDistrict
	colBlock
	colBody
	colWard
	colRSVP
	colReason
	colDays // first day column
)

// table is the export as text: a header and one line per row.
func table(lang string, t Training, rows []Row, people map[string]roster.Person, ds *roster.Designations) ([]string, [][]string, error) {
	tx, ok := exportTexts[lang]
	if !ok {
		return nil, nil, fmt.Errorf("export language %q is not hi or en", lang)
	}
	days := len(t.Days)
	head := []string{tx.name, tx.phone, tx.role, tx.division, tx.district, tx.block, tx.body, tx.ward, tx.rsvp, tx.reason}
	for d := range days {
		head = append(head, fmt.Sprintf(tx.day, d+1))
	}
	head = append(head, tx.rating, tx.module, tx.missing, tx.followUp, tx.optedOut)
	lines := make([][]string, 0, len(rows))
	for _, r := range rows {
		p := people[r.Phone]
		role := p.Role
		if x, ok := tx.roles[role]; ok {
			role = x
		}
		if p.Designation != "" {
			role = ds.Label(lang, p.Designation)
		}
		status, ok := tx.status[r.Status]
		if !ok {
			status = r.Status
		}
		line := []string{p.Name, r.Phone, role, p.Division, p.District, p.Block, bodies(p), p.Ward, status, r.Reason}
		for d := range days {
			cell := ""
			if d < len(r.CheckIns) && !r.CheckIns[d].At.IsZero() {
				cell = r.CheckIns[d].At.In(locales.IST).Format("15:04")
			}
			line = append(line, cell)
		}
		var rating, module, missing, follow string
		if f := r.Feedback; f != nil {
			rating = strconv.Itoa(f.Rating)
			module, missing = f.Module, f.Missing
			switch f.FollowUp {
			case "yes":
				follow = tx.yes
			case "no":
				follow = tx.no
			}
		}
		stopped := ""
		if r.OptedOut {
			stopped = tx.yes
		}
		lines = append(lines, append(line, rating, module, missing, follow, stopped))
	}
	return head, lines, nil
}

// bodies are the bodies p holds, the first first, ", " between them.
func bodies(p roster.Person) string {
	return strings.Join(append([]string{p.Body}, alsoBodies(p)...), ", ")
}

// Export writes one line per invitee — name, phone, designation,
// division, district, block, body (every body the person holds), ward,
// the answer, the reason of a "no", the check-in time (IST) of each day,
// the feedback, and whether they stopped bulk messages — as "xlsx" or
// "csv", with headers and answers in "hi" or "en". people (by phone) gives names and places; an invitee missing
// from it gets empty ones. The XLSX has a bold, frozen header row and its
// cells are text, never formulas, and a second sheet, the summary by
// place (see ExportOptions); the CSV starts with a UTF-8 byte order mark
// so Excel reads Devanagari, and a cell that Excel would take for a
// formula (=, +, -, @) gets a leading apostrophe.
func Export(w io.Writer, format, lang string, t Training, rows []Row, people map[string]roster.Person) error {
	return ExportOptions{}.Export(w, format, lang, t, rows, people)
}

// ExportOptions shape an export.
type ExportOptions struct {
	// Designations label the designations (nil: the built-in ones).
	Designations *roster.Designations
	// By is the level the summary sheet counts by (division, district,
	// block, body); "" is division.
	By string
}

// Export writes the export as the package's Export, with o.
func (o ExportOptions) Export(w io.Writer, format, lang string, t Training, rows []Row, people map[string]roster.Person) error {
	head, lines, err := table(lang, t, rows, people, o.Designations)
	if err != nil {
		return err
	}
	switch format {
	case "xlsx":
		by := o.By
		if by == "" {
			by = roster.LevelDivision
		}
		sum := summary(exportTexts[lang], by, t, rows, people)
		about := about(exportTexts[lang], lang, t)
		if err := writeXLSX(w, exportTexts[lang].sheet, len(t.Days), head, lines, exportTexts[lang].summary, about, sum); err != nil {
			return fmt.Errorf("export training %s as xlsx: %w", t.ID, err)
		}
	case "csv":
		if err := writeCSV(w, head, lines); err != nil {
			return fmt.Errorf("export training %s as csv: %w", t.ID, err)
		}
	default:
		return fmt.Errorf("export format %q is not xlsx or csv", format)
	}
	return nil
}

// columnWidths are the widths of the fixed columns, then of a day column,
// then of the feedback columns.
var (
	fixedWidths    = []float64{24, 16, 20, 14, 14, 14, 26, 8, 14, 30}
	dayWidth       = 14.0
	feedbackWidths = []float64{9, 24, 40, 12, 12} // and the opt-out column
)

// summary is the summary sheet: a line per place at level by with the
// counts, the total, and how many bodies the training reaches.
func summary(tx exportText, by string, t Training, rows []Row, people map[string]roster.Person) [][]any {
	levelName := map[string]string{roster.LevelDivision: tx.division, roster.LevelDistrict: tx.district, roster.LevelBlock: tx.block, roster.LevelBody: tx.body}[by]
	head := []any{levelName, tx.invited, tx.status[StatusYes], tx.status[StatusNo], tx.status[StatusMaybe], tx.status[StatusInvited], tx.status[StatusWaitlist]}
	for d := range t.Days {
		head = append(head, fmt.Sprintf(tx.day, d+1))
	}
	out := [][]any{head}
	line := func(name string, pc PlaceCount) []any {
		l := []any{name, pc.Invited, pc.Yes, pc.No, pc.Maybe, pc.NoAnswer, pc.Waitlist}
		for _, a := range pc.Attended {
			l = append(l, a)
		}
		return l
	}
	total := PlaceCount{Attended: make([]int, len(t.Days))}
	for _, pc := range ByPlace(t, rows, people, by) {
		name := pc.Place
		if name == "" {
			name = "—"
		}
		out = append(out, line(name, pc))
		total.Invited, total.Yes, total.No, total.Maybe = total.Invited+pc.Invited, total.Yes+pc.Yes, total.No+pc.No, total.Maybe+pc.Maybe
		total.NoAnswer, total.Waitlist = total.NoAnswer+pc.NoAnswer, total.Waitlist+pc.Waitlist
		for d, a := range pc.Attended {
			total.Attended[d] += a
		}
	}
	out = append(out, line(tx.total, total), nil)
	invited, coming, attended := Bodies(rows, people)
	return append(out, []any{fmt.Sprintf(tx.bodies, invited, coming, attended)})
}

// about is the block that heads the summary sheet: the training's title,
// its dates with the year, its venue and its batch.
func about(tx exportText, lang string, t Training) [][]any {
	out := [][]any{{t.Title}}
	if len(t.Days) > 0 {
		first, last := t.Days[0].Start, t.Days[len(t.Days)-1].Start
		dates := locales.Date(lang, first, time.Time{}) // a zero now: the year always
		if len(t.Days) > 1 {
			dates += " – " + locales.Date(lang, last, time.Time{})
		}
		out = append(out, []any{tx.dates, dates})
	}
	if t.Venue != "" {
		out = append(out, []any{tx.venue, t.Venue})
	}
	if t.Batch != "" {
		out = append(out, []any{tx.batch, t.Batch})
	}
	return out
}

func writeXLSX(w io.Writer, sheet string, days int, head []string, lines [][]string, summarySheet string, about, sum [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	row := func(n int, cells []string, ratingCol int) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
			if i == ratingCol && c != "" {
				if v, err := strconv.Atoi(c); err == nil {
					vals[i] = v // a number, so it sorts and averages
				}
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sheet, cell, &vals)
	}
	if err := row(1, head, -1); err != nil {
		return err
	}
	for i, l := range lines {
		if err := row(i+2, l, colDays+days); err != nil {
			return err
		}
	}
	last, err := excelize.ColumnNumberToName(len(head))
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
		return err
	}
	widths := append(append([]float64{}, fixedWidths...), make([]float64, days)...)
	for d := range days {
		widths[colDays+d] = dayWidth
	}
	widths = append(widths, feedbackWidths...)
	for i, wd := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if len(lines) > 0 {
		if err := f.AutoFilter(sheet, fmt.Sprintf("A1:%s%d", last, len(lines)+1), nil); err != nil {
			return err
		}
	}
	if err := writeSummary(f, summarySheet, about, sum, bold); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// writeSummary adds the summary sheet: the about block, a blank row, then
// the counts as numbers, their header and total bold.
func writeSummary(f *excelize.File, sheet string, about, sum [][]any, bold int) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if len(about) > 0 {
		sum = append(append(about, nil), sum...)
	}
	top := len(about) + min(len(about), 1) + 1 // the counts' header row
	for i, l := range sum {
		if l == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &l); err != nil {
			return err
		}
	}
	last, err := excelize.ColumnNumberToName(len(sum[top-1]))
	if err != nil {
		return err
	}
	if len(about) > 0 {
		if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
			return err // the title
		}
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", top), fmt.Sprintf("%s%d", last, top), bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", len(sum)-2), fmt.Sprintf("%s%d", last, len(sum)-2), bold); err != nil {
		return err // the total
	}
	if err := f.SetColWidth(sheet, "A", "A", 28); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", last, 12)
}

func writeCSV(w io.Writer, head []string, lines [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, l := range lines {
		out := make([]string, len(l))
		for i, c := range l {
			out[i] = c
			if i != colPhone { // phones are E.164, checked when invited
				out[i] = defuse(c)
			}
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse puts an apostrophe before text that a spreadsheet would run as a
// formula (CSV injection).
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
