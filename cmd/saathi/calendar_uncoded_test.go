package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// TestCalendarAdoptsATrainingMadeBeforeCodes: a training made from YAML
// before calendar codes were kept has no code. The same YAML run through
// the calendar import finds it by the code its fields give (title, venue,
// batch, invite, start): nothing new is made, the dry run says so too, and
// the code is bound to it, so the next run finds it by code. A training
// of the file with another start is new.
func TestCalendarAdoptsATrainingMadeBeforeCodes(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	ctx := context.Background()
	year := time.Now().In(locales.IST).Year() + 1
	plan := fmt.Sprintf("- title: अमृत 2.0 प्रशिक्षण\n  venue: RCUES सभागार, लखनऊ\n  start: %d-04-05T10:00\n  days: 2\n  batch: चरण 1\n", year)
	file := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(file, []byte(plan), 0o600); err != nil {
		t.Fatal(err)
	}

	// Made as it was before codes: from the same YAML, kept without one.
	rows, bad, err := training.ReadCalendar(strings.NewReader(plan), "plan.yaml", training.CalendarOptions{})
	if err != nil || len(bad) > 0 || len(rows) != 1 {
		t.Fatalf("read the plan: %v %v %d rows", err, bad, len(rows))
	}
	code := rows[0].Training.Code
	old := rows[0].Training
	old.Code, old.CreatedBy = "", "cli"
	store := training.New(rdb)
	made, err := store.Create(ctx, old)
	if err != nil {
		t.Fatal(err)
	}

	run := func(want string, args ...string) {
		t.Helper()
		out, err := runCmd(t, vars, "", append([]string{"training", "add", "--lang", "en"}, args...)...)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(out, made.ID) {
			t.Fatalf("training add %q: %v\n%s\nwant %q and %s", args, err, out, want, made.ID)
		}
	}
	run("Check: 0 would be new, 0 moved, 0 changed, 1 unchanged", "--dry-run", "--file", file)
	if _, found, err := store.ByCode(ctx, code); err != nil || found {
		t.Fatalf("code %s bound by a dry run: %v %v", code, found, err)
	}
	run("Calendar: 0 new, 0 moved, 0 changed, 1 unchanged", "--file", file)
	got, found, err := store.ByCode(ctx, code)
	if err != nil || !found || got.ID != made.ID || got.Code != code {
		t.Fatalf("ByCode(%s) = %s %q %v %v, want %s with its code", code, got.ID, got.Code, found, err, made.ID)
	}
	if got.Secret != made.Secret {
		t.Error("binding the code changed the training's secret (its check-in codes)")
	}
	run("Calendar: 0 new, 0 moved, 0 changed, 1 unchanged", "--file", file)

	// Another start is another training.
	more := plan + strings.ReplaceAll(plan, "-04-05T", "-05-10T")
	if err := os.WriteFile(file, []byte(more), 0o600); err != nil {
		t.Fatal(err)
	}
	run("Calendar: 1 new, 0 moved, 0 changed, 1 unchanged", "--file", file)
	ts, err := store.List(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("%d trainings, want 2: %v", len(ts), err)
	}
}
