package telegram_test

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// karmayogiRoster is shaped like the Mission Karmayogi sheet: the officials
// of urban bodies in three divisions with their Hindi designations in a पद
// column, grants in an अधिकार column, one EO with the additional charge of
// a second नगर पंचायत (two rows, one phone), a sabhasad and a JJM MIS
// coordinator who are no officials, the state admin and a division's JJM
// coordinator — and one coordinator row with no place, which is refused.
const karmayogiRoster = `मिशन कर्मयोगी — नगरीय निकाय अधिकारी
क्रम,नाम,मोबाइल,पद,अधिकार,मंडल,जनपद,निकाय
1,अरुण मिश्र,9000000201,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा
2,अरुण मिश्र,9000000201,अधिशासी अधिकारी,,मिर्जापुर,सोनभद्र,नगर पंचायत ओबरा
3,गीता देवी,9000000202,अध्यक्ष,,मिर्जापुर,सोनभद्र,नगर पंचायत चोपन
4,मनोज यादव,9000000203,ई.ओ.,,मिर्जापुर,सोनभद्र,नगर पंचायत दुद्धी
5,रीना वर्मा,9000000204,नगर आयुक्त,,लखनऊ,लखनऊ,नगर निगम लखनऊ
6,संजय शुक्ल,9000000205,अपर नगर आयुक्त,,लखनऊ,लखनऊ,नगर निगम लखनऊ
7,पूजा सिंह,9000000206,अधिशासी अधिकारी,,लखनऊ,हरदोई,नगर पालिका परिषद संडीला
8,अजय गुप्ता,9000000207,चेयरमैन,,लखनऊ,हरदोई,नगर पालिका परिषद संडीला
9,विकास राय,9000000208,Nagar Ayukt,,वाराणसी,वाराणसी,नगर निगम वाराणसी
10,नेहा पाठक,9000000209,executive officer,,वाराणसी,चंदौली,नगर पंचायत रामनगर
11,सरिता राजभर,9000000210,सभासद,,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा
12,सुमन देवी,9000000211,MIS coordinator,,मिर्जापुर,सोनभद्र,
13,कमला तिवारी,9000000212,राज्य समन्वयक,एडमिन,,,
14,राहुल वर्मा,9000000213,जिला समन्वयक,समन्वयक,मिर्जापुर,,
15,बिना क्षेत्र,9000000214,,समन्वयक,,,
`

// TestKarmayogiOfficialsByDivision: the Karmayogi roster imports (the
// coordinator without a place is refused by line, the rest go in), a
// training invites the officials only by designation, some answer over
// Telegram and one checks in, and the state admin's status and Excel
// break it all down by division, cell by cell. A division's JJM
// coordinator then invites the MIS coordinators through नया प्रशिक्षण.
func TestKarmayogiOfficialsByDivision(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, clk, c := w.svc, w.clk, w.c

	people, bad, err := roster.ParseCSV(strings.NewReader(karmayogiRoster))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Hindi(), "पंक्ति 17: समन्वयक का क्षेत्र नहीं लिखा है") {
		t.Fatalf("bad rows %v, want only line 17 (a coordinator without a place)", bad)
	}
	if len(people) != 13 { // 14 good rows, two of them one person
		t.Fatalf("%d people, want 13", len(people))
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}

	// The officials, by designation: not the sabhasad, the MIS coordinator
	// or the coordinators.
	tr, err := training.Spec{
		Title: "कर्मयोगी: नगरीय प्रशासन", Venue: "लखनऊ", Start: "2026-12-05T10:00", Days: 2, End: "17:00",
		Invite: "पद=अधिशासी अधिकारी|नगर आयुक्त|अपर नगर आयुक्त|अध्यक्ष",
	}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Invite(ctx, tr); n != 9 || err != nil {
		t.Fatalf("invited %d (%v), want the 9 officials", n, err)
	}

	type official struct {
		chat         int64
		phone, name  string
		answer, want string // "" answers nothing
	}
	officials := []official{
		{4001, "+919000000201", "अरुण मिश्र", "हाँ", "जगह पक्की"},
		{4002, "+919000000202", "गीता देवी", "नहीं", "न आ पाने का कारण"},
		{4003, "+919000000203", "मनोज यादव", "", ""},
		{4004, "+919000000204", "रीना वर्मा", "haan", "जगह पक्की"},
		{4005, "+919000000205", "संजय शुक्ल", "पता नहीं", "जब तय हो जाए"},
		{4006, "+919000000206", "पूजा सिंह", "👍", "जगह पक्की"},
		{4007, "+919000000207", "अजय गुप्ता", "", ""},
		{4008, "+919000000208", "विकास राय", "हाँ", "जगह पक्की"},
		{4009, "+919000000209", "नेहा पाठक", "", ""},
	}
	for _, o := range officials {
		w.link(t, o.chat, o.phone, o.name)
		c.wait(o.chat, "प्रशिक्षण का निमंत्रण")
		if o.answer != "" {
			c.say(o.chat, o.answer, o.want)
		}
	}
	c.say(4002, "1", "दर्ज कर लिया")
	for _, phone := range []string{"+919000000210", "+919000000211", "+919000000212", "+919000000213"} {
		if inv, _ := svc.Trainings.Invitees(ctx, tr.ID); inv[phone] != "" {
			t.Errorf("%s is no official but was invited", phone)
		}
	}

	// Day 1: the admin shows the code, the EO of two bodies checks in.
	const admin = int64(4100)
	w.link(t, admin, "+919000000212", "कमला तिवारी")
	clk.Set(ist("2026-12-05 09:45"))
	code := regexp.MustCompile(`दिन 1: (\d{4})`).FindStringSubmatch(c.say(admin, "कोड", "हाज़िरी कोड").Text)
	if code == nil {
		t.Fatal("no day 1 code")
	}
	c.say(4001, "हाज़िरी", "दिन 1 की हाज़िरी")
	c.say(4001, code[1], "हाज़िरी लग गई")

	// The admin's status, by division, with who has not answered.
	status := c.say(admin, "स्थिति", "मंडल के हिसाब से").Text
	for _, want := range []string{
		"बुलाए गए 9 · आएँगे 4 · नहीं 1 · पता नहीं 1 · जवाब नहीं 3 · प्रतीक्षा 0",
		"• मिर्जापुर: बुलाए 3 · आएँगे 1 · नहीं 1 · पता नहीं 0 · जवाब नहीं 1 · हाज़िरी दिन 1: 1, दिन 2: 0",
		"• लखनऊ: बुलाए 4 · आएँगे 2 · नहीं 0 · पता नहीं 1 · जवाब नहीं 1\n",
		"• वाराणसी: बुलाए 2 · आएँगे 1 · नहीं 0 · पता नहीं 0 · जवाब नहीं 1\n",
		"जवाब नहीं दिया: मनोज यादव, अजय गुप्ता, नेहा पाठक",
	} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}

	// The Excel the admin gets in chat.
	doc := c.say(admin, "एक्सेल", "हर बुलाए गए व्यक्ति की एक पंक्ति")
	x, err := excelize.OpenReader(bytes.NewReader(doc.DocumentData))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	summary := summaryCounts(t, x, "मंडल")
	wantSummary := [][]string{
		{"मंडल", "बुलाए गए", "आएँगे", "नहीं आएँगे", "पता नहीं", "जवाब नहीं", "प्रतीक्षा सूची",
			"दिन 1 हाज़िरी (" + locales.Date("hi", tr.Days[0].Start, time.Now()) + ")", "दिन 2 हाज़िरी (" + locales.Date("hi", tr.Days[1].Start, time.Now()) + ")"},
		{"मिर्जापुर", "3", "1", "1", "0", "1", "0", "1", "0"},
		{"लखनऊ", "4", "2", "0", "1", "1", "0", "0", "0"},
		{"वाराणसी", "2", "1", "0", "0", "1", "0", "0", "0"},
		{"कुल", "9", "4", "1", "1", "3", "0", "1", "0"},
		nil,
		{"निकाय: 8 को बुलाया, 5 से कोई आएगा, 2 से कोई आया"},
	}
	if len(summary) != len(wantSummary) {
		t.Fatalf("summary sheet:\n%q\nwant\n%q", summary, wantSummary)
	}
	for i := range wantSummary {
		for j := range wantSummary[i] {
			if got := cell(summary, i, j); got != wantSummary[i][j] {
				t.Errorf("summary row %d column %d: %q, want %q", i+1, j+1, got, wantSummary[i][j])
			}
		}
	}
	sheet, err := x.GetRows("प्रशिक्षण")
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"नाम", "मोबाइल", "पद", "मंडल", "जनपद", "विकासखंड", "निकाय", "वार्ड", "जवाब"}
	if !reflect.DeepEqual(sheet[0][:len(head)], head) {
		t.Errorf("export header %q, want it to start %q", sheet[0], head)
	}
	rows := map[string][]string{}
	for _, r := range sheet[1:] {
		rows[r[0]] = r
	}
	for name, want := range map[string][]string{
		"अरुण मिश्र": {"अरुण मिश्र", "+919000000201", "अधिशासी अधिकारी", "मिर्जापुर", "सोनभद्र", "", "नगर पंचायत अनपरा, नगर पंचायत ओबरा", "", "आएँगे"},
		"अजय गुप्ता": {"अजय गुप्ता", "+919000000207", "अध्यक्ष", "लखनऊ", "हरदोई", "", "नगर पालिका परिषद संडीला", "", "जवाब नहीं"},
		"विकास राय":  {"विकास राय", "+919000000208", "नगर आयुक्त", "वाराणसी", "वाराणसी", "", "नगर निगम वाराणसी", "", "आएँगे"},
	} {
		for j, v := range want {
			if got := cell([][]string{rows[name]}, 0, j); got != v {
				t.Errorf("export row of %s, column %q: %q, want %q", name, head[j], got, v)
			}
		}
	}
	if len(sheet) != 10 {
		t.Errorf("export has %d rows, want the header and 9", len(sheet))
	}

	// The JJM coordinator of मिर्जापुर invites the MIS coordinators.
	const jjm = int64(4200)
	clk.Set(ist("2026-11-24 12:00"))
	w.link(t, jjm, "+919000000213", "राहुल वर्मा")
	c.say(jjm, "नया प्रशिक्षण", "इसका नाम क्या है")
	c.say(jjm, "JJM MIS कार्यशाला", "विषय क्या है")
	c.say(jjm, "डैशबोर्ड और रिपोर्ट", "कहाँ होगा")
	c.say(jjm, "विकास भवन, मिर्जापुर", "किस तारीख़")
	c.say(jjm, "10/12/2026", "कितने बजे")
	c.say(jjm, "1", "कितने दिन")
	c.say(jjm, "1", "कौन-कौन से विषय")
	who := c.say(jjm, "डैशबोर्ड, रिपोर्ट", "किन्हें बुलाना है")
	var offered []string
	for _, row := range who.Keyboard {
		for _, b := range row {
			offered = append(offered, b.Text)
		}
	}
	if want := []string{"सभासद", "अध्यक्ष", "अधिशासी अधिकारी", "MIS समन्वयक", "जिला समन्वयक", "📋 सूची भेजें (एक्सेल/CSV में मोबाइल नंबर)"}; !reflect.DeepEqual(offered, want) {
		t.Errorf("designations offered %q, want those of मिर्जापुर's people, then a list to send %q", offered, want)
	}
	c.press(who, "MIS समन्वयक", "किस निकाय या ब्लॉक")
	c.say(jjm, "सभी", "याद दिलाने के संदेश कब जाएँ?")
	c.say(jjm, "लंबी यात्रा", "आने-जाने या मिलने की जगह")
	sum := c.say(jjm, "बस सुबह 6 बजे सोनभद्र कलेक्ट्रेट से चलेगी", "किन्हें: MIS समन्वयक, सभी")
	if !strings.Contains(sum.Text, "याद दिलाना: लंबी यात्रा: 2 दिन पहले सुबह 10 बजे भी") || !strings.Contains(sum.Text, "🚌 बस सुबह 6 बजे सोनभद्र कलेक्ट्रेट से चलेगी") {
		t.Errorf("new training's summary:\n%s", sum.Text)
	}
	c.say(jjm, "हाँ", "1 लोगों को निमंत्रण")
	ts, err := svc.Trainings.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range ts {
		if x.Title != "JJM MIS कार्यशाला" {
			continue
		}
		found = true
		if strings.Join(x.Reminders, ",") != "2d@10:00,eve,2h" || x.Note != "बस सुबह 6 बजे सोनभद्र कलेक्ट्रेट से चलेगी" {
			t.Errorf("the workshop's reminder plan %q, note %q", x.Reminders, x.Note)
		}
	}
	if !found {
		t.Error("the workshop made in chat is not stored")
	}
	const mis = int64(4300)
	w.link(t, mis, "+919000000211", "सुमन देवी")
	if inv := c.wait(mis, "प्रशिक्षण का निमंत्रण"); !strings.Contains(inv.Text, "JJM MIS कार्यशाला") {
		t.Errorf("the MIS coordinator's invitation:\n%s", inv.Text)
	}
}

// cell is rows[i][j], or "" past the end (GetRows drops empty cells at a
// row's end).
func cell(rows [][]string, i, j int) string {
	if i >= len(rows) || j >= len(rows[i]) {
		return ""
	}
	return rows[i][j]
}
