package services_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// coord.pick offers a coordinator's current trainings, running first, then
// those to come (soonest first), then those of the last 30 days (latest
// first); older ones are not offered but are found by id, and the label of
// an option names its training.
func TestPickOrdersCurrentTrainings(t *testing.T) {
	f := setup(t)
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, locales.IST)
	mk := func(title string, start time.Time) training.Training {
		return f.training(t, training.Spec{Title: title, Venue: "अनपरा", Start: start.Format("2006-01-02T15:04"), Days: 2,
			Invite: "role=sabhasad,body=" + anpara})
	}
	day := 24 * time.Hour
	later := mk("दस दिन बाद", now.Add(10*day))
	old := mk("दो महीने पहले", now.Add(-60*day))
	running := mk("आज", now.Add(-2*time.Hour))
	soon := mk("तीन दिन बाद", now.Add(3*day))
	recent := mk("पाँच दिन पहले", now.Add(-5*day))
	f.link(t, tg("eo"), eo)
	f.link(t, tg("sarita"), sarita)

	res := f.call(t, tg("eo"), "coord.pick", now, nil)
	var ids []string
	for _, label := range strings.Split(res.Fields["choices"], "|") {
		ids = append(ids, label[strings.LastIndex(label, "(")+1:strings.LastIndex(label, ")")])
	}
	if want := []string{running.ID, soon.ID, later.ID, recent.ID}; res.Status != "many" || strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("pick: %s %q, want many in the order %v", res.Status, res.Fields["choices"], want)
	}
	first, _, _ := strings.Cut(res.Fields["choices"], "|")
	for _, arg := range []string{first, running.ID, strings.ToUpper(running.ID)} {
		if res := f.call(t, tg("eo"), "coord.pick", now, map[string]string{"arg": arg}); res.Status != "one" || res.Fields["training"] != running.ID {
			t.Errorf("pick %q: %s %v", arg, res.Status, res.Fields)
		}
	}
	if res := f.call(t, tg("eo"), "coord.pick", now, map[string]string{"arg": old.ID}); res.Status != "one" || res.Fields["training"] != old.ID {
		t.Errorf("an old training by id: %s %v", res.Status, res.Fields)
	}
	if res := f.call(t, tg("eo"), "coord.pick", now, map[string]string{"running": "yes"}); res.Status != "one" || res.Fields["training"] != running.ID {
		t.Errorf("running only: %s %v", res.Status, res.Fields)
	}
	if res := f.call(t, tg("eo"), "coord.pick", now, map[string]string{"arg": "tzzzzzz"}); res.Status != "none" {
		t.Errorf("no such training: %s", res.Status)
	}
	if res := f.call(t, tg("sarita"), "coord.pick", now, nil); res.Status != "forbidden" {
		t.Errorf("a participant: %s", res.Status)
	}
}

// Status names who has not answered: 20 of them, then how many more.
func TestStatusNamesTwentySilent(t *testing.T) {
	f := setup(t)
	var people []roster.Person
	for i := 1; i <= 25; i++ {
		people = append(people, roster.Person{Name: fmt.Sprintf("सदस्य %02d", i), Phone: fmt.Sprintf("98000000%02d", i), Role: "sabhasad",
			District: sonbhdr, Body: "नगर पंचायत रेणुकूट", Ward: fmt.Sprint(i)})
	}
	if _, err := f.svc.Roster.Import(f.ctx, people, false); err != nil {
		t.Fatal(err)
	}
	tr := f.training(t, training.Spec{Title: "रेणुकूट", Venue: "रेणुकूट", Start: "2026-12-20T10:00", Invite: "body=नगर पंचायत रेणुकूट"})
	f.link(t, tg("admin"), admin)
	res := f.call(t, tg("admin"), "coord.status", time.Date(2026, 12, 10, 12, 0, 0, 0, locales.IST), map[string]string{"arg": tr.ID})
	text := res.Fields["status_text"]
	var names []string
	for i := 1; i <= 20; i++ {
		names = append(names, fmt.Sprintf("सदस्य %02d", i))
	}
	if want := "जवाब नहीं दिया: " + strings.Join(names, ", ") + " और 5 — पूरी सूची एक्सेल में"; !strings.Contains(text, want) {
		t.Errorf("status lacks %q:\n%s", want, text)
	}
	if strings.Contains(text, "के हिसाब से") {
		t.Errorf("one division (none given) is no breakdown:\n%s", text)
	}
}
