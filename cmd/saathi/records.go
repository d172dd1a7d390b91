package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
)

// exportRecords writes every record of kind (a survey's answers) to path,
// as xlsx or csv: one row a record, one column a field, in the order the
// flow saves them, headed in lang (recordHeader).
func (a *app) exportRecords(ctx context.Context, kind, format, lang, path string) (int, error) {
	keys, err := a.store.RecordKeys(ctx, kind)
	if err != nil {
		return 0, err
	}
	sort.Slice(keys, func(i, j int) bool { return store.KeyLess(keys[i], keys[j]) }) // numbered records by number
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
	for _, col := range []string{"_at", "status_at"} { // when it was saved or changed, as people read time here
		if at := slices.Index(cols, col) + 1; at > 0 {
			for _, r := range rows {
				if t, err := time.Parse(time.RFC3339, r[at]); err == nil {
					r[at] = t.In(locales.IST).Format("2006-01-02 15:04")
				}
			}
		}
	}
	if st := slices.Index(cols, "status") + 1; st > 0 { // a follow-up's status in words
		for _, r := range rows {
			if id := "record.status_" + r[st]; r[st] != "" && a.cat.Has(lang, id) {
				r[st] = a.cat.Text(lang, id, nil)
			}
		}
	}
	links, err := a.exportKeptFiles(ctx, path, lang, rows)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", kind, err)
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
		err = writeRecordsXLSX(f, kind, head, rows, links)
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

// exportKeptFiles writes the kept files the rows name (cells holding a
// kept file's id, sha256:…) into a folder beside the export (keptFile),
// one file a cell named by its row's key, and puts the file's path
// relative to the export in the cell. It returns the cells it changed, as
// [row, column], for links. A file no longer kept is named as such in its
// cell.
func (a *app) exportKeptFiles(ctx context.Context, path, lang string, rows [][]string) (map[[2]int]bool, error) {
	links := map[[2]int]bool{}
	for i, r := range rows {
		for j, c := range r {
			if !store.IsFileRef(c) {
				continue
			}
			rel, kept, err := a.keptFile(ctx, path, lang, r[0], c, "")
			if err != nil {
				return nil, err
			}
			r[j], links[[2]int{i, j}] = rel, kept
		}
	}
	return links, nil
}

// keptFile writes the kept file ref into "<export name>-files" beside the
// export at path, named by prefix and its hash, with the extension of its
// own name (name, if known) or else of its content, and returns its path
// relative to the export ("jjm-files/1-22e1633b12fa.jpg"); a file no
// longer kept gives the words saying so instead, and kept false.
func (a *app) keptFile(ctx context.Context, path, lang, prefix, ref, name string) (rel string, kept bool, err error) {
	data, err := a.svc.KeptFiles.Get(ctx, ref)
	if errors.Is(err, store.ErrFileNotKept) {
		return a.cat.Text(lang, "cli.file_not_kept", nil), false, nil
	}
	if err != nil {
		return "", false, err
	}
	dir := strings.TrimSuffix(path, filepath.Ext(path)) + "-files"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, err
	}
	ext := strings.ToLower(filepath.Ext(name))
	if len(ext) < 2 || len(ext) > 6 || strings.IndexFunc(ext[1:], func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) >= 0 {
		ext = fileExt(data)
	}
	safe := strings.Map(func(r rune) rune { // a key such as "+91…:कानपुर देहात:pipeline" makes no file name everywhere
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, prefix)
	file := safe + "-" + strings.TrimPrefix(ref, store.FileRefPrefix)[:12] + ext
	if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
		return "", false, err
	}
	return filepath.Base(dir) + "/" + file, true, nil
}

// fileExt is the extension of a file's type, read from its bytes (.jpg,
// .png, .pdf, .ogg …; "" when unknown).
func fileExt(data []byte) string {
	ct := http.DetectContentType(data)
	if ct, _, _ = strings.Cut(ct, ";"); ct == "application/octet-stream" {
		return ""
	}
	switch ct {
	case "image/jpeg":
		return ".jpg"
	case "text/plain":
		return ".txt"
	}
	if exts, err := mime.ExtensionsByType(ct); err == nil && len(exts) > 0 {
		return exts[0]
	}
	return ""
}

func writeRecordsXLSX(w io.Writer, kind string, head []string, rows [][]string, links map[[2]int]bool) error {
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
	cells := func(i int, r []string, style int) []any {
		out := make([]any, len(r))
		for j, c := range r {
			cell := excelize.Cell{Value: c, StyleID: style}
			if links[[2]int{i, j}] { // a kept file's cell opens it, from the folder beside the workbook (a path we made: no quotes in it)
				cell.Formula = `HYPERLINK("` + c + `","` + c + `")`
			}
			out[j] = cell
		}
		return out
	}
	if err := sw.SetRow("A1", cells(-1, head, bold)); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(i, r, 0)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}
