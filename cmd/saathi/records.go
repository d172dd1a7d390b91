package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
)

// exportRecords writes every record of kind (a survey's answers) to path,
// as xlsx or csv: one row a record, one column a field, in the order the
// flow saves them, headed in lang (recordHeader).
func (a *app) exportRecords(ctx context.Context, kind, format, lang, path string) (int, error) {
	keys, err := a.store.RecordKeys(ctx, kind)
	if err != nil {
		return 0, err
	}
	sort.Strings(keys)
	cols := a.flows.RecordFields(kind)
	var rows [][]string
	var recs []map[string]string
	for _, k := range keys {
		rec, err := a.store.Record(ctx, kind, k)
		if err != nil {
			return 0, err
		}
		if rec == nil {
			continue
		}
		for f := range rec { // fields an older flow saved
			if !slices.Contains(cols, f) {
				cols = append(cols, f)
			}
		}
		recs = append(recs, rec)
		rows = append(rows, []string{k})
	}
	for i, rec := range recs {
		for _, c := range cols {
			rows[i] = append(rows[i], rec[c])
		}
	}
	if at := slices.Index(cols, "_at") + 1; at > 0 { // when it was saved, as people read time here
		for _, r := range rows {
			if t, err := time.Parse(time.RFC3339, r[at]); err == nil {
				r[at] = t.In(locales.IST).Format("2006-01-02 15:04")
			}
		}
	}
	head := []string{a.recordHeader(lang, kind, "key", cols)}
	for _, c := range cols {
		head = append(head, a.recordHeader(lang, kind, c, cols))
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", kind, err)
	}
	if format == "csv" {
		err = writeRecordsCSV(f, head, rows)
	} else {
		err = writeRecordsXLSX(f, kind, head, rows)
	}
	if err != nil {
		f.Close()
		return 0, fmt.Errorf("export %s: %w", kind, err)
	}
	return len(rows), f.Close()
}

// recordHeader is the column header of a record's field in lang: the
// message "record.<kind>.<field>" when the survey's locale files have it,
// else the shared "record.<field>" (key, person, name, _at); a choice's
// label column ("kind_label") is headed like its field, and the field's own
// column, which holds the option's code, gets "(code)" after it. A field
// with no message keeps its name.
func (a *app) recordHeader(lang, kind, field string, cols []string) string {
	text := func(f string) (string, bool) {
		for _, id := range []string{"record." + kind + "." + f, "record." + f} {
			if a.cat.Has(lang, id) {
				return a.cat.Text(lang, id, nil), true
			}
		}
		return "", false
	}
	if base, ok := strings.CutSuffix(field, "_label"); ok {
		if h, ok := text(base); ok {
			return h
		}
	}
	h, ok := text(field)
	if !ok {
		return field
	}
	if slices.Contains(cols, field+"_label") {
		return h + " (" + a.cat.Text(lang, "record.code", nil) + ")"
	}
	return h
}

func writeRecordsCSV(w io.Writer, head []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(head)
	for _, r := range rows {
		for i, c := range r { // text that Excel would read as a formula stays text
			if strings.HasPrefix(c, "=") || strings.HasPrefix(c, "+") || strings.HasPrefix(c, "-") || strings.HasPrefix(c, "@") {
				r[i] = "'" + c
			}
		}
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

func writeRecordsXLSX(w io.Writer, kind string, head []string, rows [][]string) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := kind
	if len(sheet) > 31 {
		sheet = sheet[:31]
	}
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	cells := func(r []string, style int) []any {
		out := make([]any, len(r))
		for i, c := range r {
			out[i] = excelize.Cell{Value: c, StyleID: style}
		}
		return out
	}
	if err := sw.SetRow("A1", cells(head, bold)); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(r, 0)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}
