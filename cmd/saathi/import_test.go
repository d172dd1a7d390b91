package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestImportReportsBadRowsAndIsIdempotent(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "roster.csv")
	data := string(roster.Sample) + "बिना नंबर,12345,sabhasad,,,,,,,,\n,9000000001,sabhasad,,,,,,,,\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "", "import", "--dry-run", "--lang", "en", file)
	if err != nil || !strings.Contains(out, "dry run: 53 would be imported (53 new, 0 updated, 0 unchanged), 2 rows skipped") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if n := rdb.DBSize(t.Context()).Val(); n != 0 {
		t.Fatalf("dry run wrote %d keys", n)
	}
	for _, want := range []string{"53 imported (53 new, 0 updated, 0 unchanged), 2 rows skipped", "53 imported (0 new, 0 updated, 53 unchanged), 2 rows skipped"} {
		out, err := runCmd(t, vars, "", "import", "--lang", "en", file)
		if err != nil || !strings.Contains(out, "line 55: phone \"12345\" is not a valid Indian number\nline 56: name is missing\n") || !strings.Contains(out, want) {
			t.Fatalf("import: %v\n%s\nwant %q", err, out, want)
		}
	}
	out, err = runCmd(t, vars, "", "import", file) // Hindi is the default
	if err != nil || !strings.Contains(out, "पंक्ति 55: मोबाइल नंबर 12345 सही नहीं है") || !strings.Contains(out, "53 लोग जोड़े गए (0 नए, 0 बदले, 53 पहले जैसे), 2 पंक्तियाँ छूटीं") {
		t.Fatalf("import (hi): %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "import", "--dry-run", file)
	if err != nil || !strings.Contains(out, "जाँच: 53 लोग जोड़े जाते (0 नए, 0 बदले, 53 पहले जैसे), 2 पंक्तियाँ छूटतीं") {
		t.Fatalf("import --dry-run (hi): %v\n%s", err, out)
	}
	if _, err := runCmd(t, vars, "", "import", filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Fatal("a missing file is not an error")
	}
	if _, err := runCmd(t, map[string]string{}, "", "import", file); err == nil {
		t.Fatal("an import without REDIS_URL is not an error")
	}
}
