package telegram_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store/training"
)

// TestRightTrainingInChat: the EO of नगर पंचायत अनपरा runs batch 1 today
// and batch 2 next week. प्रसारण asks which, running first, and the
// message goes to the chosen batch only; स्थिति and एक्सेल ask too, and
// "स्थिति <id>" names one in Hindi.
func TestRightTrainingInChat(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, fake, c := w.svc, w.fake, w.c
	w.importSample(t)
	batch := func(title, start, wards string) training.Training {
		tr, err := training.Spec{Title: title, Venue: "अनपरा", Start: start, Days: 2, End: "17:00",
			Invite: "role=sabhasad,body=नगर पंचायत अनपरा,ward=" + wards}.Training()
		if err != nil {
			t.Fatal(err)
		}
		if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Invite(ctx, tr); n != 4 || err != nil {
			t.Fatalf("%s: invited %d (%v), want 4", title, n, err)
		}
		return tr
	}
	// Made in this order, so that "the latest" would be batch 1's wrong twin.
	b2 := batch("AMRUT बैच 2", "2026-11-30T10:00", "5|6|7|8")
	b1 := batch("AMRUT बैच 1", "2026-11-23T10:00", "1|2|3|4") // the clock is 23 Nov, 12:00: running
	const eo, sarita, laxmi = int64(6000), int64(6001), int64(6005)
	w.link(t, eo, "+919912845298", "विनोद गुप्ता")
	w.link(t, sarita, "+919018159083", "सरिता राजभर") // ward 1: batch 1
	w.link(t, laxmi, "+919543231948", "लक्ष्मी दुबे") // ward 5: batch 2

	c.say(eo, "प्रसारण", "संदेश किसे भेजना है")
	pick := c.say(eo, "1", "किस प्रशिक्षण की बात है")
	var offered []string
	for _, row := range pick.Keyboard {
		for _, b := range row {
			offered = append(offered, b.Text)
		}
	}
	want := []string{"AMRUT बैच 1 (" + b1.ID + ") · सोमवार, 23 नवंबर", "AMRUT बैच 2 (" + b2.ID + ") · सोमवार, 30 नवंबर"}
	if !reflect.DeepEqual(offered, want) {
		t.Fatalf("trainings offered %q, want %q", offered, want)
	}
	c.press(pick, want[0], "संदेश लिखें")
	const bus = "कल सुबह 6 बजे बस चलेगी।"
	c.say(eo, bus, "कोई फ़ाइल भेजनी है")
	c.say(eo, "नहीं", "यह संदेश 4 लोगों को जाएगा (AMRUT बैच 1)")
	c.say(eo, "हाँ", "4 लोगों को भेजा जा रहा है")
	if m := c.wait(sarita, "का संदेश"); !strings.Contains(m.Text, bus) {
		t.Fatalf("batch 1 got %q", m.Text)
	}
	c.wait(eo, "आपका संदेश 4 लोगों के लिए था")
	time.Sleep(50 * time.Millisecond) // a wrong copy would have gone with the right one
	for _, m := range fake.SentTo(laxmi) {
		if strings.Contains(m.Text, bus) {
			t.Fatalf("batch 2 got batch 1's message: %q", m.Text)
		}
	}

	// स्थिति with an id after it, in Hindi; and without, a choice.
	st := c.say(eo, "स्थिति "+strings.ToUpper(b2.ID), "📋").Text
	if !strings.Contains(st, "AMRUT बैच 2 ("+b2.ID+")") || strings.Contains(st, "बैच 1") {
		t.Fatalf("स्थिति %s:\n%s", b2.ID, st)
	}
	c.say(eo, "स्थिति", "किस प्रशिक्षण की बात है")
	if st := c.say(eo, "2", "📋").Text; !strings.Contains(st, "AMRUT बैच 2") || strings.Contains(st, "बैच 1") {
		t.Fatalf("status of the second choice:\n%s", st)
	}
	pick = c.say(eo, "एक्सेल", "किस प्रशिक्षण की बात है")
	if doc := c.press(pick, want[0], "हर बुलाए गए व्यक्ति की एक पंक्ति"); doc.Document != "saathi-"+b1.ID+".xlsx" {
		t.Fatalf("एक्सेल of batch 1 sent %q", doc.Document)
	}
	c.say(eo, "एक्सेल "+b2.ID, "हर बुलाए गए व्यक्ति की एक पंक्ति")
	// कोड: only batch 1 has a day open now, so no question.
	if m := c.say(eo, "कोड", "हाज़िरी कोड"); !strings.Contains(m.Text, "AMRUT बैच 1") || strings.Contains(m.Text, "बैच 2") {
		t.Fatalf("कोड: %q", m.Text)
	}
}
