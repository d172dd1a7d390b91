package services_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/roster/rostergen"
	"github.com/saathi-bot/saathi/store/training"
)

// recordReads counts the commands that read a person's record.
func recordReads() *commands {
	return &commands{match: func(cmd redis.Cmder) bool {
		for _, a := range cmd.Args()[1:] {
			if s, ok := a.(string); ok && strings.HasPrefix(s, "saathi:p:") {
				return true
			}
		}
		return false
	}}
}

// TestCoverageCountsFromTheIndex: a state admin's coverage by division of
// a 30,000-person roster counts each division's representatives exactly
// and reads the records of the invitees only, not of the roster.
func TestCoverageCountsFromTheIndex(t *testing.T) {
	f := setup(t)
	const n = 30000
	var people []roster.Person
	want := map[string]int{}
	for p := range rostergen.People(n, 1) {
		people = append(people, p)
	}
	if _, err := f.svc.Roster.Import(f.ctx, people, false); err != nil {
		t.Fatal(err)
	}
	all, err := f.svc.Roster.All(f.ctx) // the sample roster too, as stored
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.Participant() && p.Division != "" {
			want[p.Division]++
		}
	}
	division, district := rostergen.District(100)
	tr, err := training.Spec{Title: "कवरेज", Venue: district, Start: "2026-12-15T10:00", Days: 1, End: "17:00",
		Invite: "role=pradhan,district=" + district}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = f.svc.Trainings.Create(f.ctx, tr); err != nil {
		t.Fatal(err)
	}
	invited, err := f.svc.Invite(f.ctx, tr)
	if err != nil || invited == 0 {
		t.Fatalf("invited %d: %v", invited, err)
	}

	h := recordReads()
	f.rdb.AddHook(h)
	places, total, err := f.svc.Coverage(f.ctx, roster.Scope{Level: roster.LevelAll}, roster.LevelDivision, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if reads := h.n.Load(); reads > int64(invited) {
		t.Errorf("coverage read %d records for %d invitees of a %d-person roster", reads, invited, n)
	}
	got := map[string]training.CoverageRow{}
	for _, p := range places {
		got[p.Place] = p
	}
	for dv, w := range want {
		if got[dv].People != w {
			t.Errorf("%s: %d representatives, the roster has %d", dv, got[dv].People, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d divisions, want %d: %+v", len(got), len(want), places)
	}
	if r := got[division]; r.Invited != invited || r.Planned != 1 || total.Invited != invited {
		t.Errorf("%s: %+v (total %+v), want %d invited by one training", division, r, total, invited)
	}
}
