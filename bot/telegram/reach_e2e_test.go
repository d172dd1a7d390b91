package telegram_test

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// reachRoster: seven EOs in two divisions and the state admin.
const reachRoster = `क्रम,नाम,मोबाइल,पद,अधिकार,मंडल,जनपद,निकाय
1,अरुण मिश्र,9000000301,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा
2,बबिता यादव,9000000302,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत ओबरा
3,चंदन सिंह,9000000303,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत चोपन
4,दीपा वर्मा,9000000304,अधिशासी अधिकारी,,मिर्जापुर,मिर्जापुर,नगर पालिका परिषद चुनार
5,ईश्वर दत्त,9000000305,अधिशासी अधिकारी,,लखनऊ,हरदोई,नगर पालिका परिषद संडीला
6,फ़रहा ख़ान,9000000306,अधिशासी अधिकारी,,लखनऊ,हरदोई,नगर पालिका परिषद शाहाबाद
7,गोपाल राम,9000000307,अधिशासी अधिकारी,,लखनऊ,लखनऊ,नगर पंचायत अमेठी
8,कमला तिवारी,9000000312,राज्य समन्वयक,एडमिन,,,
`

// TestReachByPlaceInStatusExportAndBroadcast: of seven invited EOs in two
// divisions, three have written on Telegram (one of them on WhatsApp too),
// one more on WhatsApp only, three on neither. The state admin's status
// says so by division and ends with how to get the links of the three;
// sent as it says, लिंक offers their sheet; the Excel has each invitee's
// reach and the counts by division; a broadcast's preview says who gets it
// now, on which channel, who waits and until when, by division.
func TestReachByPlaceInStatusExportAndBroadcast(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.svc.Links = links.Bot{TelegramUsername: telegramtest.BotUsername, WhatsAppNumber: "919876543210"}
	svc, c := w.svc, w.c
	people, bad, err := roster.ParseCSV(strings.NewReader(reachRoster))
	if err != nil || len(bad) != 0 {
		t.Fatalf("roster: %v %v", bad, err)
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	const admin = int64(6100)
	w.link(t, admin, "+919000000312", "कमला तिवारी")
	for _, tg := range []struct {
		chat        int64
		phone, name string
	}{{6001, "+919000000301", "अरुण मिश्र"}, {6004, "+919000000304", "दीपा वर्मा"}, {6005, "+919000000305", "ईश्वर दत्त"}} {
		w.link(t, tg.chat, tg.phone, tg.name)
	}
	for _, phone := range []string{"+919000000302", "+919000000304"} { // बबिता, and दीपा on both
		if err := svc.Identity.Link(ctx, "whatsapp", phone[1:], phone); err != nil {
			t.Fatal(err)
		}
	}
	tr := w.train(t, training.Spec{Title: "कर्मयोगी: वित्त", Venue: "लखनऊ", Start: "2026-12-05T10:00", Days: 1, Invite: "पद=अधिशासी अधिकारी"}, 7)
	c.wait(6001, "प्रशिक्षण का निमंत्रण")
	c.say(6001, "हाँ", "जगह पक्की")

	// Status: the totals' reach after the counts, each division's under its
	// counts, the hint last.
	status := strings.Split(c.say(admin, "स्थिति", "मंडल के हिसाब से").Text, "\n")
	after := func(line string) string {
		i := slices.Index(status, line)
		if i < 0 || i+1 >= len(status) {
			t.Fatalf("status has no line %q:\n%s", line, strings.Join(status, "\n"))
		}
		return status[i+1]
	}
	for line, want := range map[string]string{
		"हाज़िरी: दिन 1: 0": "पहुँच: Telegram पर 3 · WhatsApp पर 2 · अभी नहीं 3",
		"• मिर्जापुर: बुलाए 4 · आएँगे 1 · नहीं 0 · पता नहीं 0 · जवाब नहीं 3": "   पहुँच: Telegram पर 2 · WhatsApp पर 2 · अभी नहीं 1",
		"• लखनऊ: बुलाए 3 · आएँगे 0 · नहीं 0 · पता नहीं 0 · जवाब नहीं 3":      "   पहुँच: Telegram पर 1 · WhatsApp पर 0 · अभी नहीं 2",
	} {
		if got := after(line); got != want {
			t.Errorf("after %q the status says\n%q, want\n%q", line, got, want)
		}
	}
	if !slices.Contains(status, "बुलाए गए 7 · आएँगे 1 · नहीं 0 · पता नहीं 0 · जवाब नहीं 6 · प्रतीक्षा 0") {
		t.Errorf("status counts:\n%s", strings.Join(status, "\n"))
	}
	hint := "जिन 3 लोगों तक अभी नहीं पहुँचे, उनके निजी लिंक के लिए लिखें: लिंक " + tr.ID
	if last := status[len(status)-1]; last != hint {
		t.Errorf("status ends %q, want %q", last, hint)
	}

	// The hint, sent: the sheet of the three, with their links.
	ask := c.say(admin, "लिंक "+tr.ID, "3 लोग अभी साथी से नहीं जुड़े, 4 जुड़ चुके हैं। किनके लिंक चाहिए?")
	doc := c.press(ask, "जो अभी नहीं जुड़े", "3 लोगों के निजी लिंक")
	x, err := excelize.OpenReader(bytes.NewReader(doc.DocumentData))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := x.GetRows("लिंक")
	if err != nil {
		t.Fatal(err)
	}
	var unreached []string
	for _, r := range sheet[1:] {
		if !strings.HasPrefix(cell([][]string{r}, 0, 5), "https://t.me/"+telegramtest.BotUsername+"?start=") ||
			!strings.HasPrefix(cell([][]string{r}, 0, 7), "https://wa.me/919876543210?text=") {
			t.Errorf("links of %s: %q", r[0], r)
		}
		unreached = append(unreached, r[0])
	}
	slices.Sort(unreached)
	if want := []string{"गोपाल राम", "चंदन सिंह", "फ़रहा ख़ान"}; !reflect.DeepEqual(unreached, want) {
		t.Errorf("the sheet of those not reached has %q, want %q", unreached, want)
	}

	// The Excel: each invitee's reach after the answer, and by division.
	doc = c.say(admin, "एक्सेल", "हर बुलाए गए व्यक्ति की एक पंक्ति")
	if x, err = excelize.OpenReader(bytes.NewReader(doc.DocumentData)); err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("प्रशिक्षण")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0][6:11], []string{"निकाय", "वार्ड", "जवाब", "पहुँच", "न आने का कारण"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("export header %q, want %q in columns 7 to 11", rows[0], want)
	}
	reach := map[string][2]string{}
	for _, r := range rows[1:] {
		reach[r[0]] = [2]string{cell([][]string{r}, 0, 8), cell([][]string{r}, 0, 9)}
	}
	for name, want := range map[string][2]string{
		"अरुण मिश्र": {"आएँगे", "Telegram"},
		"बबिता यादव": {"जवाब नहीं", "WhatsApp"},
		"चंदन सिंह":  {"जवाब नहीं", "अभी नहीं"},
		"दीपा वर्मा": {"जवाब नहीं", "Telegram, WhatsApp"},
		"ईश्वर दत्त": {"जवाब नहीं", "Telegram"},
		"फ़रहा ख़ान": {"जवाब नहीं", "अभी नहीं"},
		"गोपाल राम":  {"जवाब नहीं", "अभी नहीं"},
	} {
		if got := reach[name]; got != want {
			t.Errorf("export row of %s: answer and reach %q, want %q", name, got, want)
		}
	}
	if len(rows) != 8 {
		t.Errorf("export has %d rows, want the header and 7", len(rows))
	}
	summary := summaryCounts(t, x, "मंडल")
	wantSummary := [][]string{
		{"मंडल", "Telegram पर", "WhatsApp पर", "अभी किसी पर नहीं"},
		{"मिर्जापुर", "2", "2", "1"},
		{"लखनऊ", "1", "0", "2"},
		{"कुल", "3", "2", "3"},
	}
	if len(summary) < len(wantSummary) {
		t.Fatalf("summary sheet %q", summary)
	}
	for i, want := range wantSummary {
		// the place, then the reach columns after the answers and the day
		got := []string{cell(summary, i, 0), cell(summary, i, 8), cell(summary, i, 9), cell(summary, i, 10)}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("summary row %d: %q, want %q (the whole row: %q)", i+1, got, want, summary[i])
		}
	}

	// A broadcast to everyone invited: who gets it now, who waits, until when.
	c.say(admin, "प्रसारण", "संदेश किसे भेजना है")
	c.say(admin, "1", "संदेश लिखें")
	c.say(admin, "बस सुबह 6 बजे चलेगी", "कोई फ़ाइल भेजनी है")
	preview := c.say(admin, "नहीं", "यह संदेश 7 लोगों को जाएगा").Text
	if want := "अभी मिलेगा: Telegram पर 3 · WhatsApp पर 2\n" +
		"3 लोग अभी साथी से नहीं जुड़े। उनके लिए संदेश सोमवार, 30 नवंबर, दोपहर 12 बजे तक रुका रहेगा: तब तक वे पहली बार लिखें, तो उन्हें मिल जाएगा।\n" +
		"मंडल के हिसाब से:\n" +
		"• मिर्जापुर: Telegram पर 2 · WhatsApp पर 2 · अभी नहीं 1\n" +
		"• लखनऊ: Telegram पर 1 · WhatsApp पर 0 · अभी नहीं 2\n" +
		hint; !strings.HasSuffix(preview, want) {
		t.Errorf("broadcast preview:\n%s\nwant it to end\n%s", preview, want)
	}
	c.say(admin, "नहीं", "संदेश नहीं भेजा")
}

// train creates the training of spec and invites, wanting invited people.
func (w *world) train(t *testing.T, spec training.Spec, invited int) training.Training {
	t.Helper()
	ctx := context.Background()
	tr, err := spec.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = w.svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := w.svc.Invite(ctx, tr); n != invited || err != nil {
		t.Fatalf("invited %d (%v), want %d", n, err, invited)
	}
	return tr
}

// summaryCounts are the rows of an export's सारांश sheet from the counts'
// header (whose first cell is head) on: the training's title, dates and
// venue come before it, then a blank row.
func summaryCounts(t *testing.T, x *excelize.File, head string) [][]string {
	t.Helper()
	summary, err := x.GetRows("सारांश")
	if err != nil {
		t.Fatal(err)
	}
	for len(summary) > 0 && (len(summary[0]) == 0 || summary[0][0] != head) {
		summary = summary[1:]
	}
	return summary
}
