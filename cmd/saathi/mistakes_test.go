package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// The mistakes commands meet beyond their flags' syntax (a date, a month,
// a choice, a scope, a training or period that is not there, a file to
// send) are one line in --lang: Hindi by default, with no English words,
// and English with --lang en; a mistake in how the command is written
// exits 2, one the data finds 1.
func TestMistakesFollowLang(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	importSample(t, rdb)
	url := storetest.URL(t, storetest.DBCommand)
	withRedis := map[string]string{"REDIS_URL": url}
	// A training that is over, one that has not begun, and a period.
	ts := training.New(rdb)
	past, err := ts.Create(ctx, training.Training{Title: "बीती बैठक", Venue: "सभागार", Invite: "role=sabhasad",
		Days: []training.Day{{Start: time.Now().Add(-48 * time.Hour), End: time.Now().Add(-44 * time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	soon, err := ts.Create(ctx, training.Training{Title: "आगे की बैठक", Venue: "सभागार", Invite: "role=sabhasad",
		Days: []training.Day{{Start: time.Now().Add(72 * time.Hour), End: time.Now().Add(76 * time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.New(rdb).OpenPeriod(ctx, reports.Period{ID: "2030-01", Due: time.Date(2030, 1, 7, 23, 59, 0, 0, time.UTC), Level: "all", OpenedBy: "t", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(sample, roster.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.pdf")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		vars  map[string]string
		args  []string
		usage bool   // exit status 2
		en    string // what the English line says
	}{
		{nil, []string{"coverage", "--level", "town"}, true, `--level cannot be "town": write one of block|gp|district|division`},
		{nil, []string{"coverage", "extra"}, true, "usage: saathi coverage"},
		{nil, []string{"coverage", "--scope", "town=मैथा"}, true, `"town" is not a level of places`},
		{nil, []string{"coverage", "--scope", "district"}, true, `--scope "district" is not clear`},
		{nil, []string{"coverage", "--from", "April"}, true, `--from "April" is not a month`},
		{nil, []string{"training", "list", "--from", "2027-06", "--to", "2027-04"}, true, "the months end (2027-04) before they start (2027-06)"},
		{nil, []string{"training", "list", "--to", "June"}, true, `--to "June" is not a month`},
		{withRedis, []string{"training", "move", "--scope", "all", "--shift", "1mo", "--until", "June"}, true, `--until "June" is not a month`},
		{nil, []string{"training", "cancel", "t1", "--from", "2027-04"}, true, "saathi training cancel --scope district=… [--from 2027-04] [--to 2027-06]"},
		{nil, []string{"training", "status", "--by", "town"}, true, `--by cannot be "town"`},
		{nil, []string{"training", "status", "t1", "t2"}, true, "saathi training status [ID]"},
		{nil, []string{"export", "--training", "t1", "-o", "x.txt", "--format", "txt"}, true, `--format cannot be "txt": write one of xlsx|csv`},
		{nil, []string{"report", "open", "--period", "2030-02", "--due", "7 Feb"}, true, `--due "7 Feb" is not a date`},
		{nil, []string{"report", "open", "--period", "2030-02", "--due", "2030-02-07", "--scope", "body=नगर पंचायत अनपरा"}, true, "cannot be a report's area"},
		{nil, []string{"report", "status", "--level", "town"}, true, `--level cannot be "town"`},
		{nil, []string{"report", "status", "--period", "Feb"}, true, `--period "Feb" is not a month`},
		{nil, []string{"report", "target", "--period", "2030-01", "--set", "accounts=members", "--by", "soon"}, true, `--by "soon" is not a date`},
		{withRedis, []string{"report", "target", "--period", "2030-05", "--set", "accounts=members", "--by", "2030-05-08"}, false, "no report period 2030-05 is open"},
		{nil, []string{"training", "add", "--title", "बैठक"}, true, "venue: is required start: is required"},
		{nil, []string{"training", "add", "--title", "बैठक", "--venue", "सभागार", "--start", "कल", "--capacity", "-1", "--end", "5pm", "--lat", "1"}, true, "capacity: must be 0"},
		{withRedis, []string{"deadletters", "retry", "nosuch"}, false, `no dead letter "nosuch"; saathi deadletters list lists them`},
		{withRedis, []string{"deadletters", "drop", "nosuch"}, false, `no dead letter "nosuch"`},
		{withRedis, []string{"training", "move", "--scope", "all", "--shift", "soon"}, true, `--shift "soon" is not a shift: write`},
		{withRedis, []string{"training", "move", soon.ID, "--end", "5pm"}, true, `the new days do not work: end: "5pm" is not a time of day`},
		{withRedis, []string{"training", "move", soon.ID, "--start", "2030-01-01T18:00", "--end", "09:00"}, true, "would end at 09:00, not after its new start 18:00"},
		{nil, []string{"report", "target", "--period", "2030-01", "--set", "पेड़=5", "--by", "2030-01-08"}, true, `--set "पेड़=5" is not a target: write indicator=goal`},
		{nil, []string{"report", "open", "--period", "Feb", "--due", "2030-02-07"}, true, `--period "Feb" is not a month`},
		{nil, []string{"training", "add", "--title", "बैठक", "--venue", "सभागार", "--start", "2030-12-05T10:00", "--invite", "रंग=लाल"}, true, "--invite"},
		{nil, []string{"import", "--dry-run", empty + ".csv"}, false, "there is no file"},
		{map[string]string{"SAATHI_IMPORT_MAX_ROWS": "1"}, []string{"import", "--dry-run", sample}, false, "the roster was not imported: read roster"},
		{nil, []string{"roster"}, true, "saathi roster reindex"},
		{nil, []string{"roster", "generate", "--people", "0", "-o", "x.csv"}, true, "saathi roster generate --people 1000"},
		{nil, []string{"roster", "reindex"}, false, "this needs REDIS_URL"},
		{nil, []string{"calendar", "copy", "--from", "2027"}, true, "saathi calendar copy"},
		{nil, []string{"training", "attend", "t1", "--day", "1", "--phone", "12"}, true, `--phone "12" is not a mobile number`},
		{withRedis, []string{"training", "attend", "tnosuch", "--day", "1", "--phone", "9018159083"}, false, `no training "tnosuch"`},
		{withRedis, []string{"training", "attend", past.ID, "--day", "3", "--phone", "9018159083"}, true, "has 1 day(s)"},
		{withRedis, []string{"training", "attend", soon.ID, "--day", "1", "--phone", "9018159083"}, false, "has not begun"},
		{withRedis, []string{"training", "attend", past.ID, "--day", "1", "--phone", "9876543210"}, false, "is not invited to"},
		{withRedis, []string{"training", "cancel", "tnosuch"}, false, `no training "tnosuch"`},
		{withRedis, []string{"training", "move", soon.ID, "--start", "tomorrow"}, true, `--start "tomorrow" is not a date and time`},
		{withRedis, []string{"training", "move", soon.ID, "--start", "2020-01-01T10:00"}, true, "is in the past"},
		{withRedis, []string{"training", "move", "--scope", "all", "--from", "2030-04", "--to", "2030-04"}, true, "the same month"},
		{withRedis, []string{"training", "move", "--scope", "all", "--from", "April", "--to", "2030-06"}, true, `--from "April" is not a month`},
		{withRedis, []string{"broadcast", "--to", "role=sabhasad", "--text", "x", "--file", empty}, false, "the file is empty"},
		{withRedis, []string{"broadcast", "--to", "role=sabhasad", "--text", "x", "--file", empty + ".nosuch"}, false, "the file cannot be read"},
	}
	for _, c := range cases {
		for _, lang := range []string{"hi", "en"} {
			args := c.args
			if lang == "en" {
				args = append(append([]string{}, args...), "--lang", "en")
			}
			out, err := runCmd(t, c.vars, "", args...)
			if err == nil {
				t.Errorf("%v: no error\n%s", args, out)
				continue
			}
			msg := err.Error()
			if errors.Is(err, errUsage) != c.usage || strings.Contains(msg, "\n") {
				t.Errorf("%v: %q (usage %v), want one line, usage %v", args, msg, errors.Is(err, errUsage), c.usage)
			}
			if lang == "en" {
				if !strings.Contains(msg, c.en) {
					t.Errorf("%v: %q, want %q", args, msg, c.en)
				}
				continue
			}
			// A cause from below (the file system's words) follows the Hindi.
			msg, _, _ = strings.Cut(msg, ": open ")
			msg, _, _ = strings.Cut(msg, ": stat ")
			msg = strings.NewReplacer(past.ID, " ", soon.ID, " ").Replace(msg) // an id, as typed
			if en := englishInCLI(msg); len(en) > 0 || msg == "" {
				t.Errorf("%v: English %q in %q", args, en, msg)
			}
		}
	}
}

// Every command run bare, with nothing set (no arguments, no REDIS_URL),
// says what it says in Hindi: a usage line, the setting it needs, or what
// it found. serve and bench would run, demo is a conversation, and version
// prints the build's technical line.
func TestEveryCommandBareIsHindi(t *testing.T) {
	for _, sub := range leaves(commands(), nil) {
		switch strings.Join(sub, " ") {
		case "serve", "bench", "demo", "version":
			continue
		}
		out, err := runCmd(t, nil, "", sub...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("%v: the error is more than one line: %q", sub, err)
			}
			lines = append(lines, err.Error())
		}
		for _, l := range lines {
			if strings.HasPrefix(l, "  saathi ") || strings.HasPrefix(l, "| `") { // help: commands and settings as typed
				continue
			}
			if en := englishInCLI(l); len(en) > 0 {
				t.Errorf("%v: English %q in %q", sub, en, l)
			}
		}
	}
}
