package telegram_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// TestFeedbackByDivisionAndStateSummary (issue 13, points 4 and 5): the
// Karmayogi officials come to a one-day training and rate it over
// Telegram; the state admin's स्थिति and Excel break the feedback down by
// division (how many, average rating, the module most found useful), cell
// by cell. Then, with three more trainings running and to come, the
// admin's bare स्थिति is one screen by division — trainings running and
// to come, invited, coming, attended so far — with how to see one, and a
// training chosen from it shows in full.
func TestFeedbackByDivisionAndStateSummary(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, clk, c := w.svc, w.clk, w.c
	w.importKarmayogi(t)
	create := func(title, start string, days int, invite string) training.Training {
		t.Helper()
		tr, err := training.Spec{Title: title, Venue: "लखनऊ", Start: start, Days: days, End: "17:00",
			Modules: []string{"बजट", "सफ़ाई", "जल आपूर्ति"}, Invite: invite}.Training()
		if err != nil {
			t.Fatal(err)
		}
		if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Invite(ctx, tr); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	const officials = "पद=अधिशासी अधिकारी|नगर आयुक्त|अपर नगर आयुक्त|अध्यक्ष"
	// 9 officials: मिर्जापुर 201–203, लखनऊ 204–207, वाराणसी 208–209.
	f := create("कर्मयोगी: वित्त", "2026-11-24T10:00", 1, officials)
	chat := func(phone string) int64 { return 5000 + int64(phone[len(phone)-1]-'0') }
	for i, name := range []string{"अरुण मिश्र", "गीता देवी", "मनोज यादव", "रीना वर्मा", "संजय शुक्ल", "पूजा सिंह", "अजय गुप्ता", "विकास राय", "नेहा पाठक"} {
		phone := "+91900000020" + string(rune('1'+i))
		w.link(t, chat(phone), phone, name)
		c.wait(chat(phone), "प्रशिक्षण का निमंत्रण")
	}
	const admin = int64(5100)
	w.link(t, admin, "+919000000212", "कमला तिवारी")

	// The day: six check in by the code.
	clk.Set(ist("2026-11-24 10:30"))
	code := regexp.MustCompile(`दिन 1: (\d{4})`).FindStringSubmatch(c.say(admin, "कोड", "हाज़िरी कोड").Text)
	if code == nil {
		t.Fatal("no code")
	}
	came := []string{"+919000000201", "+919000000202", "+919000000204", "+919000000205", "+919000000206", "+919000000208"}
	for _, phone := range came {
		c.say(chat(phone), "हाज़िरी", "दिन 1 की हाज़िरी")
		c.say(chat(phone), code[1], "हाज़िरी लग गई")
	}

	// After it, five rate it; वाराणसी's one who came does not.
	clk.Set(ist("2026-11-24 18:00"))
	if n, err := svc.FeedbackDue(ctx, clk.Now()); n != 6 || err != nil {
		t.Fatalf("feedback asked of %d (%v), want 6", n, err)
	}
	for _, fb := range []struct{ phone, stars, module string }{
		{"+919000000201", "5", "बजट"}, {"+919000000202", "4", "बजट"}, // मिर्जापुर: 4.5
		{"+919000000204", "3", "सफ़ाई"}, {"+919000000205", "4", "जल आपूर्ति"}, {"+919000000206", "2", "सफ़ाई"}, // लखनऊ: 3.0
	} {
		ch := chat(fb.phone)
		c.wait(ch, "प्रशिक्षण कैसा लगा")
		c.say(ch, fb.stars, "सबसे काम का")
		c.say(ch, fb.module, "क्या कुछ छूट गया")
		c.say(ch, "कुछ नहीं", "और प्रशिक्षण चाहिए")
		c.say(ch, "नहीं", "अपना अनुभव बताइए")
		c.say(ch, "नहीं", "राय दर्ज")
	}

	status := c.say(admin, "स्थिति "+f.ID, "📋").Text
	wantFeedback := "राय: 5 लोग, औसत 3.6 ⭐ (5⭐ 1, 4⭐ 2, 3⭐ 1, 2⭐ 1, 1⭐ 0)"
	wantByDivision := "मंडल के हिसाब से राय:\n" +
		"• मिर्जापुर: राय दी 2 · औसत 4.5 ⭐ · सबसे काम का विषय: बजट\n" +
		"• लखनऊ: राय दी 3 · औसत 3.0 ⭐ · सबसे काम का विषय: सफ़ाई\n" +
		"• वाराणसी: अभी किसी ने राय नहीं दी\n"
	if !strings.Contains(status, wantFeedback) || !strings.Contains(status, wantByDivision) {
		t.Errorf("status lacks the feedback\n%s\nand by division\n%s\nit is:\n%s", wantFeedback, wantByDivision, status)
	}
	if i, j := strings.Index(status, "मंडल के हिसाब से:"), strings.Index(status, wantByDivision); i < 0 || j < i {
		t.Errorf("the feedback by division comes after the counts by division:\n%s", status)
	}
	en, err := svc.StatusReport(ctx, "en", f, roster.LevelDivision, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Feedback by division:\n• मिर्जापुर: feedback 2 · average 4.5 ⭐ · most useful: बजट\n" +
		"• लखनऊ: feedback 3 · average 3.0 ⭐ · most useful: सफ़ाई\n• वाराणसी: no feedback yet\n"; !strings.Contains(en, want) {
		t.Errorf("English status lacks\n%s\nit is:\n%s", want, en)
	}

	// The Excel's summary sheet: feedback given and average rating by division.
	doc := c.say(admin, "एक्सेल "+f.ID, "हर बुलाए गए व्यक्ति की एक पंक्ति")
	x, err := excelize.OpenReader(bytes.NewReader(doc.DocumentData))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	checkSummary(t, x, [][]string{
		{"मंडल", "बुलाए गए", "आएँगे", "नहीं आएँगे", "पता नहीं", "जवाब नहीं", "प्रतीक्षा सूची",
			"दिन 1 हाज़िरी (" + locales.Date("hi", f.Days[0].Start, time.Now()) + ")",
			"Telegram पर", "WhatsApp पर", "अभी किसी पर नहीं", "राय दी", "औसत रेटिंग"},
		{"मिर्जापुर", "3", "0", "0", "0", "3", "0", "2", "3", "0", "0", "2", "4.5"},
		{"लखनऊ", "4", "0", "0", "0", "4", "0", "3", "4", "0", "0", "3", "3"},
		{"वाराणसी", "2", "0", "0", "0", "2", "0", "1", "2", "0", "0", "0", ""},
		{"कुल", "9", "0", "0", "0", "9", "0", "6", "9", "0", "0", "5", "3.6"},
		nil,
		{"निकाय: 8 को बुलाया, 0 से कोई आएगा, 6 से कोई आया"},
	})

	// Three more: one running from tomorrow in मिर्जापुर, one to come in
	// लखनऊ and वाराणसी, one to come everywhere.
	r1 := create("कर्मयोगी: मिर्जापुर", "2026-11-25T10:00", 2, officials+",मंडल=मिर्जापुर")
	u1 := create("कर्मयोगी: लखनऊ-वाराणसी", "2026-12-02T10:00", 1, officials+",मंडल=लखनऊ|वाराणसी")
	u2 := create("कर्मयोगी: पूरा प्रदेश", "2026-12-09T10:00", 1, officials)
	now := ist("2026-11-25 11:00")
	clk.Set(now)
	for _, a := range []struct {
		tr     training.Training
		phone  string
		answer string
	}{
		{r1, "+919000000201", training.StatusYes}, {r1, "+919000000202", training.StatusYes}, {r1, "+919000000203", training.StatusNo},
		{u1, "+919000000204", training.StatusYes}, {u1, "+919000000208", training.StatusMaybe},
		{u2, "+919000000201", training.StatusYes}, {u2, "+919000000206", training.StatusYes}, {u2, "+919000000209", training.StatusYes},
	} {
		if _, err := svc.Trainings.Answer(ctx, a.tr.ID, a.phone, a.answer, "", ist("2026-11-24 19:00")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Trainings.CheckIn(ctx, r1.ID, "+919000000201", 0, training.MethodCode, now); err != nil {
		t.Fatal(err)
	}

	screen := c.say(admin, "स्थिति", "चल रहे और आने वाले प्रशिक्षण")
	wantLines := []string{
		"📊 चल रहे और आने वाले प्रशिक्षण, मंडल के हिसाब से:",
		"• लखनऊ: चल रहे 0 · आने वाले 2 · बुलाए 8 · आएँगे 2 · हाज़िरी 0",
		"• मिर्जापुर: चल रहे 1 · आने वाले 1 · बुलाए 6 · आएँगे 3 · हाज़िरी 1",
		"• वाराणसी: चल रहे 0 · आने वाले 2 · बुलाए 4 · आएँगे 1 · हाज़िरी 0",
		"कुल: चल रहे 1 · आने वाले 2 · बुलाए 18 · आएँगे 6 · हाज़िरी 1",
		"",
		"किसी एक प्रशिक्षण की पूरी स्थिति के लिए नीचे से चुनिए, या ऐसे लिखिए: स्थिति " + r1.ID,
	}
	lines := strings.Split(screen.Text, "\n")
	if len(lines) != len(wantLines) {
		t.Fatalf("the admin's screen:\n%s\nwant\n%s", screen.Text, strings.Join(wantLines, "\n"))
	}
	for i, want := range wantLines {
		if lines[i] != want {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], want)
		}
	}
	var offered []string
	for _, row := range screen.Keyboard {
		for _, b := range row {
			offered = append(offered, b.Text)
		}
	}
	wantOffered := []string{ // running, to come, then over lately
		"कर्मयोगी: मिर्जापुर (" + r1.ID + ") · बुधवार, 25 नवंबर", "कर्मयोगी: लखनऊ-वाराणसी (" + u1.ID + ") · बुधवार, 2 दिसंबर",
		"कर्मयोगी: पूरा प्रदेश (" + u2.ID + ") · बुधवार, 9 दिसंबर", "कर्मयोगी: वित्त (" + f.ID + ") · मंगलवार, 24 नवंबर",
	}
	if strings.Join(offered, "|") != strings.Join(wantOffered, "|") {
		t.Errorf("offered %q, want %q", offered, wantOffered)
	}
	if n := len(lines) + len(screen.Keyboard); n > 25 {
		t.Errorf("the screen takes %d lines and buttons, more than a phone's 25", n)
	}
	full := c.press(screen, wantOffered[1], "📋").Text
	if !strings.Contains(full, "कर्मयोगी: लखनऊ-वाराणसी ("+u1.ID+")") || !strings.Contains(full, "• लखनऊ: बुलाए 4 · आएँगे 1 ·") || strings.Contains(full, "पूरा प्रदेश") {
		t.Errorf("the training chosen:\n%s", full)
	}

	// Past the lines it may take, the rest of the places are one line (a
	// training in two of them counts once); and in English.
	all := []training.Training{f, r1, u1, u2}
	short, err := svc.Overview(ctx, "hi", all, roster.LevelDivision, now, 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := "📊 चल रहे और आने वाले प्रशिक्षण, मंडल के हिसाब से:\n" +
		"• लखनऊ: चल रहे 0 · आने वाले 2 · बुलाए 8 · आएँगे 2 · हाज़िरी 0\n" +
		"• और 2 मंडल: चल रहे 1 · आने वाले 2 · बुलाए 10 · आएँगे 4 · हाज़िरी 1\n" +
		"कुल: चल रहे 1 · आने वाले 2 · बुलाए 18 · आएँगे 6 · हाज़िरी 1"; short != want {
		t.Errorf("four lines:\n%s\nwant\n%s", short, want)
	}
	english, err := svc.Overview(ctx, "en", all, roster.LevelDivision, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "📊 Running and upcoming trainings, by division:\n" +
		"• लखनऊ: running 0 · upcoming 2 · invited 8 · coming 2 · attended 0\n"; !strings.HasPrefix(english, want) ||
		!strings.HasSuffix(english, "\nTotal: running 1 · upcoming 2 · invited 18 · coming 6 · attended 1") {
		t.Errorf("English summary:\n%s", english)
	}
}

// importKarmayogi puts karmayogiRoster's good rows on the roster.
func (w *world) importKarmayogi(t *testing.T) {
	t.Helper()
	people, _, err := roster.ParseCSV(strings.NewReader(karmayogiRoster))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Roster.Import(context.Background(), people, false); err != nil {
		t.Fatal(err)
	}
}

// checkSummary compares the counts of x's summary sheet by division with
// want, cell by cell, every cell of every row.
func checkSummary(t *testing.T, x *excelize.File, want [][]string) {
	t.Helper()
	summary := summaryCounts(t, x, "मंडल")
	if len(summary) != len(want) {
		t.Fatalf("summary sheet:\n%q\nwant\n%q", summary, want)
	}
	for i := range want {
		for j := range max(len(want[i]), len(summary[i])) {
			if got, w := cell(summary, i, j), cell(want, i, j); got != w {
				t.Errorf("summary row %d column %d: %q, want %q", i+1, j+1, got, w)
			}
		}
	}
}
