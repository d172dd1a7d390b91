package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// TestImportRefusesAFileOverTheLimits: saathi import refuses a roster
// over SAATHI_IMPORT_MAX_ROWS or SAATHI_IMPORT_MAX_BYTES, naming the limit
// in the report's language; within them the same file is read.
func TestImportRefusesAFileOverTheLimits(t *testing.T) {
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, roster.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		vars map[string]string
		lang string
		want string
	}{
		{map[string]string{"SAATHI_IMPORT_MAX_ROWS": "10"}, "en", "more than 10 rows"},
		{map[string]string{"SAATHI_IMPORT_MAX_ROWS": "10"}, "hi", "फ़ाइल में 10 से ज़्यादा पंक्तियाँ हैं"},
		{map[string]string{"SAATHI_IMPORT_MAX_BYTES": "1KB"}, "en", "larger than 1 KB"},
		{map[string]string{"SAATHI_IMPORT_MAX_BYTES": "1 kb"}, "hi", "1 KB से बड़ी"},
	} {
		out, err := runCmd(t, tc.vars, "", "import", "--dry-run", "--lang", tc.lang, file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("import with %v: %v\n%s\nwant an error naming %q", tc.vars, err, out, tc.want)
		}
	}
	out, err := runCmd(t, map[string]string{"SAATHI_IMPORT_MAX_ROWS": "54", "SAATHI_IMPORT_MAX_BYTES": "64KB"}, "", "import", "--dry-run", "--lang", "en", file)
	if err != nil || !strings.Contains(out, "53 rows ok") {
		t.Errorf("within the limits: %v\n%s", err, out)
	}
	for _, bad := range []map[string]string{{"SAATHI_IMPORT_MAX_ROWS": "many"}, {"SAATHI_IMPORT_MAX_ROWS": "0"}, {"SAATHI_IMPORT_MAX_BYTES": "50 parsecs"}, {"SAATHI_IMPORT_MAX_BYTES": "-5MB"}} {
		for env := range bad {
			if _, err := runCmd(t, bad, "", "import", "--dry-run", file); err == nil || !strings.Contains(err.Error(), env) {
				t.Errorf("%v: %v, want an error naming the setting", bad, err)
			}
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"52428800": 50 << 20, "50MB": 50 << 20, "50 mb": 50 << 20, "512KB": 512 << 10, "1GB": 1 << 30, "100B": 100} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "1.5MB", "lots", "99999999999GB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): no error", in)
		}
	}
}

// TestTrainingFileIsCleanedAndBounded: saathi training add --file keeps a
// training's text without control or bidi characters, and refuses a file
// over SAATHI_IMPORT_MAX_BYTES.
func TestTrainingFileIsCleanedAndBounded(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "trainings.yaml")
	spec := "title: \"\\u202EAMRUT\\x1b[31m 2.0\\u200B प्रशिक्षण\"\nvenue: \"अनपरा\\x00 सभागार\"\nstart: 2030-12-05T10:00\nmodules: [\"जल\\u2066\", \"\\u200B\"]\n"
	if err := os.WriteFile(file, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	// What it prints is Hindi by default, its date in IST.
	out, err := runCmd(t, vars, "", "training", "add", "--file", file)
	if err != nil || !strings.Contains(out, "\tAMRUT 2.0 प्रशिक्षण\tगुरुवार, 5 दिसंबर 2030, सुबह 10 बजे\tनया, 0 लोगों को बुलाया\t") {
		t.Fatalf("training add: %v\n%+q", err, out)
	}
	first, _, _ := strings.Cut(out, "\t")
	out, err = runCmd(t, vars, "", "training", "list")
	if err != nil || !strings.HasPrefix(out, "ID ") || !strings.Contains(out, "नाम") || !strings.Contains(out, "बुलाए") || strings.Contains(out, "TITLE") || !strings.Contains(out, "2030-12-05 10:00") {
		t.Fatalf("training list: %v\n%+q", err, out)
	}
	out, err = runCmd(t, vars, "", "training", "list", "--lang", "en")
	if err != nil || !strings.Contains(out, "STARTS (IST)") || !regexp.MustCompile(`AMRUT 2.0 प्रशिक्षण +2030-12-05 10:00 +1 +- +अनपरा सभागार +- +0 +0 +0`).MatchString(out) {
		t.Fatalf("training list --lang en: %v\n%+q", err, out)
	}
	// The same file again: the same training, not a second one.
	out, err = runCmd(t, vars, "", "training", "add", "--lang", "en", "--file", file)
	if err != nil || !strings.HasPrefix(out, first+"\tAMRUT 2.0 प्रशिक्षण\tThursday, 5 December 2030, 10 am\tunchanged\t") || !strings.Contains(out, "0 new, 0 moved, 0 changed, 1 unchanged") {
		t.Fatalf("training add --lang en: %v\n%+q", err, out)
	}
	id := first
	out, err = runCmd(t, vars, "", "training", "move", id, "--start", "2030-12-12T10:00")
	if err != nil || !strings.HasPrefix(out, id+"\tAMRUT 2.0 प्रशिक्षण\tअब गुरुवार, 12 दिसंबर 2030, सुबह 10 बजे से\t0 लोगों को बता दिया\n") {
		t.Fatalf("training move: %v\n%+q", err, out)
	}
	out, err = runCmd(t, vars, "", "training", "move", id, "--start", "2030-12-12T10:00", "--lang", "en")
	if err != nil || !strings.HasPrefix(out, id+"\tAMRUT 2.0 प्रशिक्षण\talready starts Thursday, 12 December 2030, 10 am: reminders checked, nobody told again\n") {
		t.Fatalf("training move --lang en: %v\n%+q", err, out)
	}
	big := map[string]string{"REDIS_URL": vars["REDIS_URL"], "SAATHI_IMPORT_MAX_BYTES": "32B"}
	if _, err := runCmd(t, big, "", "training", "add", "--lang", "en", "--file", file); err == nil || !strings.Contains(err.Error(), "larger than 32 bytes") {
		t.Errorf("a file over the limit: %v", err)
	}
}
