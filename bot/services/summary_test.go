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

// A state admin with more divisions than a screen holds gets the biggest
// divisions, then the rest as one line ("और N मंडल"), then the total,
// how to see one and the choices: 25 lines in all. A division
// coordinator choosing among as many trainings gets the choice alone.
func TestStateSummaryKeepsToOneScreen(t *testing.T) {
	f := setup(t)
	var people []roster.Person
	n := 0
	for d := 1; d <= 20; d++ { // division d has d sabhasads
		for range d {
			n++
			people = append(people, roster.Person{Name: fmt.Sprintf("सदस्य %03d", n), Phone: fmt.Sprintf("97%08d", n), Role: "sabhasad",
				Division: fmt.Sprintf("मंडल %02d", d), District: fmt.Sprintf("जनपद %02d", d), Body: fmt.Sprintf("नगर पंचायत %02d", d)})
		}
	}
	people = append(people, roster.Person{Name: "मंडल समन्वयक", Phone: "9600000001", Role: roster.RoleCoordinator, Division: "मंडल 01"})
	if _, err := f.svc.Roster.Import(f.ctx, people, false); err != nil {
		t.Fatal(err)
	}
	var divisions []string
	for d := 1; d <= 20; d++ {
		divisions = append(divisions, fmt.Sprintf("मंडल %02d", d))
	}
	f.training(t, training.Spec{Title: "पूरा प्रदेश", Venue: "लखनऊ", Start: "2026-12-20T10:00", Invite: "role=sabhasad,division=" + strings.Join(divisions, "|")})
	for i := 1; i <= 8; i++ {
		f.training(t, training.Spec{Title: fmt.Sprintf("मंडल 01 बैच %d", i), Venue: "लखनऊ", Start: fmt.Sprintf("2026-12-%02dT10:00", 20+i),
			Invite: "role=sabhasad,division=मंडल 01"})
	}
	f.link(t, tg("admin"), admin)
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, locales.IST)
	res := f.call(t, tg("admin"), "coord.pick", now, map[string]string{"overview": "yes"})
	if res.Status != "overview" {
		t.Fatalf("the admin's pick: %s %v", res.Status, res.Fields)
	}
	lines := strings.Split(res.Fields["overview"], "\n")
	choices := strings.Split(res.Fields["choices"], "|")
	if len(choices) != 8 || len(lines)+len(choices) != 25 {
		t.Errorf("%d lines and %d choices, want 17 and 8:\n%s", len(lines), len(choices), res.Fields["overview"])
	}
	want := map[int]string{
		0:  "📊 चल रहे और आने वाले प्रशिक्षण, मंडल के हिसाब से:",
		1:  "• मंडल 20: चल रहे 0 · आने वाले 1 · बुलाए 20 · आएँगे 0 · हाज़िरी 0",
		12: "• मंडल 01: चल रहे 0 · आने वाले 9 · बुलाए 9 · आएँगे 0 · हाज़िरी 0", // one person in nine trainings: before मंडल 09 by name
		// 8 left: मंडल 09 … 02 (44 people, the one training for them all)
		13: "• और 8 मंडल: चल रहे 0 · आने वाले 1 · बुलाए 44 · आएँगे 0 · हाज़िरी 0",
		14: "कुल: चल रहे 0 · आने वाले 9 · बुलाए 218 · आएँगे 0 · हाज़िरी 0",
		15: "",
	}
	for i, w := range want {
		if i >= len(lines) || lines[i] != w {
			t.Errorf("line %d: %q, want %q", i+1, strings.Join(lines[min(i, len(lines)-1):min(i+1, len(lines))], ""), w)
		}
	}
	if res := f.call(t, tg("admin"), "coord.pick", now, nil); res.Status != "many" {
		t.Errorf("without overview (एक्सेल, प्रसारण): %s", res.Status)
	}
	f.link(t, tg("divcoord"), "+919600000001")
	if res := f.call(t, tg("divcoord"), "coord.pick", now, map[string]string{"overview": "yes"}); res.Status != "many" {
		t.Errorf("a division coordinator: %s", res.Status)
	}
}
