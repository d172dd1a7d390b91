package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

// readPhones reads the mobile numbers of a sheet (CSV or XLSX, its first
// sheet) as the chat reads a coordinator's list (roster.Limits.Phones:
// the column headed मोबाइल/phone …, or the only one holding numbers,
// within lim), in E.164 and in order, each once. The rows it leaves out
// (not a number, repeated) are written to w by line, in lang.
func readPhones(path string, lim roster.Limits, lang string, w io.Writer) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--phones: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("--phones: %w", err)
	}
	if lim.MaxBytes > 0 && st.Size() > lim.MaxBytes {
		return nil, fmt.Errorf("--phones %s: %s", path, limitText(&roster.LimitError{Kind: roster.LimitBytes, Limit: lim.MaxBytes}, lang))
	}
	lines, err := lim.Phones(io.NewSectionReader(f, 0, st.Size()), filepath.Base(path))
	var le *roster.LimitError
	var nc *roster.NoPhoneColumnError
	switch {
	case errors.As(err, &le):
		return nil, fmt.Errorf("--phones %s: %s", path, limitText(le, lang))
	case errors.Is(err, roster.ErrEmptyFile):
		return nil, fail("audience.cli_empty", nil, "file", path, "flag", "--phones")
	case errors.As(err, &nc) && nc.Columns > 1:
		return nil, fail("audience.cli_many_columns", nil, "file", path, "flag", "--phones", "n", strconv.Itoa(nc.Columns))
	case errors.As(err, &nc):
		return nil, fail("audience.cli_no_column", nil, "file", path, "flag", "--phones")
	case err != nil:
		return nil, fmt.Errorf("--phones %s: %w", path, err)
	}
	cat, err := locales.Load()
	if err != nil {
		return nil, err
	}
	var out, skipped []string
	for _, l := range lines {
		data := map[string]string{"line": strconv.Itoa(l.Line), "cell": l.Cell, "first": strconv.Itoa(l.First)}
		switch {
		case l.Unread:
			skipped = append(skipped, cat.Text(lang, "audience.line_unread", data))
		case l.Phone == "" && l.Cell == "":
			skipped = append(skipped, cat.Text(lang, "audience.line_no_number", data))
		case l.Phone == "":
			skipped = append(skipped, cat.Text(lang, "audience.line_not_number", data))
		case l.First > 0:
			skipped = append(skipped, cat.Text(lang, "audience.line_repeated", data))
		default:
			out = append(out, l.Phone)
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintln(w, cat.Text(lang, "audience.list_skipped", map[string]string{"n": strconv.Itoa(len(skipped))}))
		fmt.Fprintln(w, strings.Join(skipped, "\n"))
	}
	if len(out) == 0 {
		return nil, fail("audience.cli_no_phones", nil, "file", path, "flag", "--phones")
	}
	return out, nil
}

// limitText names the limit a file is over, in lang.
func limitText(le *roster.LimitError, lang string) string {
	if lang == "hi" {
		return le.Hindi()
	}
	return le.Error()
}

// withPhones adds the numbers of the sheet at path (if any) to the audience
// filter to: the people of the list, among those to selects.
func withPhones(to, path string, lim roster.Limits, lang string, w io.Writer) (string, error) {
	if path == "" {
		return to, nil
	}
	phones, err := readPhones(path, lim, lang, w)
	if err != nil {
		return "", err
	}
	term := "phone=" + strings.Join(phones, "|")
	if strings.TrimSpace(to) == "" {
		return term, nil
	}
	return to + "," + term, nil
}
