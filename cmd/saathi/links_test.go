package main

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/storetest"
)

// TestLinksSheetFromTelegramAndTheWhatsAppSessionAndRevoke: saathi links
// reads the bot's username from getMe and its number from the WhatsApp
// session, writes one row per invitee whose QR codes decode to the links,
// sorted by place, whose tokens link exactly that person; links revoke makes them refused,
// and the next sheet has new ones.
func TestLinksSheetFromTelegramAndTheWhatsAppSessionAndRevoke(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	dir := t.TempDir()
	file := filepath.Join(dir, "officials.csv")
	rows := "नाम,मोबाइल,पद,मंडल,जनपद,निकाय\n" +
		"अरुण मिश्र,9000000201,अधिशासी अधिकारी,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा\n" +
		"गीता देवी,9000000202,नगर आयुक्त,मिर्जापुर,मिर्जापुर,नगर निगम मिर्जापुर\n" +
		"सरिता राजभर,9000000210,सभासद,मिर्जापुर,सोनभद्र,नगर पंचायत अनपरा\n"
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := runCmd(t, vars, "", "training", "add", "--lang", "en", "--title", "कर्मयोगी", "--venue", "लखनऊ", "--start", "2030-12-05T10:00", "--invite", "पद=अधिशासी अधिकारी|नगर आयुक्त")
	if err != nil || !strings.Contains(out, "2 invited") {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	id, _, _ := strings.Cut(out, "\t")

	tg := telegramtest.NewServer(t)
	vars["TELEGRAM_BOT_TOKEN"] = telegramtest.Token
	vars["TELEGRAM_API_ENDPOINT"] = tg.Endpoint()
	vars["WHATSAPP_DB"] = pairedStore(t)
	xlsx := filepath.Join(dir, "links.xlsx")
	out, err = runCmd(t, vars, "", "links", "--training", id, "-o", xlsx)
	if err != nil || !strings.Contains(out, "2 लोगों के लिंक (Telegram @"+telegramtest.BotUsername+", WhatsApp 919876543210)") {
		t.Fatalf("links: %v\n%s", err, out)
	}
	sheet := readLinks(t, xlsx)
	if len(sheet) != 2 || sheet[0].name != "गीता देवी" || sheet[1].name != "अरुण मिश्र" {
		t.Fatalf("rows %+v", sheet)
	}
	id2 := identity.New(rdb)
	for i, r := range sheet {
		if !strings.HasPrefix(r.telegram, "https://t.me/"+telegramtest.BotUsername+"?start=") || !strings.HasPrefix(r.whatsapp, "https://wa.me/919876543210?text=") {
			t.Fatalf("links of %s: %q %q", r.name, r.telegram, r.whatsapp)
		}
		if r.telegramQR != r.telegram || r.whatsappQR != r.whatsapp {
			t.Fatalf("QR codes of %s decode to %q and %q, not the links", r.name, r.telegramQR, r.whatsappQR)
		}
		tok := strings.TrimPrefix(r.telegram, "https://t.me/"+telegramtest.BotUsername+"?start=")
		if !strings.Contains(r.whatsapp, tok) {
			t.Fatalf("the WhatsApp link %q does not carry the token %q", r.whatsapp, tok)
		}
		h, err := id2.Peek(ctx, tok)
		if err != nil || h.Phone != r.phone {
			t.Fatalf("row %d: token %q is %+v %v, want %s", i, tok, h, err, r.phone)
		}
	}
	// The same sheet again: the same tokens.
	if _, err := runCmd(t, vars, "", "links", "--training", id, "-o", xlsx, "--telegram-username", "other_bot"); err != nil {
		t.Fatal(err)
	}
	again := readLinks(t, xlsx)
	if !strings.HasSuffix(again[0].telegram, strings.TrimPrefix(sheet[0].telegram, "https://t.me/"+telegramtest.BotUsername)) || !strings.HasPrefix(again[0].telegram, "https://t.me/other_bot?") {
		t.Fatalf("second sheet %q, first %q", again[0].telegram, sheet[0].telegram)
	}

	// Revoking one person's link: refused, the other's still works.
	if out, err := runCmd(t, vars, "", "links", "revoke", "9000000202"); err != nil || !strings.Contains(out, "1 लिंक बंद किए") {
		t.Fatalf("revoke: %v\n%s", err, out)
	}
	tok0 := strings.TrimPrefix(sheet[0].telegram, "https://t.me/"+telegramtest.BotUsername+"?start=")
	tok1 := strings.TrimPrefix(sheet[1].telegram, "https://t.me/"+telegramtest.BotUsername+"?start=")
	if _, err := id2.Redeem(ctx, tok0, "telegram", "77"); !errors.Is(err, identity.ErrRevokedToken) {
		t.Fatalf("revoked token redeemed: %v", err)
	}
	if p, err := id2.Redeem(ctx, tok1, "telegram", "78"); err != nil || p != "+919000000201" {
		t.Fatalf("the other token: %q %v", p, err)
	}
	// Only those not reached yet: अरुण is on Telegram now.
	unreached := filepath.Join(dir, "unreached.xlsx")
	if out, err := runCmd(t, vars, "", "links", "--training", id, "--unreached", "-o", unreached); err != nil || !strings.Contains(out, "1 लोगों के लिंक") {
		t.Fatalf("links --unreached: %v\n%s", err, out)
	}
	if rows := readLinks(t, unreached); len(rows) != 1 || rows[0].name != "गीता देवी" || rows[0].chats != "" {
		t.Fatalf("unreached rows %+v", rows)
	}
	if _, err := runCmd(t, vars, "", "links", "--training", id, "-o", unreached); err != nil {
		t.Fatal(err)
	}
	if rows := readLinks(t, unreached); len(rows) != 2 || rows[1].chats != "Telegram" {
		t.Fatalf("rows %+v: want अरुण already on Telegram", rows)
	}
	if out, err := runCmd(t, vars, "", "links", "revoke", "--training", id, "--lang", "en"); err != nil || !strings.Contains(out, "2 links revoked") {
		t.Fatalf("revoke --training (अरुण's, and गीता's new one from the last sheet): %v\n%s", err, out)
	}
	if p, _ := id2.Phone(ctx, "telegram", "78"); p != "" {
		t.Fatalf("the chat that used a revoked token is still linked to %s", p)
	}
	if _, err := runCmd(t, vars, "", "links", "--training", id, "-o", xlsx); err != nil {
		t.Fatal(err)
	}
	if fresh := readLinks(t, xlsx); fresh[0].telegram == sheet[0].telegram || fresh[1].telegram == sheet[1].telegram {
		t.Fatalf("after revoking, the same links: %q", fresh[0].telegram)
	}
	for _, args := range [][]string{{"links", "-o", xlsx}, {"links", "--training", id}, {"links", "revoke"}, {"links", "revoke", "12"}, {"links", "revoke", "9000000201", "--training", id}} {
		if _, err := runCmd(t, vars, "", args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

type linkRow struct {
	name, phone, telegram, whatsapp string
	telegramQR, whatsappQR          string
	chats                           string
}

// readLinks reads a links sheet and decodes its QR codes.
func readLinks(t *testing.T, path string) []linkRow {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "लिंक"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []linkRow
	for i, r := range rows[1:] {
		y := strconv.Itoa(i + 2)
		lr := linkRow{name: r[0], phone: r[1], telegram: r[5], whatsapp: r[7]}
		if len(r) > 9 {
			lr.chats = r[9]
		}
		lr.telegramQR = decodeQR(t, f, sheet, "G"+y)
		lr.whatsappQR = decodeQR(t, f, sheet, "I"+y)
		out = append(out, lr)
	}
	return out
}

func decodeQR(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	pics, err := f.GetPictures(sheet, cell)
	if err != nil || len(pics) != 1 {
		t.Fatalf("%s: %d pictures, %v", cell, len(pics), err)
	}
	im, err := png.Decode(bytes.NewReader(pics[0].File))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(im)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, pureBarcode)
	if err != nil {
		t.Fatalf("%s: the QR code does not decode: %v", cell, err)
	}
	return res.GetText()
}

// TestBroadcastHoldIsPerBroadcast: --hold sets how long copies wait for
// those who have not written yet, and status says until when.
func TestBroadcastHoldIsPerBroadcast(t *testing.T) {
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	file := filepath.Join(t.TempDir(), "r.csv")
	if err := os.WriteFile(file, []byte("नाम,मोबाइल,पद,जनपद,निकाय\nअरुण मिश्र,9000000201,सभासद,सोनभद्र,नगर पंचायत अनपरा\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, vars, "", "import", file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	before := time.Now()
	out, err := runCmd(t, vars, "", "broadcast", "--lang", "en", "--to", "body=नगर पंचायत अनपरा", "--text", "बैठक कल", "--hold", "72h")
	if err != nil {
		t.Fatalf("broadcast: %v\n%s", err, out)
	}
	id := strings.TrimSuffix(strings.Fields(out)[1], ":")
	out, err = runCmd(t, vars, "", "broadcast", "status", "--lang", "en", id)
	if err != nil {
		t.Fatal(err)
	}
	// No serve runs, so the copy is pending: status says nothing of a hold yet.
	if strings.Contains(out, "until") {
		t.Fatalf("status before any copy was held:\n%s", out)
	}
	b, _, err := broadcast.New(rdb).Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d := b.Expires.Sub(before); d < 72*time.Hour-time.Minute || d > 72*time.Hour+time.Minute {
		t.Fatalf("expires %v after sending, want 72h", d)
	}
	if _, err := runCmd(t, vars, "", "broadcast", "--lang", "en", "--to", "body=नगर पंचायत अनपरा", "--text", "x", "--hold", "0s"); !errors.Is(err, errUsage) {
		t.Fatalf("--hold 0s: %v", err)
	}
}

// pureBarcode tells the decoder the image is the code alone, as generated:
// without it gozxing's finder misses about one code in a hundred of ours
// (a WhatsApp link's, measured over 2,000 random tokens), which all decode
// with it; a phone's camera reader is not the test's concern.
var pureBarcode = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
