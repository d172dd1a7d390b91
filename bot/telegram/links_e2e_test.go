package telegram_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// TestLinksInChatRedeemedAndRevoked: the EO of अनपरा sends लिंक and gets
// the sheet of the training's invitees; the Telegram link in सरिता's row,
// opened in a new chat, links that chat to सरिता; राजेश's, revoked, is
// refused; a participant cannot have the sheet.
func TestLinksInChatRedeemedAndRevoked(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.svc.Links = links.Bot{TelegramUsername: telegramtest.BotUsername, WhatsAppNumber: "919876543210"}
	svc, c := w.svc, w.c
	w.importSample(t)
	const eo, member = int64(3001), int64(2009)
	w.link(t, eo, "+919912845298", "विनोद गुप्ता")
	w.link(t, member, "+919703423667", "हरि मौर्य")
	tr := w.train(t, training.Spec{Title: "बजट प्रशिक्षण", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 1,
		Invite: "role=sabhasad,body=नगर पंचायत अनपरा"}, 8)
	doc := c.say(eo, "लिंक", "8 लोगों के निजी लिंक")
	if doc.Document != "saathi-links-"+tr.ID+".xlsx" {
		t.Fatalf("document %q", doc.Document)
	}
	x, err := excelize.OpenReader(bytes.NewReader(doc.DocumentData))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("लिंक")
	if err != nil || len(rows) != 9 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	tokenOf := map[string]string{}
	for _, r := range rows[1:] {
		tok, ok := strings.CutPrefix(r[5], "https://t.me/"+telegramtest.BotUsername+"?start=")
		if !ok || !strings.HasPrefix(r[7], "https://wa.me/919876543210?text=") {
			t.Fatalf("links of %s: %q %q", r[0], r[5], r[7])
		}
		tokenOf[r[1]] = tok
	}
	const sarita, rajesh = "+919018159083", "+919131860913"
	const saritaChat, strangerChat = int64(4001), int64(4002)
	c.say(saritaChat, "/start "+tokenOf[sarita], "सरिता राजभर")
	if p, _ := svc.Identity.Phone(ctx, "telegram", "4001"); p != sarita {
		t.Fatalf("the chat that opened सरिता's link is %q", p)
	}
	if _, err := svc.RevokePhones(ctx, rajesh); err != nil {
		t.Fatal(err)
	}
	c.say(strangerChat, "/start "+tokenOf[rajesh], "यह लिंक काम नहीं कर रहा")
	if p, _ := svc.Identity.Phone(ctx, "telegram", "4002"); p != "" {
		t.Fatalf("a revoked link linked the chat to %s", p)
	}
	c.say(member, "लिंक", "सिर्फ़")

	// Status says who can be reached where: सरिता on Telegram, राजेश
	// (linked here by hand) on WhatsApp, the other six not yet.
	if err := svc.Identity.Link(ctx, "whatsapp", rajesh[1:], rajesh); err != nil {
		t.Fatal(err)
	}
	status := c.say(eo, "स्थिति", "पहुँच: Telegram पर 1 · WhatsApp पर 1 · अभी नहीं 6")
	hint := "जिन 6 लोगों तक अभी नहीं पहुँचे, उनके निजी लिंक के लिए लिखें: लिंक " + tr.ID
	if !strings.HasSuffix(status.Text, "\n"+hint) {
		t.Fatalf("status does not end with %q:\n%s", hint, status.Text)
	}

	// The hint, sent as it says, offers the sheet of those six.
	ask := c.say(eo, "लिंक "+tr.ID, "6 लोग अभी साथी से नहीं जुड़े, 2 जुड़ चुके हैं। किनके लिंक चाहिए?")
	doc = c.press(ask, "जो अभी नहीं जुड़े", "6 लोगों के निजी लिंक")
	if x, err = excelize.OpenReader(bytes.NewReader(doc.DocumentData)); err != nil {
		t.Fatal(err)
	}
	if rows, err = x.GetRows("लिंक"); err != nil || len(rows) != 7 {
		t.Fatalf("the sheet of those not reached: %d rows, %v", len(rows), err)
	}
	for _, r := range rows[1:] {
		if r[1] == sarita || r[1] == rajesh {
			t.Errorf("%s is on a channel but in the sheet of those not reached", r[0])
		}
	}
	ask = c.say(eo, "लिंक "+tr.ID, "किनके लिंक चाहिए?")
	c.press(ask, "सभी बुलाए गए", "8 लोगों के निजी लिंक")
}

// TestHeldBroadcastDeliveredOnceWhenTheyFirstWrite: a broadcast to मैथा's
// pradhans, none of whom has written yet, is counted as not reached and
// held; गीता writes within the week and gets it, once; शिव writes after
// it has expired and does not.
func TestHeldBroadcastDeliveredOnceWhenTheyFirstWrite(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, c, clk := w.svc, w.c, w.clk
	svc.Events.Now = clk.Now
	w.importSample(t)
	const gita, shiv = "+919516761222", "+919299752882"
	const text = "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है।"
	b, err := svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "role=pradhan,block=मैथा"}, text, "BMM मैथा", broadcast.Broadcast{CreatedBy: "cli"}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !b.Expires.Equal(clk.Now().Add(services.DefaultHold)) {
		t.Fatalf("expires %v, want a week from now", b.Expires)
	}
	for _, p := range []string{gita, shiv} {
		waitHeld(t, svc, p, 1)
	}
	if _, cs, _ := svc.Broadcasts.Get(ctx, b.ID); cs.NoChat != b.Total || cs.Sent != 0 {
		t.Fatalf("counts %+v: want all %d not reached yet", cs, b.Total)
	}

	clk.Set(clk.Now().Add(6 * 24 * time.Hour))
	w.link(t, 5001, gita, "गीता सोनकर")
	c.wait(5001, text)
	c.say(5001, "नमस्ते", "नमस्ते गीता सोनकर जी")
	copies := 0
	for _, m := range w.fake.SentTo(5001) {
		if strings.Contains(m.Text, text) {
			copies++
		}
	}
	if copies != 1 {
		t.Fatalf("गीता got the broadcast %d times, want once", copies)
	}
	waitCounts(t, svc, b.ID, func(cs broadcast.Counts) bool { return cs.Sent == 1 })

	clk.Set(clk.Now().Add(2 * 24 * time.Hour)) // 8 days after it was sent
	w.link(t, 5002, shiv, "शिव दुबे")
	c.say(5002, "नमस्ते", "नमस्ते शिव दुबे जी")
	if n, _ := svc.Events.Held(ctx, shiv); len(n) != 0 {
		t.Fatalf("still held for शिव: %+v", n)
	}
	for _, m := range w.fake.SentTo(5002) {
		if strings.Contains(m.Text, text) {
			t.Fatalf("शिव got an expired broadcast: %q", m.Text)
		}
	}
}

// waitHeld waits until n events are held for phone.
func waitHeld(t *testing.T, svc *services.Services, phone string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		held, err := svc.Events.Held(context.Background(), phone)
		if err == nil && len(held) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events held for %s, want %d (%v)", len(held), phone, n, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitCounts waits until a broadcast's counts satisfy ok.
func waitCounts(t *testing.T, svc *services.Services, id string, ok func(broadcast.Counts) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, cs, err := svc.Broadcasts.Get(context.Background(), id)
		if err == nil && ok(cs) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("broadcast counts %+v (%v)", cs, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
