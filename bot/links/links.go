// Package links makes the personal links a coordinator hands out: a
// Telegram deep link (/start <token>), a WhatsApp click-to-chat link whose
// greeting carries the person's code, and a QR code of each, in a sheet.
package links

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/url"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	qrcode "github.com/yeqown/go-qrcode/v2"
)

// Bot is where the links point: the Telegram bot's username (no @) and the
// WhatsApp number (digits, with the country code). Either may be empty:
// that channel's links are then left out.
type Bot struct{ TelegramUsername, WhatsAppNumber string }

// TelegramURL opens the bot and sends /start <token>.
func TelegramURL(username, token string) string {
	return "https://t.me/" + strings.TrimPrefix(username, "@") + "?start=" + token
}

// Greeting is the message a WhatsApp link fills in: short, Hindi, with the
// person's code.
func Greeting(token string) string {
	return "नमस्ते साथी, मेरा कोड " + token
}

// WhatsAppURL opens a chat with the bot's number, the greeting typed in.
func WhatsAppURL(number, token string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	text := strings.ReplaceAll(url.QueryEscape(Greeting(token)), "+", "%20")
	return "https://wa.me/" + digits + "?text=" + text
}

// CodeIn finds a personal code in a message: a word of 16 base32 letters
// and digits in a message that says कोड or code (the greeting of a
// WhatsApp link, or the code typed by hand). It returns it lower-cased.
func CodeIn(text string) (string, bool) {
	low := strings.ToLower(text)
	if !strings.Contains(low, "कोड") && !strings.Contains(low, "code") {
		return "", false
	}
	for _, w := range strings.FieldsFunc(low, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		if isCode(w) {
			return w, true
		}
	}
	return "", false
}

func isCode(w string) bool {
	if len(w) != 16 {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// QR is a QR code of text as a PNG: 4 pixels a module, a quiet zone of 4
// modules, medium error correction (a printed code still reads when a
// little smudged).
func QR(text string) ([]byte, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	w := &pngWriter{scale: 4, quiet: 4}
	if err := q.Save(w); err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return w.buf.Bytes(), nil
}

// pngWriter draws a QR matrix as a black-and-white PNG.
type pngWriter struct {
	scale, quiet int
	buf          bytes.Buffer
}

func (w *pngWriter) Write(m qrcode.Matrix) error {
	bits := m.Bitmap()
	n := len(bits)
	side := (n + 2*w.quiet) * w.scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, on := range row {
			if !on {
				continue
			}
			for dy := range w.scale {
				for dx := range w.scale {
					img.SetColorIndex((x+w.quiet)*w.scale+dx, (y+w.quiet)*w.scale+dy, 1)
				}
			}
		}
	}
	return png.Encode(&w.buf, img)
}

func (w *pngWriter) Close() error { return nil }

// Row is one person of the sheet.
type Row struct {
	Name, Phone, Designation, Place string
	Token                           string
	// Chats are the channels the person can be reached on already
	// ("Telegram, WhatsApp"); empty: not yet, the links are for them.
	Chats string
}

var headers = map[string][]string{
	"hi": {"नाम", "मोबाइल", "पद", "स्थान", "कोड", "Telegram लिंक", "Telegram QR", "WhatsApp लिंक", "WhatsApp QR", "पहले से जुड़े"},
	"en": {"Name", "Phone", "Designation", "Place", "Code", "Telegram link", "Telegram QR", "WhatsApp link", "WhatsApp QR", "Already on"},
}

// Write writes the sheet of links: one row per person, the links as
// hyperlinks and each link's QR code as a picture beside it. lang is "hi"
// or "en" (the headers).
func Write(w io.Writer, lang string, b Bot, rows []Row) error {
	if b.TelegramUsername == "" && b.WhatsAppNumber == "" {
		return fmt.Errorf("links: neither a Telegram username nor a WhatsApp number to link to")
	}
	hs, ok := headers[lang]
	if !ok {
		hs = headers["hi"]
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	name := map[string]string{"hi": "लिंक", "en": "Links"}[lang]
	if name == "" {
		name = "लिंक"
	}
	if err := f.SetSheetName(sheet, name); err != nil {
		return fmt.Errorf("links sheet: %w", err)
	}
	for i, h := range hs {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(name, cell, h)
	}
	f.SetColWidth(name, "A", "A", 24)
	f.SetColWidth(name, "B", "E", 16)
	f.SetColWidth(name, "F", "F", 40)
	f.SetColWidth(name, "G", "G", 28)
	f.SetColWidth(name, "H", "H", 40)
	f.SetColWidth(name, "I", "I", 28)
	f.SetColWidth(name, "J", "J", 20)
	for i, r := range rows {
		y := i + 2
		for j, v := range []string{r.Name, r.Phone, r.Designation, r.Place, r.Token} {
			cell, _ := excelize.CoordinatesToCellName(j+1, y)
			f.SetCellStr(name, cell, v)
		}
		f.SetRowHeight(name, y, 150)
		f.SetCellStr(name, fmt.Sprintf("J%d", y), r.Chats)
		if b.TelegramUsername != "" {
			if err := link(f, name, "F", "G", y, TelegramURL(b.TelegramUsername, r.Token)); err != nil {
				return err
			}
		}
		if b.WhatsAppNumber != "" {
			if err := link(f, name, "H", "I", y, WhatsAppURL(b.WhatsAppNumber, r.Token)); err != nil {
				return err
			}
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write links sheet: %w", err)
	}
	return nil
}

// link puts u in column col of row y as a hyperlink and its QR code in
// column qrCol.
func link(f *excelize.File, sheet, col, qrCol string, y int, u string) error {
	cell := fmt.Sprintf("%s%d", col, y)
	f.SetCellStr(sheet, cell, u)
	if err := f.SetCellHyperLink(sheet, cell, u, "External"); err != nil {
		return fmt.Errorf("links sheet: %w", err)
	}
	img, err := QR(u)
	if err != nil {
		return err
	}
	pic := &excelize.Picture{Extension: ".png", File: img, Format: &excelize.GraphicOptions{AltText: u, OffsetX: 4, OffsetY: 4}}
	if err := f.AddPictureFromBytes(sheet, fmt.Sprintf("%s%d", qrCol, y), pic); err != nil {
		return fmt.Errorf("links sheet: QR code: %w", err)
	}
	return nil
}
