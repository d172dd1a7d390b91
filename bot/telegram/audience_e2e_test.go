package telegram_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/roster/rostertest"
)

// phoneSheet is an Excel workbook of a coordinator's list: a title, a
// header naming the mobile column, and rows as coordinators type them.
func phoneSheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	all := append([][]any{{"क्रम", "नाम", "मोबाइल नंबर"}}, rows...)
	for i, r := range all {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The list the EO of नगर पंचायत अनपरा sends: lines 2-4 are three of their
// sabhasads (written three ways), 5 a sabhasad of चोपन (outside their
// area), 6 nobody on the roster, 7 not a number, 8 line 2 again.
var anparaList = [][]any{
	{1, "सरिता", "9018159083"},
	{2, "राजेश", "+91 91318 60913"},
	{3, "लक्ष्मी", "०९५४३२३१९४८"},
	{4, "हरि", 9703423667},
	{5, "कोई और", "98765 01234"},
	{6, "गलत", "12345"},
	{7, "सरिता फिर", "+919018159083"},
}

// wantListReport is what the EO is told of anparaList before confirming.
var wantListReport = []string{
	"सूची के 3 लोग मिले: सरिता राजभर, राजेश सोनकर, लक्ष्मी दुबे",
	"4 पंक्तियाँ छोड़ दी गईं",
	"पंक्ति 5: 9703423667 आपके क्षेत्र से बाहर के व्यक्ति का नंबर है",
	"पंक्ति 6: 98765 01234 साथी में दर्ज नहीं है",
	"पंक्ति 7: “12345” मोबाइल नंबर नहीं है",
	"पंक्ति 8: +919018159083 पंक्ति 2 में पहले आ चुका है",
}

func checkListReport(t *testing.T, report string) {
	t.Helper()
	for _, want := range wantListReport {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
}

// TestBroadcastToAListSentAsASheet: the EO of नगर पंचायत अनपरा chooses
// "send a list" in प्रसारण; a sticker, a photo, text, a sheet without a
// phone column, an empty one, a zip bomb and a file over the chat's
// limit are each answered and asked for again; the real list gets its
// report by line, and the message reaches exactly its three people of
// the EO's area — not the चोपन sabhasad on it, nor an अनपरा sabhasad
// not on it.
func TestBroadcastToAListSentAsASheet(t *testing.T) {
	w := newWorld(t)
	fake, c := w.fake, w.c
	w.importSample(t)
	const eo, sarita, rajesh, laxmi, anita, hari = int64(7000), int64(7001), int64(7002), int64(7005), int64(7003), int64(7009)
	w.link(t, eo, "+919912845298", "विनोद गुप्ता")
	w.link(t, sarita, "+919018159083", "सरिता राजभर")
	w.link(t, rajesh, "+919131860913", "राजेश सोनकर")
	w.link(t, laxmi, "+919543231948", "लक्ष्मी दुबे")
	w.link(t, anita, "+919082462819", "अनीता सिंह") // अनपरा, not on the list
	w.link(t, hari, "+919703423667", "हरि मौर्य")   // चोपन: on the list, outside the EO's area

	ask := c.say(eo, "प्रसारण", "संदेश किसे भेजना है")
	c.press(ask, "📋 सूची भेजें (एक्सेल/CSV में मोबाइल नंबर)", "मोबाइल नंबरों की सूची एक्सेल या CSV फ़ाइल में")

	// Not a sheet: asked again, politely.
	sticker := telegramtest.PrivateMessage(eo)
	sticker.Sticker = &tgbotapi.Sticker{FileID: "sticker1", Emoji: "👍"}
	fake.PushUpdate(telegramtest.MessageUpdate(sticker))
	c.wait(eo, "फ़ोटो या स्टिकर नहीं")
	photo := telegramtest.PrivateMessage(eo)
	photo.Photo = []tgbotapi.PhotoSize{{FileID: "photo1", Width: 90, Height: 90}}
	fake.PushUpdate(telegramtest.MessageUpdate(photo))
	c.wait(eo, "फ़ोटो या स्टिकर नहीं")
	fake.PushDocument(eo, fake.AddFile("नाम.csv", []byte("नाम,गाँव\nसरिता,अनपरा\n")), "नाम.csv", "")
	c.wait(eo, "मोबाइल नंबरों का कॉलम नहीं मिला")
	c.say(eo, "सबको भेज दो", "फ़ोटो या स्टिकर नहीं")

	// Sheets that are not lists of phones, or too big: explained.
	bomb, _ := rostertest.ZipBomb(t)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"दो कॉलम.csv", []byte("9018159083,9131860913\n9543231948,9082462819\n"), "2 कॉलमों में मोबाइल नंबर हैं"},
		{"ख़ाली.csv", []byte("\n , \n"), "यह फ़ाइल ख़ाली है"},
		{"बम.xlsx", bomb, "50 MB से बड़ी हो जाती है"},
		{"बड़ी.csv", bytes.Repeat([]byte("9018159083\n"), 6<<20/11), "यह फ़ाइल 5 MB से बड़ी है"},
	} {
		fake.PushDocument(eo, fake.AddFile(tc.name, tc.data), tc.name, "")
		c.wait(eo, tc.want)
	}

	fake.PushDocument(eo, fake.AddFile("सूची.xlsx", phoneSheet(t, anparaList)), "सूची.xlsx", "")
	checkListReport(t, c.wait(eo, "सूची के 3 लोग मिले").Text)
	c.wait(eo, "संदेश लिखें")
	const text = "सूची वालों के लिए: कल 11 बजे बैठक है।"
	c.say(eo, text, "कोई फ़ाइल भेजनी है")
	c.say(eo, "नहीं", "यह संदेश 3 लोगों को जाएगा")
	c.say(eo, "हाँ", "3 लोगों को भेजा जा रहा है")
	c.wait(eo, "3 लोगों के लिए था: 3 को पहुँचा")

	for _, chat := range []int64{sarita, rajesh, laxmi} {
		c.wait(chat, text)
	}
	for _, chat := range []int64{anita, hari} {
		for _, m := range fake.SentTo(chat) {
			if strings.Contains(m.Text, text) {
				t.Errorf("chat %d got the list's message", chat)
			}
		}
	}
}

// TestNewTrainingInvitesAList: नया प्रशिक्षण offers "send a list" after
// the designations; the list's three people of the EO's area are invited,
// exactly they.
func TestNewTrainingInvitesAList(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	svc, fake, c := w.svc, w.fake, w.c
	w.importSample(t)
	const eo = int64(7100)
	w.link(t, eo, "+919912845298", "विनोद गुप्ता")
	c.say(eo, "नया प्रशिक्षण", "इसका नाम क्या है")
	c.say(eo, "सूची वालों का प्रशिक्षण", "विषय क्या है")
	c.say(eo, "जल आपूर्ति", "कहाँ होगा")
	c.say(eo, "नगर पंचायत सभागार, अनपरा", "किस तारीख़")
	c.say(eo, "10/12/2026", "कितने बजे")
	c.say(eo, "1", "कितने दिन")
	c.say(eo, "1", "कौन-कौन से विषय")
	who := c.say(eo, "जल आपूर्ति", "किन्हें बुलाना है")
	c.press(who, "📋 सूची भेजें (एक्सेल/CSV में मोबाइल नंबर)", "मोबाइल नंबरों की सूची")
	fake.PushDocument(eo, fake.AddFile("सूची.xlsx", phoneSheet(t, anparaList)), "सूची.xlsx", "")
	checkListReport(t, c.wait(eo, "सूची के 3 लोग मिले").Text)
	c.wait(eo, "याद दिलाने के संदेश कब जाएँ")
	c.say(eo, "सामान्य", "आने-जाने या मिलने की जगह")
	c.say(eo, "नहीं", "किन्हें: भेजी गई सूची के 3 लोग")
	c.say(eo, "हाँ", "3 लोगों को निमंत्रण")

	ts, err := svc.Trainings.List(ctx)
	if err != nil || len(ts) != 1 {
		t.Fatalf("trainings %v, %v", ts, err)
	}
	inv, err := svc.Trainings.Invitees(ctx, ts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range inv {
		got = append(got, p)
	}
	slices.Sort(got)
	if want := []string{"+919018159083", "+919131860913", "+919543231948"}; !slices.Equal(got, want) {
		t.Errorf("invited %q, want %q", got, want)
	}
}
