package flowstest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Row is one line of a table of replies: where it stands ("file.tsv:12")
// and its three tab-separated columns (what is asked, the reply as typed,
// what it should be read as).
type Row struct {
	At   string
	Cols [3]string
}

// Rows reads the table of replies in file, leaving out blank lines and
// those starting with #, or fails the test.
func Rows(t testing.TB, file string) []Row {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var rows []Row
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		at := fmt.Sprintf("%s:%d", filepath.Base(file), line)
		cols := strings.Split(text, "\t")
		if len(cols) != 3 {
			t.Fatalf("%s: want 3 tab-separated columns, got %d", at, len(cols))
		}
		rows = append(rows, Row{At: at, Cols: [3]string(cols)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}
