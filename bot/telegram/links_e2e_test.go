package telegram_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
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
	tr, err := training.Spec{Title: "बजट प्रशिक्षण", Venue: "अनपरा", Start: "2026-12-10T10:00", Days: 1,
		Invite: "role=sabhasad,body=नगर पंचायत अनपरा"}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Invite(ctx, tr); n != 8 || err != nil {
		t.Fatalf("invited %d, %v", n, err)
	}
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
}
