package training

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/sheet"
)

// CoverageRow is one place's line of coverage: how far the trainings
// planned reach the representatives on the roster there.
type CoverageRow struct {
	Place  string // the block, body …; "" in the total
	Parent string // the place above it (a block's district, a body's block)
	People int    // representatives on the roster (participants, not coordinators)
	// Planned is how many trainings invite someone of the place.
	Planned int
	// Invited, Confirmed and Attended count people of the place, each once
	// however many trainings: invited to one, said yes to one, checked in
	// on at least one day of one.
	Invited, Confirmed, Attended int
}

// Share is the percentage of the place's representatives trained
// (attended at least one day); 0 for a place with nobody on the roster.
func (r CoverageRow) Share() float64 {
	if r.People == 0 {
		return 0
	}
	return 100 * float64(r.Attended) / float64(r.People)
}

// CoverageOf counts what the trainings reach of the representatives census
// counts, place by place (roster.Roster.Representatives): keysOf gives
// the places (roster.PlaceCount.Key) an invitee counts at, none for one
// who is not a representative of the area. rows gives each training's
// invitees by its id. A person is counted once a place however many
// trainings invite them.
func CoverageOf(census []roster.PlaceCount, keysOf func(phone string) []string, ts []Training, rows map[string][]Row) (places []CoverageRow, total CoverageRow) {
	idx := map[string]int{}
	for _, c := range census {
		idx[c.Key()] = len(places)
		places = append(places, CoverageRow{Place: c.Place, Parent: c.Parent, People: c.People})
	}
	type reach struct{ invited, confirmed, attended bool }
	seen := map[[2]int]*reach{} // (phone's number, place) -> reach
	phoneNo := map[string]int{}
	for _, t := range ts {
		planned := map[int]bool{}
		for _, r := range rows[t.ID] {
			for _, k := range keysOf(r.Phone) {
				i, ok := idx[k]
				if !ok {
					continue
				}
				planned[i] = true
				n, ok := phoneNo[r.Phone]
				if !ok {
					n = len(phoneNo)
					phoneNo[r.Phone] = n
				}
				x := seen[[2]int{n, i}]
				if x == nil {
					x = &reach{}
					seen[[2]int{n, i}] = x
				}
				x.invited = true
				x.confirmed = x.confirmed || r.Status == StatusYes
				x.attended = x.attended || r.Attended()
			}
		}
		for i := range planned {
			places[i].Planned++
		}
		if len(planned) > 0 {
			total.Planned++
		}
	}
	for k, x := range seen {
		pl := &places[k[1]]
		if x.invited {
			pl.Invited++
		}
		if x.confirmed {
			pl.Confirmed++
		}
		if x.attended {
			pl.Attended++
		}
	}
	for _, pl := range places {
		total.People += pl.People
		total.Invited += pl.Invited
		total.Confirmed += pl.Confirmed
		total.Attended += pl.Attended
	}
	slices.SortFunc(places, func(a, b CoverageRow) int {
		if (a.Planned == 0) != (b.Planned == 0) {
			if a.Planned == 0 {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Place, b.Place), cmp.Compare(a.Parent, b.Parent))
	})
	return places, total
}

// CoverageHeaders are the coverage table's column headers in lang, for a
// table by level: the place, the place it is in (none for a division),
// then the figures.
func CoverageHeaders(lang, level string) []string {
	var head []string
	if lang == "hi" {
		place := map[string]string{roster.LevelBody: "ग्राम पंचायत / निकाय", roster.LevelBlock: "विकासखंड", roster.LevelDistrict: "जनपद", roster.LevelDivision: "मंडल"}[level]
		parent := map[string]string{roster.LevelBody: "विकासखंड", roster.LevelBlock: "जनपद", roster.LevelDistrict: "मंडल"}[level]
		head = []string{place, parent, "कुल प्रतिनिधि", "तय प्रशिक्षण", "बुलाए गए", "आने की हाँ", "कम से कम एक दिन आए", "प्रशिक्षित (%)"}
	} else {
		place := map[string]string{roster.LevelBody: "Gram panchayat / body", roster.LevelBlock: "Block", roster.LevelDistrict: "District", roster.LevelDivision: "Division"}[level]
		parent := map[string]string{roster.LevelBody: "Block", roster.LevelBlock: "District", roster.LevelDistrict: "Division"}[level]
		head = []string{place, parent, "Representatives on the roster", "Trainings planned", "Invited", "Confirmed", "Attended at least one day", "Trained (%)"}
	}
	if !CoverageHasParent(level) {
		head = slices.Delete(head, 1, 2)
	}
	return head
}

// CoverageHasParent tells whether a table by level has the column of the
// place each place is in: a division is in nothing narrower than the state.
func CoverageHasParent(level string) bool { return level != roster.LevelDivision }

// WriteCoverageXLSX writes the coverage table as a workbook: the places in
// order (those with no training planned first), then the total, numbers as
// numbers; name is the sheet's name.
func WriteCoverageXLSX(w io.Writer, lang, level, name string, places []CoverageRow, total CoverageRow) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	head := CoverageHeaders(lang, level)
	rows := make([][]any, 0, len(places)+2)
	hrow := make([]any, len(head))
	for i, h := range head {
		hrow[i] = h
	}
	rows = append(rows, hrow)
	line := func(r CoverageRow) []any {
		cells := []any{sheet.Defuse(r.Place), sheet.Defuse(r.Parent), r.People, r.Planned, r.Invited, r.Confirmed, r.Attended, roundShare(r.Share())}
		if !CoverageHasParent(level) {
			cells = slices.Delete(cells, 1, 2)
		}
		return cells
	}
	for _, r := range places {
		rows = append(rows, line(r))
	}
	t := line(total)
	t[0] = map[bool]string{true: "कुल", false: "Total"}[lang == "hi"]
	rows = append(rows, t)
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(name, cell, &r); err != nil {
			return fmt.Errorf("write coverage: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), len(rows))
	lastHead, _ := excelize.CoordinatesToCellName(len(head), 1)
	firstTotal, _ := excelize.CoordinatesToCellName(1, len(rows))
	if err := f.SetCellStyle(name, "A1", lastHead, bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, firstTotal, last, bold); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "A", "B", 24); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "C", "H", 14); err != nil {
		return err
	}
	return f.Write(w)
}

// roundShare rounds a percentage to one decimal.
func roundShare(x float64) float64 { return float64(int(x*10+0.5)) / 10 }
