package roster

import (
	"io"
	"iter"
)

// TableRow is one non-blank row of a spreadsheet file read by Limits.Table:
// its line as the coordinator sees it (Excel's row number, the CSV file's
// line), its cells cleaned as typed text is, or, for a row the CSV reader
// could not read, Bad.
type TableRow struct {
	Line  int
	Cells []string
	Bad   *RowError
}

// Table reads any spreadsheet the roster import reads — an Excel workbook's
// first sheet or a CSV file (UTF-8 or UTF-16, comma, semicolon or tab),
// within l's limits and with the same defences against hostile files — and
// hands each non-blank row to each, in order, until each returns an error
// (which Table returns). Other imports (a training calendar) share the
// reading this way and keep their own columns.
func (l Limits) Table(r io.Reader, name string, each func(TableRow) error) error {
	l = l.orDefaults()
	return l.rowsOf(r, name, func(rows iter.Seq2[row, error]) error {
		return l.eachRow(rows, each)
	})
}

// eachRow hands each non-blank row of rows to each, cleaned, within
// l.MaxRows.
func (l Limits) eachRow(rows iter.Seq2[row, error], each func(TableRow) error) error {
	n := 0
	for r, err := range rows {
		if err != nil {
			return err
		}
		if r.bad == nil && blank(r.cells) {
			continue
		}
		if n++; n > l.MaxRows {
			return &LimitError{Kind: LimitRows, Limit: int64(l.MaxRows)}
		}
		cells := make([]string, len(r.cells))
		for i, c := range r.cells {
			cells[i] = clean(c)
		}
		if err := each(TableRow{Line: r.line, Cells: cells, Bad: r.bad}); err != nil {
			return err
		}
	}
	if n == 0 {
		return ErrEmptyFile
	}
	return nil
}

// HeaderKey is a column name as the roster's headers are matched: without
// case, spaces, punctuation or nukta, so " Mobile No. " is "mobileno" and
// "ज़िला" is "जिला".
func HeaderKey(s string) string { return headerKey(clean(s)) }

// SameName reports whether two place names are the same as filters and
// scopes compare them (case, spaces, nukta and chandrabindu aside).
func SameName(a, b string) bool { return fold(a) == fold(b) }

// RowProblem makes a RowError for line from a problem in English and in
// Hindi, for readers of other tables than the roster.
func RowProblem(line int, en, hi string) RowError {
	return RowError{Line: line, Reason: en, hindi: hi}
}

// Field is the place's name at a level (division, district, block or
// body), "" for another level.
func (p Place) Field(level string) string {
	switch level {
	case LevelDivision:
		return p.Division
	case LevelDistrict:
		return p.District
	case LevelBlock:
		return p.Block
	case LevelBody:
		return p.Body
	}
	return ""
}

// LatinDigits writes Devanagari digits (०-९) as 0-9.
func LatinDigits(s string) string { return asciiDigits(s) }
