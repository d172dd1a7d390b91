package training

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/sheet"
)

// exportText is the wording of an export in one language.
type exportText struct {
	sheet, summary                       string
	name, phone, role, body, ward, rsvp  string
	division, district, block            string
	invited, total, bodies               string
	reason, day, rating, module, missing string
	followUp, optedOut                   string
	feedbackCount, ratingAvg             string // the summary's feedback columns
	experience, experienceFile           string
	byCoordinator                        string // a coordinator's entry: who, when
	dates, venue, batch                  string
	reach, notYet                        string // the reach column, and its cell for one on no channel
	onTelegram, onWhatsApp, onNone       string // the summary's reach columns
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
		reason: "न आने का कारण", day: "दिन %d हाज़िरी (%s)", rating: "रेटिंग", module: "सबसे उपयोगी विषय",
		missing: "क्या कमी रही", followUp: "आगे संपर्क", optedOut: "संदेश बंद",
		feedbackCount: "राय दी", ratingAvg: "औसत रेटिंग",
		byCoordinator: "समन्वयक ने लगाई: %s, %s",
		experience:    "अनुभव", experienceFile: "अनुभव (आवाज़ या फ़ाइल)",
		dates: "तारीख़", venue: "जगह", batch: "चरण",
		reach: "पहुँच", notYet: "अभी नहीं",
		onTelegram: "Telegram पर", onWhatsApp: "WhatsApp पर", onNone: "अभी किसी पर नहीं",
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
		reason: "Reason", day: "Day %d attendance (%s)", rating: "Rating", module: "Most useful module",
		missing: "What was missing", followUp: "Follow-up", optedOut: "Messages stopped",
		feedbackCount: "Feedback given", ratingAvg: "Average rating",
		byCoordinator: "entered by coordinator: %s, %s",
		experience:    "Experience shared", experienceFile: "Experience (voice or file)",
		dates: "Dates", venue: "Venue", batch: "Batch",
		reach: "Reach", notYet: "not yet",
		onTelegram: "On Telegram", onWhatsApp: "On WhatsApp", onNone: "Not reachable yet",
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

// Export columns, in order; the day columns come between reason and
// rating. With channels, the reach column comes after the RSVP, and the
// columns after it one further on.
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

// table is the export as text: a header, and a function that makes the
// line of row i (lines are made as they are written, never all at once).
// channels, when not nil, gives an invitee's channels for the reach
// column.
func table(lang string, t Training, rows []Row, person func(phone string) roster.Person, channels func(phone string) []string, ds *roster.Designations, now time.Time) ([]string, func(i int) []string, error) {
	tx, ok := exportTexts[lang]
	if !ok {
		return nil, nil, fmt.Errorf("export language %q is not hi or en", lang)
	}
	days := len(t.Days)
	head := []string{tx.name, tx.phone, tx.role, tx.division, tx.district, tx.block, tx.body, tx.ward, tx.rsvp}
	if channels != nil {
		head = append(head, tx.reach)
	}
	head = append(head, tx.reason)
	for d := range days {
		head = append(head, dayHead(tx, lang, t, d, now))
	}
	head = append(head, tx.rating, tx.module, tx.missing, tx.followUp, tx.optedOut, tx.experience, tx.experienceFile)
	line := func(i int) []string {
		r := rows[i]
		p := person(r.Phone)
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
		line := make([]string, 0, len(head))
		line = append(line, p.Name, r.Phone, role, p.Division, p.District, p.Block, bodies(p), p.Ward, status)
		if channels != nil {
			line = append(line, reachCell(tx, channels(r.Phone)))
		}
		line = append(line, r.Reason)
		for d := range days {
			cell := ""
			if d < len(r.CheckIns) && !r.CheckIns[d].At.IsZero() {
				c := r.CheckIns[d]
				cell = c.At.In(locales.IST).Format("15:04")
				if c.Method == MethodCoordinator {
					who := c.ByName
					if who == "" {
						who = c.By
					}
					cell = fmt.Sprintf(tx.byCoordinator, who, c.At.In(locales.IST).Format("2006-01-02 15:04"))
				}
			}
			line = append(line, cell)
		}
		var rating, module, missing, follow, experience, experienceFile string
		if f := r.Feedback; f != nil {
			rating = strconv.Itoa(f.Rating)
			module, missing = f.Module, f.Missing
			experience, experienceFile = f.Experience, f.ExperienceFile
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
		return append(line, rating, module, missing, follow, stopped, experience, experienceFile)
	}
	return head, line, nil
}

// reachCell says which channels an invitee can be written to on:
// "Telegram", "WhatsApp", "Telegram, WhatsApp", or not yet.
func reachCell(tx exportText, channels []string) string {
	if len(channels) == 0 {
		return tx.notYet
	}
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = map[string]string{"telegram": "Telegram", "whatsapp": "WhatsApp"}[ch]
		if names[i] == "" {
			names[i] = ch
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
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
	// Channels, when set, looks up the channels of a page of invitees
	// (identity.Identity.Channels): the export then says, by a reach
	// column after the RSVP and by place in the summary, who can be
	// written to on Telegram, on WhatsApp, and who not yet.
	Channels func(ctx context.Context, phones []string) (map[string][]string, error)
	// Now is when the export is made: a day's header has its date, with
	// the year when it is not Now's ("दिन 1 हाज़िरी (सोमवार, 5 अप्रैल 2027)").
	// Zero is the time of the call.
	Now time.Time
}

// dayHead is the header of day d's column (from 0) in tx's language.
func dayHead(tx exportText, lang string, t Training, d int, now time.Time) string {
	return fmt.Sprintf(tx.day, d+1, locales.Date(lang, t.Days[d].Start, now))
}

// Export writes the export as the package's Export, with o.
func (o ExportOptions) Export(w io.Writer, format, lang string, t Training, rows []Row, people map[string]roster.Person) error {
	return o.ExportPaged(context.Background(), w, format, lang, t, rows, func(context.Context, []string) (map[string]roster.Person, error) {
		return people, nil
	})
}

// exportPage is how many invitees ExportPaged looks up at once.
const exportPage = 1000

// ExportPaged writes the export as Export does, looking the invitees up
// a page at a time with people (roster.Roster.People) and, when set,
// o.Channels: it holds one page of people and their channels and, for the
// summary, their places — so that an export of 100,000 invitees stays
// within tens of MB.
func (o ExportOptions) ExportPaged(ctx context.Context, w io.Writer, format, lang string, t Training, rows []Row, people func(ctx context.Context, phones []string) (map[string]roster.Person, error)) error {
	by := o.By
	if by == "" {
		by = roster.LevelDivision
	}
	tl := newTally(t, by) // the summary, added up as the lines are made
	tl.reach = o.Channels != nil
	page := map[string]roster.Person{}
	var chans map[string][]string // the page's channels
	var channels func(string) []string
	if tl.reach {
		channels = func(phone string) []string { return chans[phone] }
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	head, mk, err := table(lang, t, rows, func(phone string) roster.Person { return page[phone] }, channels, o.Designations, now)
	if err != nil {
		return err
	}
	line := func(i int) ([]string, error) {
		if i%exportPage == 0 {
			phones := make([]string, 0, exportPage)
			for _, r := range rows[i:min(i+exportPage, len(rows))] {
				phones = append(phones, r.Phone)
			}
			got, err := people(ctx, phones)
			if err != nil {
				return nil, fmt.Errorf("export training %s: %w", t.ID, err)
			}
			page = got
			if tl.reach {
				if chans, err = o.Channels(ctx, phones); err != nil {
					return nil, fmt.Errorf("export training %s: %w", t.ID, err)
				}
			}
		}
		p, ok := page[rows[i].Phone]
		tl.add(rows[i], p, ok, chans[rows[i].Phone])
		return mk(i), nil
	}
	switch format {
	case "xlsx":
		sum := func() [][]any { return summary(exportTexts[lang], lang, by, t, tl, now) }
		if err := writeXLSX(w, exportTexts[lang].sheet, len(t.Days), tl.reach, head, len(rows), line, exportTexts[lang].summary, about(exportTexts[lang], lang, t), sum); err != nil {
			return fmt.Errorf("export training %s as xlsx: %w", t.ID, err)
		}
	case "csv":
		if err := writeCSV(w, head, len(rows), line); err != nil {
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
	reachWidth     = 20.0                         // "Telegram, WhatsApp"
	dayWidth       = 30.0                         // "दिन 1 हाज़िरी (शनिवार, 6 दिसंबर 2027)"
	feedbackWidths = []float64{9, 24, 40, 12, 12} // and the opt-out column
)

// summary is the summary sheet: a line per place at level by with the
// counts (answers, attendance per day, how many gave feedback and their
// average rating), the total, and how many bodies the training reaches.
func summary(tx exportText, lang, by string, t Training, tl *tally, now time.Time) [][]any {
	levelName := map[string]string{roster.LevelDivision: tx.division, roster.LevelDistrict: tx.district, roster.LevelBlock: tx.block, roster.LevelBody: tx.body}[by]
	head := []any{levelName, tx.invited, tx.status[StatusYes], tx.status[StatusNo], tx.status[StatusMaybe], tx.status[StatusInvited], tx.status[StatusWaitlist]}
	for d := range t.Days {
		head = append(head, dayHead(tx, lang, t, d, now))
	}
	if tl.reach {
		head = append(head, tx.onTelegram, tx.onWhatsApp, tx.onNone)
	}
	head = append(head, tx.feedbackCount, tx.ratingAvg)
	out := [][]any{head}
	line := func(name string, pc PlaceCount) []any {
		l := []any{name, pc.Invited, pc.Yes, pc.No, pc.Maybe, pc.NoAnswer, pc.Waitlist}
		for _, a := range pc.Attended {
			l = append(l, a)
		}
		if tl.reach {
			l = append(l, pc.Reach.Telegram, pc.Reach.WhatsApp, pc.Reach.None)
		}
		var avg any // empty without feedback
		if pc.Feedback > 0 {
			avg = math.Round(pc.RatingAvg()*10) / 10
		}
		return append(l, pc.Feedback, avg)
	}
	total := PlaceCount{Attended: make([]int, len(t.Days))}
	for _, pc := range tl.places() {
		name := pc.Place
		if name == "" {
			name = "—"
		}
		out = append(out, line(name, pc))
		total.Invited, total.Yes, total.No, total.Maybe = total.Invited+pc.Invited, total.Yes+pc.Yes, total.No+pc.No, total.Maybe+pc.Maybe
		total.NoAnswer, total.Waitlist = total.NoAnswer+pc.NoAnswer, total.Waitlist+pc.Waitlist
		total.Reach = total.Reach.Plus(pc.Reach)
		for d, a := range pc.Attended {
			total.Attended[d] += a
		}
		total.Feedback += pc.Feedback
		for i, n := range pc.Ratings {
			total.Ratings[i] += n
		}
	}
	out = append(out, line(tx.total, total), nil)
	invited, coming, attended := tl.bodyCounts()
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

// writeXLSX writes the sheet of n lines (line makes each) as they are
// made (sheet.Book streams them): 100,000 invitees take tens of MB, not a
// GB. With reach, a reach column follows the answer. The summary sheet,
// written last, opens with the about block.
func writeXLSX(w io.Writer, name string, days int, reach bool, head []string, n int, line func(int) ([]string, error), summarySheet string, about [][]any, sum func() [][]any) error {
	b, err := sheet.New()
	if err != nil {
		return err
	}
	defer b.Close()
	first := colDays // the first day column
	widths := slices.Clone(fixedWidths)
	if reach {
		first++
		widths = slices.Insert(widths, colRSVP+1, reachWidth)
	}
	for range days {
		widths = append(widths, dayWidth)
	}
	widths = append(widths, feedbackWidths...)
	if err := b.Sheet(name, head, widths, "invitees"); err != nil {
		return err
	}
	ratingCol := first + days
	for i := range n {
		cells, err := line(i)
		if err != nil {
			return err
		}
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
			if j == ratingCol && c != "" {
				if v, err := strconv.Atoi(c); err == nil {
					vals[j] = v // a number, so it sorts and averages
				}
			}
		}
		if err := b.Row(vals); err != nil {
			return err
		}
	}
	f, err := b.File()
	if err != nil {
		return err
	}
	if err := writeSummary(f, summarySheet, about, sum(), b.HeadStyle()); err != nil {
		return err
	}
	_, err = b.WriteTo(w)
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

func writeCSV(w io.Writer, head []string, n int, line func(int) ([]string, error)) error {
	cw, err := sheet.NewCSV(w, colPhone) // phones are E.164, checked when invited
	if err != nil {
		return err
	}
	if err := cw.Row(head); err != nil {
		return err
	}
	for i := range n {
		l, err := line(i)
		if err != nil {
			return err
		}
		if err := cw.Row(l); err != nil {
			return err
		}
	}
	return cw.Flush()
}
