package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// exportRecords writes every record of kind (a survey's answers) to path,
// as xlsx or csv: one row a record, one column a field, in the order the
// flow saves them.
func (a *app) exportRecords(ctx context.Context, kind, format, path string) (int, error) {
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
			if !contains(cols, f) {
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
	head := append([]string{"key"}, cols...)
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
