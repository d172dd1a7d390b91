// Package sheet writes the exports (trainings, SHG reports, survey
// records) row by row as they are read, so that an export's memory does
// not grow with its rows: Book writes an Excel workbook with excelize's
// StreamWriter, which keeps written rows on disk rather than in memory,
// and CSV writes comma-separated text that Excel opens.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Book is an Excel workbook written sheet by sheet, each row by row.
// Sheets are written one after the other: starting one ends the last.
type Book struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	head  int // the header style
	rows  int // rows of the sheet being written, the header's included
	cols  int // its header's width
	table string
	count int // sheets started
}

// New starts a workbook. Close it when done (WriteTo does not).
func New() (*Book, error) {
	f := excelize.NewFile()
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("new workbook: %w", err)
	}
	return &Book{f: f, head: head}, nil
}

// HeadStyle is the style of header rows: bold, on light blue, wrapped.
func (b *Book) HeadStyle() int { return b.head }

// Style adds a cell style to the workbook and returns its id, for
// excelize.Cell.StyleID.
func (b *Book) Style(st *excelize.Style) (int, error) { return b.f.NewStyle(st) }

// Sheet ends the sheet being written, if any, and starts the sheet name
// (the workbook's first sheet takes its place): columns of widths (none
// given: Excel's), then head as a bold header row, frozen so that it
// stays in view. With table, the header gets filter buttons when the
// sheet ends with rows under it (a table of that name, without stripes:
// names are unique in a workbook, letters and digits).
func (b *Book) Sheet(name string, head []string, widths []float64, table string) error {
	if err := b.end(); err != nil {
		return err
	}
	if b.count == 0 {
		if err := b.f.SetSheetName(b.f.GetSheetName(0), name); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	b.count++
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	for i, w := range widths { // widths and panes go before the rows
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	vals := make([]any, len(head))
	for i, h := range head {
		vals[i] = excelize.Cell{StyleID: b.head, Value: h}
	}
	if err := sw.SetRow("A1", vals); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	b.sw, b.rows, b.cols, b.table = sw, 1, len(head), table
	return nil
}

// Row writes the next row of the sheet: each value a cell (text, a
// number, nil for an empty cell, or an excelize.Cell with a style).
func (b *Book) Row(vals []any) error {
	if b.sw == nil {
		return fmt.Errorf("a row with no sheet started")
	}
	cell, err := excelize.CoordinatesToCellName(1, b.rows+1)
	if err != nil {
		return err
	}
	if err := b.sw.SetRow(cell, vals); err != nil {
		return err
	}
	b.rows++
	return nil
}

// end ends the sheet being written: its filter buttons, and its rows
// flushed to the workbook.
func (b *Book) end() error {
	if b.sw == nil {
		return nil
	}
	sw := b.sw
	b.sw = nil
	if b.table != "" && b.rows > 1 && b.cols > 0 {
		last, err := excelize.ColumnNumberToName(b.cols)
		if err != nil {
			return err
		}
		plain := false
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:%s%d", last, b.rows), Name: b.table, ShowRowStripes: &plain}); err != nil {
			return fmt.Errorf("filter buttons: %w", err)
		}
	}
	return sw.Flush()
}

// File ends the sheet being written and gives the workbook, for a small
// sheet written whole afterwards (a summary).
func (b *Book) File() (*excelize.File, error) {
	if err := b.end(); err != nil {
		return nil, err
	}
	return b.f, nil
}

// WriteTo ends the sheet being written and writes the workbook to w.
func (b *Book) WriteTo(w io.Writer) (int64, error) {
	if err := b.end(); err != nil {
		return 0, err
	}
	return b.f.WriteTo(w)
}

// Close lets go of the workbook's temporary files.
func (b *Book) Close() error { return b.f.Close() }

// CSV writes rows of text as CSV that Excel reads: a UTF-8 byte order
// mark first (so Devanagari shows), and a cell that Excel would take for
// a formula (=, +, -, @, a tab or a return first) given a leading
// apostrophe (CSV injection), except in the columns the writer was told
// are plain.
type CSV struct {
	cw    *csv.Writer
	plain map[int]bool
}

// NewCSV starts a CSV on w; plain are the columns (from 0) written as
// they are (phones in E.164, checked when stored).
func NewCSV(w io.Writer, plain ...int) (*CSV, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	c := &CSV{cw: csv.NewWriter(w), plain: map[int]bool{}}
	for _, p := range plain {
		c.plain[p] = true
	}
	return c, nil
}

// Row writes a row; it changes cells (defused) in place.
func (c *CSV) Row(cells []string) error {
	for j, s := range cells {
		if !c.plain[j] {
			cells[j] = Defuse(s)
		}
	}
	return c.cw.Write(cells)
}

// Flush writes what is buffered and reports any error of the writing.
func (c *CSV) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// Defuse puts an apostrophe before text that a spreadsheet would run as
// a formula.
func Defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
