package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/store/roster"
)

// readPhones reads the mobile numbers of a sheet (CSV or XLSX, its first
// sheet): those of the first column in which a cell is one, in E.164 and
// in order, each once. A file over max bytes is refused unread.
func readPhones(path string, max int64) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read phones: %w", err)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("read phones: %s: larger than %s (SAATHI_IMPORT_MAX_BYTES)", path, roster.Size(max))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read phones: %w", err)
	}
	var rows [][]string
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read phones: %s: %w", path, err)
		}
		defer f.Close()
		if rows, err = f.GetRows(f.GetSheetName(0)); err != nil {
			return nil, fmt.Errorf("read phones: %s: %w", path, err)
		}
	} else {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		if rows, err = r.ReadAll(); err != nil {
			return nil, fmt.Errorf("read phones: %s: %w", path, err)
		}
	}
	col := -1
	for _, row := range rows {
		for i, cell := range row {
			if _, ok := roster.NormalizePhone(cell); ok && (col < 0 || i < col) {
				col = i
				break
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, row := range rows {
		if col >= len(row) {
			continue
		}
		if p, ok := roster.NormalizePhone(row[col]); ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read phones: %s has no mobile numbers", path)
	}
	return out, nil
}

// withPhones adds the numbers of the sheet at path (if any) to the audience
// filter to: the people of the list, among those to selects.
func withPhones(to, path string, max int64) (string, error) {
	if path == "" {
		return to, nil
	}
	phones, err := readPhones(path, max)
	if err != nil {
		return "", err
	}
	term := "phone=" + strings.Join(phones, "|")
	if strings.TrimSpace(to) == "" {
		return term, nil
	}
	return to + "," + term, nil
}
