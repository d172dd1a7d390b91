package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/sheet"
)

// exportRecords writes every record of kind (a survey's answers) to path,
// as xlsx or csv: one row a record, one column a field, in the order the
// flow saves them, headed in lang (recordHeader). Records are read and
// written a page at a time (store.RecordPage), so that memory holds their
// keys and columns but never their rows: one pass reads the fields the
// records hold (a field an older flow saved gets a column), one writes.
func (a *app) exportRecords(ctx context.Context, kind, format, lang, path string) (int, error) {
	exportGC()
	recs := store.NewRecords(a.rdb)
	keys, err := recs.Keys(ctx, kind)
	if err != nil {
		return 0, err
	}
	sort.Slice(keys, func(i, j int) bool { return store.KeyLess(keys[i], keys[j]) }) // numbered records by number
	cols := a.flows.RecordFields(kind)
	if err := recs.Fields(ctx, kind, keys, func(names []string) {
		slices.Sort(names)
		for _, f := range names { // fields an older flow saved
			if !slices.Contains(cols, f) {
				cols = append(cols, f)
			}
		}
	}); err != nil {
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
	defer f.Close()
	var out recordsWriter
	if format == "csv" {
		out, err = newRecordsCSV(f, head)
	} else {
		out, err = newRecordsXLSX(f, kind, head)
	}
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", kind, err)
	}
	defer out.Close()
	times := []int{slices.Index(cols, "_at") + 1, slices.Index(cols, "status_at") + 1} // when it was saved or changed
	status := slices.Index(cols, "status") + 1
	n := 0
	err = recs.Each(ctx, kind, keys, func(page []string, got []map[string]string) error {
		for i, rec := range got {
			if rec == nil {
				continue
			}
			row := make([]string, 0, len(cols)+1)
			row = append(row, page[i])
			for _, c := range cols {
				row = append(row, rec[c])
			}
			for _, at := range times { // as people read time here
				if at > 0 {
					if t, err := time.Parse(time.RFC3339, row[at]); err == nil {
						row[at] = t.In(locales.IST).Format("2006-01-02 15:04")
					}
				}
			}
			if st := status; st > 0 { // a follow-up's status in words
				if id := "record.status_" + row[st]; row[st] != "" && a.cat.Has(lang, id) {
					row[st] = a.cat.Text(lang, id, nil)
				}
			}
			links, err := a.exportKeptFiles(ctx, path, lang, row)
			if err != nil {
				return err
			}
			if err := out.Row(row, links); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err == nil {
		err = out.Finish()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", kind, err)
	}
	return n, nil
}

// exportGC makes an export collect garbage twice as often as Go would
// (unless GOGC is set): an export keeps little (its rows' keys, a page of
// people, a roll-up's rows) and makes garbage as it writes lines, so that
// 100,000 rows stay within 150 MB (docs/performance.md).
func exportGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
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

// recordsWriter writes the rows of a records export as they are made:
// links are the cells (columns) holding a kept file's path, which open it.
type recordsWriter interface {
	Row(cells []string, links []bool) error
	Finish() error // the last rows written
	Close() error
}

type recordsCSV struct{ *sheet.CSV }

func newRecordsCSV(w io.Writer, head []string) (recordsWriter, error) {
	c, err := sheet.NewCSV(w)
	if err != nil {
		return nil, err
	}
	if err := c.Row(head); err != nil {
		return nil, err
	}
	return recordsCSV{c}, nil
}

// Row writes cells; text that Excel would read as a formula stays text.
func (c recordsCSV) Row(cells []string, _ []bool) error { return c.CSV.Row(cells) }
func (c recordsCSV) Finish() error                      { return c.Flush() }
func (c recordsCSV) Close() error                       { return nil }

// exportKeptFiles writes the kept files a row names (cells holding a
// kept file's id, sha256:…) into a folder beside the export (keptFile),
// one file a cell named by its row's key, and puts the file's path
// relative to the export in the cell. It returns which cells it changed,
// for links (nil for none). A file no longer kept is named as such in its
// cell.
func (a *app) exportKeptFiles(ctx context.Context, path, lang string, row []string) ([]bool, error) {
	var links []bool
	for j, c := range row {
		if !store.IsFileRef(c) {
			continue
		}
		rel, kept, err := a.keptFile(ctx, path, lang, row[0], c, "")
		if err != nil {
			return nil, err
		}
		if links == nil {
			links = make([]bool, len(row))
		}
		row[j], links[j] = rel, kept
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

// recordsXLSX writes a records export as a workbook of one sheet, named
// by the kind, streamed (sheet.Book).
type recordsXLSX struct {
	*sheet.Book
	w io.Writer
}

func newRecordsXLSX(w io.Writer, kind string, head []string) (recordsWriter, error) {
	b, err := sheet.New()
	if err != nil {
		return nil, err
	}
	name := kind
	if len(name) > 31 {
		name = name[:31]
	}
	if err := b.Sheet(name, head, nil, ""); err != nil {
		b.Close()
		return nil, err
	}
	return recordsXLSX{b, w}, nil
}

// Row writes cells; a kept file's cell opens it, from the folder beside
// the workbook (a path we made: no quotes in it).
func (x recordsXLSX) Row(cells []string, links []bool) error {
	vals := make([]any, len(cells))
	for j, c := range cells {
		if j < len(links) && links[j] {
			vals[j] = excelize.Cell{Value: c, Formula: `HYPERLINK("` + c + `","` + c + `")`}
			continue
		}
		vals[j] = c
	}
	return x.Book.Row(vals)
}

func (x recordsXLSX) Finish() error {
	_, err := x.WriteTo(x.w)
	return err
}
