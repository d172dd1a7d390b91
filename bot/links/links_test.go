package links_test

import (
	"bytes"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/links"
)

// decode reads a QR code PNG back with an independent decoder.
func decode(t *testing.T, img []byte) string {
	t.Helper()
	im, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("the QR code is no PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(im)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, pureBarcode)
	if err != nil {
		t.Fatalf("the QR code does not decode: %v", err)
	}
	return res.GetText()
}

func TestSheetHoldsWorkingLinksAndQRCodesThatDecodeToThem(t *testing.T) {
	const tok = "k7q2mzx4ab3cd5ef"
	b := links.Bot{TelegramUsername: "@saathi_up_bot", WhatsAppNumber: "+91 98765 43210"}
	var buf bytes.Buffer
	rows := []links.Row{{Name: "सुनीता देवी", Phone: "+919018159083", Designation: "सभासद", Place: "नगर पंचायत अनपरा", Token: tok}}
	if err := links.Write(&buf, "hi", b, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "लिंक"
	wantTG := "https://t.me/saathi_up_bot?start=" + tok
	if v, _ := f.GetCellValue(sheet, "F2"); v != wantTG {
		t.Fatalf("Telegram link = %q, want %q", v, wantTG)
	}
	if ok, target, _ := f.GetCellHyperLink(sheet, "F2"); !ok || target != wantTG {
		t.Fatalf("Telegram hyperlink = %v %q", ok, target)
	}
	waURL, _ := f.GetCellValue(sheet, "H2")
	u, err := url.Parse(waURL)
	if err != nil || u.Host != "wa.me" || u.Path != "/919876543210" {
		t.Fatalf("WhatsApp link = %q (%v)", waURL, err)
	}
	greeting := u.Query().Get("text")
	if code, ok := links.CodeIn(greeting); !ok || code != tok {
		t.Fatalf("the greeting %q carries code %q %v, want %q", greeting, code, ok, tok)
	}
	if strings.Contains(waURL, "+") {
		t.Fatalf("spaces in %q are +, which WhatsApp shows as plus signs", waURL)
	}
	for cell, want := range map[string]string{"G2": wantTG, "I2": waURL} {
		pics, err := f.GetPictures(sheet, cell)
		if err != nil || len(pics) != 1 {
			t.Fatalf("%s: %d pictures, %v", cell, len(pics), err)
		}
		if got := decode(t, pics[0].File); got != want {
			t.Fatalf("QR code in %s decodes to %q, want %q", cell, got, want)
		}
	}
	if v, _ := f.GetCellValue(sheet, "A2"); v != "सुनीता देवी" {
		t.Fatalf("name = %q", v)
	}
}

func TestSheetWithoutWhatsAppLeavesItsColumnsEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := links.Write(&buf, "en", links.Bot{TelegramUsername: "saathi_bot"}, []links.Row{{Name: "A", Token: "aaaaaaaaaaaaaaaa"}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Links", "H2"); v != "" {
		t.Fatalf("WhatsApp link without a number: %q", v)
	}
	if err := links.Write(&buf, "en", links.Bot{}, nil); err == nil {
		t.Fatal("a sheet with nowhere to link to was written")
	}
}

func TestCodeIn(t *testing.T) {
	for text, want := range map[string]string{
		"नमस्ते साथी, मेरा कोड k7q2mzx4ab3cd5ef": "k7q2mzx4ab3cd5ef",
		"my code: K7Q2MZX4AB3CD5EF.": "k7q2mzx4ab3cd5ef",
		"k7q2mzx4ab3cd5ef":           "", // no word saying it is a code
		"कोड 1234":                   "",
		"मेरा कोड k7q2mzx4ab3cd5e1":  "", // 1 is no base32 digit
		"नमस्ते":                     "",
	} {
		got, ok := links.CodeIn(text)
		if got != want || ok != (want != "") {
			t.Errorf("CodeIn(%q) = %q %v, want %q", text, got, ok, want)
		}
	}
}

// pureBarcode tells the decoder the image is the code alone, as generated:
// without it gozxing's finder misses about one code in a hundred of ours
// (a WhatsApp link's, measured over 2,000 random tokens), which all decode
// with it; a phone's camera reader is not the test's concern.
var pureBarcode = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
