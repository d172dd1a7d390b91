package telegram_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// clock is the test's controllable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// chats reads the fake's sent messages chat by chat, each at most once.
type chats struct {
	t    *testing.T
	fake *telegramtest.Server
	seen map[int64]int // messages of the chat already read
}

// wait returns the next message to chat that contains want, skipping the
// ones before it, or fails the test.
func (c *chats) wait(chat int64, want string) telegramtest.SentMessage {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var mine []telegramtest.SentMessage
		for _, m := range c.fake.Sent() {
			if m.ChatID == chat {
				mine = append(mine, m)
			}
		}
		for i := c.seen[chat]; i < len(mine); i++ {
			if strings.Contains(mine[i].Text, want) {
				c.seen[chat] = i + 1
				return mine[i]
			}
		}
		if time.Now().After(deadline) {
			var texts []string
			for _, m := range mine {
				texts = append(texts, m.Text)
			}
			c.t.Fatalf("chat %d: no message with %q; it got:\n%s", chat, want, strings.Join(texts, "\n---\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// say sends text from chat and waits for the reply that contains want.
func (c *chats) say(chat int64, text, want string) telegramtest.SentMessage {
	c.t.Helper()
	c.fake.PushText(chat, text)
	return c.wait(chat, want)
}

// press presses the button labelled label under m and waits for want.
func (c *chats) press(m telegramtest.SentMessage, label, want string) telegramtest.SentMessage {
	c.t.Helper()
	for _, row := range m.Keyboard {
		for _, b := range row {
			if b.Text == label {
				c.fake.PushCallback(m.ChatID, m.MessageID, b.Data)
				return c.wait(m.ChatID, want)
			}
		}
	}
	c.t.Fatalf("no button %q under %q: %+v", label, m.Text, m.Keyboard)
	return telegramtest.SentMessage{}
}

func ist(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, locales.IST)
	if err != nil {
		panic(err)
	}
	return t
}

// TestTrainingLifecycleOverTelegram: the sample roster is imported, a
// two-day training invites नगर पंचायत अनपरा's eight sabhasads, they link
// and answer in varied Hindi, check in by code and by location, give
// feedback, and the export holds exactly what they said.
// world is the whole of Saathi over the fake Telegram, on Redis, with a
// controllable clock and the event queue running.
type world struct {
	rdb  *redis.Client
	svc  *services.Services
	fake *telegramtest.Server
	clk  *clock
	c    *chats
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBE2E, nil)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	fake := telegramtest.NewServer(t)
	tg := newBot(t, fake, func(c *telegram.Config) { c.Files = svc.KeptFiles })
	svc.Files[telegram.Channel] = tg
	limiter := testLimiter(fake, rdb)
	svc.Posters[telegram.Channel] = delivery.PacedPoster(tg, limiter)
	clk := &clock{t: ist("2026-11-23 12:00")}
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: store.New(rdb, time.Hour),
		Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(tg, limiter)}, Logger: log, Now: clk.Now, OnDelivered: svc.Delivered,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	router := &bot.EventRouter{Dispatcher: d, Identity: svc.Identity, Queue: svc.Events, Channels: []string{telegram.Channel}, Logger: log, NoChat: svc.NoChat}
	evCtx, stopEvents := context.WithCancel(ctx)
	evDone := make(chan struct{})
	go func() { svc.Events.Consume(evCtx, "serve", "e2e", router.Handle); close(evDone) }()
	t.Cleanup(func() { stopEvents(); <-evDone })
	startPoll(t, tg, d)
	return &world{rdb: rdb, svc: svc, fake: fake, clk: clk, c: &chats{t: t, fake: fake, seen: map[int64]int{}}}
}

// importSample puts the sample roster on the roster.
func (w *world) importSample(t *testing.T) []roster.Person {
	t.Helper()
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Roster.Import(context.Background(), people, false); err != nil {
		t.Fatal(err)
	}
	return people
}

// link links chat to phone by the person's invite link, and waits for the
// greeting with their name.
func (w *world) link(t *testing.T, chat int64, phone, name string) {
	t.Helper()
	tok, err := w.svc.Identity.Token(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	w.c.say(chat, "/start "+tok, name)
}

func TestTrainingLifecycleOverTelegram(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, fake, clk, c := w.svc, w.fake, w.clk, w.c

	// The roster.
	people, bad, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil || len(bad) != 0 || len(people) != 53 {
		t.Fatalf("roster: %d people, bad rows %v, %v", len(people), bad, err)
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}

	// The training, and its eight invitations (held: nobody has a chat yet).
	lat, lon := 24.1685, 82.8013
	tr, err := training.Spec{
		Title: "AMRUT 2.0 प्रशिक्षण", Topic: "जल आपूर्ति और सफ़ाई", Venue: "नगर पंचायत सभागार, अनपरा", Lat: &lat, Lon: &lon,
		Start: "2026-12-05T10:00", Days: 2, End: "17:00", Batch: "चरण 1",
		Modules: []string{"जल आपूर्ति", "सीवेज", "बजट"}, Invite: "role=sabhasad,body=नगर पंचायत अनपरा",
	}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Invite(ctx, tr); n != 8 || err != nil {
		t.Fatalf("invited %d (%v), want 8", n, err)
	}

	// They come to the bot: half share their contact, half use their
	// personal link. Each then gets the invitation that waited for them.
	type member struct {
		chat  int64
		phone string
		name  string
	}
	m := []member{
		{2001, "+919018159083", "सरिता राजभर"}, {2002, "+919131860913", "राजेश सोनकर"},
		{2003, "+919082462819", "अनीता सिंह"}, {2004, "+919518190937", "राकेश प्रजापति"},
		{2005, "+919543231948", "लक्ष्मी दुबे"}, {2006, "+919911862527", "लक्ष्मी निषाद"},
		{2007, "+919955597971", "सुरेश भारती"}, {2008, "+919049746507", "प्रीति गुप्ता"},
	}
	invitations := map[int64]telegramtest.SentMessage{}
	for i, p := range m {
		if i%2 == 0 {
			c.say(p.chat, "नमस्ते", "अपना नंबर भेजें")
			fake.PushContact(p.chat, strings.TrimPrefix(p.phone, "+"), p.chat)
			c.wait(p.chat, "आपका नंबर साथी से जुड़ गया")
		} else {
			tok, err := svc.Identity.Token(ctx, p.phone)
			if err != nil {
				t.Fatal(err)
			}
			c.say(p.chat, "/start "+tok, p.name)
		}
		invitations[p.chat] = c.wait(p.chat, "प्रशिक्षण का निमंत्रण")
	}
	inv := invitations[2001]
	for _, want := range []string{"AMRUT 2.0 प्रशिक्षण", "दिन 1: शनिवार, 5 दिसंबर, सुबह 10 बजे", "दिन 2: रविवार, 6 दिसंबर", "नगर पंचायत सभागार, अनपरा"} {
		if !strings.Contains(inv.Text, want) {
			t.Fatalf("invitation lacks %q:\n%s", want, inv.Text)
		}
	}
	if len(inv.Keyboard) != 3 || inv.Keyboard[0][0].Text != "✅ आऊँगी" { // सरिता: a woman's words
		t.Fatalf("invitation buttons %+v", inv.Keyboard)
	}

	// Their answers, the way people write them.
	c.say(2001, "हाँ", "जगह पक्की")
	c.say(2002, "haan", "जगह पक्की")
	c.say(2003, "👍", "जगह पक्की")
	c.say(2004, "नही", "न आ पाने का कारण")
	c.say(2004, "1", "दर्ज कर लिया")
	c.say(2005, "पता नहीं", "जब तय हो जाए")
	c.say(2006, "1", "जगह पक्की") // the option's number
	why := c.press(invitations[2007], "❌ नहीं आ पाऊँगा", "न आ पाने का कारण")
	c.press(why, "कुछ और", "एक लाइन में")
	c.say(2007, "बेटी की शादी है", "दर्ज कर लिया")
	// 2008 never answers.

	// The coordinator of the nagar panchayat looks.
	const eo = int64(3001)
	tok, err := svc.Identity.Token(ctx, "+919912845298")
	if err != nil {
		t.Fatal(err)
	}
	c.say(eo, "/start "+tok, "विनोद गुप्ता")
	c.say(eo, "स्थिति", "बुलाए गए 8 · आएँगे 4 · नहीं 2 · पता नहीं 1 · जवाब नहीं 1 · प्रतीक्षा 0")

	// Day 1: the coordinator shows the code; four check in with it.
	codeRe := regexp.MustCompile(`दिन (\d): (\d{4})`)
	clk.Set(ist("2026-12-05 09:45"))
	code1 := codeRe.FindStringSubmatch(c.say(eo, "/code", "हाज़िरी कोड").Text)
	if code1 == nil || code1[1] != "1" || code1[2] != training.Code(tr, 0) {
		t.Fatalf("day 1 code: %v, want %s", code1, training.Code(tr, 0))
	}
	for _, chat := range []int64{2001, 2002, 2003, 2006} {
		c.say(chat, "हाज़िरी", "दिन 1 की हाज़िरी")
		if chat == 2003 {
			c.say(chat, "0000", "कोड सही नहीं")
		}
		code := code1[2]
		if chat == 2006 {
			code = devanagari(code)
		}
		c.say(chat, code, "हाज़िरी लग गई")
	}
	c.say(2004, "हाज़िरी", "न आने का जवाब दिया था") // declined: no check-in

	// Day 2: by location at the venue; one is too far and uses the code.
	clk.Set(ist("2026-12-06 10:20"))
	for _, chat := range []int64{2001, 2002} {
		c.say(chat, "हाजिरी", "दिन 2 की हाज़िरी")
		fake.PushLocation(chat, lat+0.0005, lon) // about 55 m away
		c.wait(chat, "हाज़िरी लग गई")
	}
	c.say(2006, "हाज़िरी", "दिन 2 की हाज़िरी")
	fake.PushLocation(2006, lat+0.05, lon)
	c.wait(2006, "मीटर दूर")
	code2 := codeRe.FindStringSubmatch(c.say(eo, "कोड", "हाज़िरी कोड").Text)
	if code2 == nil || code2[1] != "2" || code2[2] == code1[2] {
		t.Fatalf("day 2 code: %v", code2)
	}
	c.say(2006, code2[2], "हाज़िरी लग गई")
	c.say(2001, "हाज़िरी", "पहले ही लग चुकी") // once a day

	// The training ends: those who came are asked for feedback.
	clk.Set(ist("2026-12-06 18:00"))
	if n, err := svc.FeedbackDue(ctx, clk.Now()); n != 4 || err != nil {
		t.Fatalf("feedback asked of %d (%v), want 4", n, err)
	}
	rating := c.wait(2001, "प्रशिक्षण कैसा लगा")
	module := c.press(rating, "⭐⭐⭐⭐⭐", "सबसे काम का")
	if len(module.Keyboard) != 3 || module.Keyboard[2][0].Text != "बजट" {
		t.Fatalf("module buttons %+v", module.Keyboard)
	}
	c.say(2001, "3", "क्या कुछ छूट गया")
	c.say(2001, "और उदाहरण चाहिए", "और प्रशिक्षण चाहिए")
	c.say(2001, "हाँ", "अपना अनुभव बताइए")
	// Her experience as a voice note: kept as a file.
	voiceNote := []byte("OggS\x00\x02 सरिता का अनुभव")
	voice := telegramtest.PrivateMessage(2001)
	voice.Voice = &tgbotapi.Voice{FileID: fake.AddFile("voice.ogg", voiceNote), Duration: 12}
	fake.PushUpdate(telegramtest.MessageUpdate(voice))
	c.wait(2001, "राय दर्ज")

	c.wait(2002, "प्रशिक्षण कैसा लगा")
	c.say(2002, "4", "सबसे काम का")
	c.say(2002, "सीवेज", "क्या कुछ छूट गया")
	c.say(2002, "कुछ नहीं", "और प्रशिक्षण चाहिए")
	c.say(2002, "नहीं", "अपना अनुभव बताइए")
	c.say(2002, "वार्ड की सफ़ाई का काम अब बजट में लिखवाऊँगा", "राय दर्ज")

	c.wait(2003, "प्रशिक्षण कैसा लगा")
	c.say(2003, "६", "1 से 5") // no sixth star: asked again
	module = c.say(2003, "३", "सबसे काम का")
	c.press(module, "जल आपूर्ति", "क्या कुछ छूट गया")
	c.say(2003, "समय कम था", "और प्रशिक्षण चाहिए")
	c.say(2003, "ji haan", "अपना अनुभव बताइए")
	c.say(2003, "नहीं", "राय दर्ज")
	c.wait(2006, "प्रशिक्षण कैसा लगा") // asked, does not answer

	// The export, read back cell by cell.
	rows, err := svc.Trainings.Rows(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	byPhone := map[string]roster.Person{}
	for _, p := range people {
		byPhone[p.Phone] = p
	}
	var buf bytes.Buffer
	if err := training.Export(&buf, "xlsx", "hi", tr, rows, byPhone); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.GetRows("प्रशिक्षण")
	if err != nil {
		t.Fatal(err)
	}
	// The experiences: two shared, one of them a voice note kept for the export.
	var shared []string
	for _, r := range rows {
		if fb := r.Feedback; fb != nil && (fb.Experience != "" || fb.ExperienceFile != "") {
			shared = append(shared, r.Phone)
		}
		if r.Phone == "+919018159083" {
			if data, err := svc.KeptFiles.Get(ctx, r.Feedback.ExperienceFile); err != nil || !bytes.Equal(data, voiceNote) {
				t.Errorf("सरिता's voice note kept as %q: %q, %v", r.Feedback.ExperienceFile, data, err)
			}
		}
	}
	if len(shared) != 2 {
		t.Errorf("experiences shared by %q, want सरिता and राजेश", shared)
	}
	status := svc.StatusText("hi", tr, training.Summarize(tr, rows))
	for _, w := range []string{"🌟 अनुभव साझा किए: 2 (1 आवाज़ में", "🌟 “वार्ड की सफ़ाई का काम अब बजट में लिखवाऊँगा”"} {
		if !strings.Contains(status, w) {
			t.Errorf("status lacks %q:\n%s", w, status)
		}
	}
	const body = "नगर पंचायत अनपरा"
	want := [][]string{
		{"नाम", "मोबाइल", "पद", "मंडल", "जनपद", "विकासखंड", "निकाय", "वार्ड", "जवाब", "न आने का कारण", "दिन 1 हाज़िरी (शनिवार, 5 दिसंबर)", "दिन 2 हाज़िरी (रविवार, 6 दिसंबर)", "रेटिंग", "सबसे उपयोगी विषय", "क्या कमी रही", "आगे संपर्क"},
		{"सरिता राजभर", "+919018159083", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "1", "आएँगे", "", "09:45", "10:20", "5", "बजट", "और उदाहरण चाहिए", "हाँ"},
		{"राजेश सोनकर", "+919131860913", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "2", "आएँगे", "", "09:45", "10:20", "4", "सीवेज", "कुछ नहीं", "नहीं"},
		{"अनीता सिंह", "+919082462819", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "3", "आएँगे", "", "09:45", "", "3", "जल आपूर्ति", "समय कम था", "हाँ"},
		{"राकेश प्रजापति", "+919518190937", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "4", "नहीं आएँगे", "तबीयत ठीक नहीं", "", "", "", "", "", ""},
		{"लक्ष्मी दुबे", "+919543231948", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "5", "पता नहीं", "", "", "", "", "", "", ""},
		{"लक्ष्मी निषाद", "+919911862527", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "6", "आएँगे", "", "09:45", "10:20", "", "", "", ""},
		{"सुरेश भारती", "+919955597971", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "7", "नहीं आएँगे", "बेटी की शादी है", "", "", "", "", "", ""},
		{"प्रीति गुप्ता", "+919049746507", "सभासद", "मिर्जापुर", "सोनभद्र", "", body, "8", "जवाब नहीं", "", "", "", "", "", "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("export has %d rows, want %d:\n%v", len(got), len(want), got)
	}
	for i := range want {
		row := append(got[i], make([]string, len(want[i]))...)[:len(want[i])] // trailing empty cells are left out
		for j := range want[i] {
			if row[j] != want[i][j] {
				t.Errorf("export row %d, column %q: %q, want %q", i+1, want[0][j], row[j], want[i][j])
			}
		}
	}

	// Every invitation went out once.
	n := 0
	for _, msg := range fake.Sent() {
		if strings.Contains(msg.Text, "प्रशिक्षण का निमंत्रण") {
			n++
		}
	}
	if n != 8 {
		t.Fatalf("%d invitations sent, want 8", n)
	}
}

// devanagari writes Latin digits as Devanagari ones.
func devanagari(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '०' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestRosterFileAndExportInChat: the EO of नगर पंचायत अनपरा sends a roster
// file; the rows of their body import, the others are reported; a
// participant's file is refused; the training's Excel comes back in chat.
func TestRosterFileAndExportInChat(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, fake, c := w.svc, w.fake, w.c
	w.importSample(t)
	link := func(chat int64, phone, name string) { w.link(t, chat, phone, name) }
	const eo, sarita = int64(3001), int64(2001)
	link(eo, "+919912845298", "विनोद गुप्ता")
	link(sarita, "+919018159083", "सरिता राजभर")

	file := "नाम,मोबाइल,पद,जिला,निकाय,वार्ड\n" +
		"रीना सोनकर,9312345678,सभासद,सोनभद्र,नगर पंचायत अनपरा,9\n" + // new, in the EO's body
		"सरिता राजभर,9018159083,सभासद,सोनभद्र,नगर पंचायत अनपरा,1\n" + // already there
		"हरि मौर्य,9703423667,सभासद,सोनभद्र,नगर पंचायत चोपन,1\n" + // another body
		"बिना नंबर,12345,सभासद,सोनभद्र,नगर पंचायत अनपरा,10\n" // a bad phone
	id := fake.AddFile("anpara.csv", []byte(file))
	fake.PushDocument(eo, id, "anpara.csv", "")
	report := c.wait(eo, "लोग सूची में जुड़े").Text
	for _, want := range []string{"2 लोग सूची में जुड़े (1 नए, 0 बदले, 1 पहले जैसे)", "पंक्ति 5", "हरि मौर्य: आपके क्षेत्र से बाहर"} {
		if !strings.Contains(report, want) {
			t.Fatalf("report lacks %q:\n%s", want, report)
		}
	}
	if p, ok, _ := svc.Roster.Get(ctx, "+919312345678"); !ok || p.Name != "रीना सोनकर" || p.Ward != "9" {
		t.Fatalf("new member: %+v %v", p, ok)
	}
	if p, _, _ := svc.Roster.Get(ctx, "+919703423667"); p.Body != "नगर पंचायत चोपन" {
		t.Fatalf("out-of-scope row changed a person: %+v", p)
	}
	// A participant's file changes nothing.
	before, _ := svc.Roster.Count(ctx)
	fake.PushDocument(sarita, fake.AddFile("x.csv", []byte(file)), "x.csv", "")
	c.wait(sarita, "सिर्फ़ समन्वयकों के लिए")
	if after, _ := svc.Roster.Count(ctx); after != before {
		t.Fatalf("roster went from %d to %d people", before, after)
	}

	// A training, and its Excel in chat.
	tr, err := training.Spec{Title: "बजट प्रशिक्षण", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 1,
		Modules: []string{"बजट"}, Invite: "role=sabhasad,body=नगर पंचायत अनपरा"}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Invite(ctx, tr); n != 9 || err != nil {
		t.Fatalf("invited %d, %v; want 9 (the 8 and the new member)", n, err)
	}
	c.wait(sarita, "प्रशिक्षण का निमंत्रण")
	c.say(sarita, "haan", "जगह पक्की")
	doc := c.say(eo, "/export", "हर बुलाए गए व्यक्ति की एक पंक्ति")
	if doc.Document != "saathi-"+tr.ID+".xlsx" {
		t.Fatalf("export document %q", doc.Document)
	}
	x, err := excelize.OpenReader(bytes.NewReader(doc.DocumentData))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("प्रशिक्षण")
	if err != nil || len(rows) != 10 || rows[1][0] != "सरिता राजभर" || rows[1][8] != "आएँगे" {
		t.Fatalf("export rows %v, %v", rows, err)
	}
	c.say(sarita, "/export", "सिर्फ़ अपने क्षेत्र के समन्वयकों के लिए")
}

// TestBroadcastOverTelegram: the BMM of मैथा sends one message to the
// block's pradhans from chat: those on Telegram get it as plain text, one
// has blocked the bot, two have no chat yet, and the BMM gets the report.
// A participant and a coordinator of another area cannot reach them.
func TestBroadcastOverTelegram(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, fake, c := w.svc, w.fake, w.c
	w.importSample(t)
	link := func(chat int64, phone, name string) { w.link(t, chat, phone, name) }
	const bmm, eo = int64(5000), int64(5100)
	link(bmm, "+919417047187", "विजय प्रजापति")
	link(eo, "+919912845298", "विनोद गुप्ता")
	link(5001, "+919516761222", "गीता सोनकर")
	link(5002, "+919299752882", "शिव दुबे")
	link(5003, "+919263304348", "राकेश पासवान")
	fake.Block(5003)

	// Not for participants; not across areas.
	c.say(5001, "/broadcast", "सिर्फ़ अपने क्षेत्र के समन्वयकों के लिए")
	c.say(eo, "प्रसारण", "संदेश किसे भेजना है")
	c.say(eo, "4", "किस पद के लोगों को")
	c.say(eo, "प्रधान", "किस निकाय या ब्लॉक")
	c.say(eo, "मैथा", "संदेश लिखें")
	c.say(eo, "बैठक", "कोई फ़ाइल भेजनी है")
	c.say(eo, "नहीं", "कोई व्यक्ति नहीं मिला")

	text := "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है। <b>ज़रूर</b> आएँ *सब*।"
	c.say(bmm, "/broadcast", "संदेश किसे भेजना है")
	c.say(bmm, "4", "किस पद के लोगों को")
	c.say(bmm, "3", "किस निकाय या ब्लॉक")
	c.say(bmm, "सभी", "संदेश लिखें")
	c.say(bmm, text, "कोई फ़ाइल भेजनी है")
	c.say(bmm, "ये रही", "फ़ाइल 📎 दबाकर भेजें") // words are not a file
	schedule := fake.AddFile("कार्यक्रम.pdf", []byte("%PDF-1.4 schedule"))
	fake.PushDocument(bmm, schedule, "कार्यक्रम.pdf", "")
	if m := c.wait(bmm, "यह संदेश 5 लोगों को जाएगा"); !strings.Contains(m.Text, "📎 कार्यक्रम.pdf") ||
		!strings.Contains(m.Text, "अभी मिलेगा: Telegram पर 3 · WhatsApp पर 0\n2 लोग अभी साथी से नहीं जुड़े। उनके लिए संदेश सोमवार, 30 नवंबर, दोपहर 12 बजे तक रुका रहेगा") {
		t.Fatalf("preview: %q", m.Text)
	}
	c.say(bmm, "हाँ", "5 लोगों को भेजा जा रहा है")
	if err := svc.ShowProgress(ctx); err != nil { // the progress message appears
		t.Fatal(err)
	}
	for _, chat := range []int64{5001, 5002} {
		m := c.wait(chat, "विजय प्रजापति (ब्लॉक मिशन मैनेजर) का संदेश")
		if !strings.Contains(m.Text, text) || m.ParseMode != "" {
			t.Fatalf("chat %d got %q (parse mode %q): the text must arrive as written, unformatted", chat, m.Text, m.ParseMode)
		}
		if m.Document != "कार्यक्रम.pdf" || string(m.DocumentData) != "%PDF-1.4 schedule" {
			t.Fatalf("chat %d got document %q (%q), want the schedule", chat, m.Document, m.DocumentData)
		}
	}
	if n := fake.Uploads(); n != 0 { // Telegram to Telegram: by the BMM's file_id, as before files were kept
		t.Fatalf("%d uploads of the schedule, want none", n)
	}
	report := c.wait(bmm, "आपका संदेश 5 लोगों के लिए था")
	if err := svc.ShowProgress(ctx); err != nil { // and ends with the final numbers
		t.Fatal(err)
	}
	progress := 0
	for _, m := range fake.SentTo(bmm) {
		if strings.Contains(m.Text, "संदेश की प्रगति") {
			progress++
			now, _ := fake.Message(bmm, m.MessageID)
			if !strings.Contains(now.Text, "5 में से 2 भेजे गए · 0 बाकी · 0 नहीं पहुँचे · 1 ने बंद किया · 2 जुड़े नहीं") {
				t.Errorf("progress message reads %q", now.Text)
			}
		}
	}
	if ids, _ := svc.Broadcasts.Active(ctx); progress != 1 || len(ids) != 0 {
		t.Errorf("%d progress messages, %d broadcasts still active; want one message, none active", progress, len(ids))
	}
	if !strings.Contains(report.Text, "2 को पहुँचा, 1 ने साथी को बंद किया है, 0 को नहीं पहुँच सका, 2 अभी साथी से जुड़े नहीं हैं") {
		t.Fatalf("report: %s", report.Text)
	}
	if got := fake.SentTo(5003); len(got) != 1 { // the hello, before blocking
		t.Fatalf("the blocked chat got %d messages", len(got))
	}
	if n := len(fake.SentTo(5001)) + len(fake.SentTo(5002)); n != 5 { // hello and the broadcast each, and 5001's refusal
		var texts []string
		for _, m := range append(fake.SentTo(5001), fake.SentTo(5002)...) {
			texts = append(texts, m.Text)
		}
		t.Fatalf("%d messages to the two pradhans, want 5:\n%s", n, strings.Join(texts, "\n---\n"))
	}
}
