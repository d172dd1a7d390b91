package whatsapp_test

// End-to-end tests of files: a roster and a photo sent on WhatsApp, and a
// broadcast's attachment from one channel to the other.

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/roster"
)

// importSample puts the sample roster on the roster.
func (w *world) importSample() {
	w.t.Helper()
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.Roster.Import(context.Background(), people, false); err != nil {
		w.t.Fatal(err)
	}
}

// docs are the documents sent to phone (digits), in order.
func (f *fakeClient) docs(phone string) []*waE2E.DocumentMessage {
	var out []*waE2E.DocumentMessage
	for _, c := range f.Calls() {
		if c.Kind == "message" && c.To.User == phone && c.Msg.GetDocumentMessage() != nil {
			out = append(out, c.Msg.GetDocumentMessage())
		}
	}
	return out
}

// waitDoc waits for the first document sent to phone.
func (w *world) waitDoc(phone string) *waE2E.DocumentMessage {
	w.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		if d := w.fake.docs(phone); len(d) > 0 {
			return d[0]
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s got no document; texts:\n%s", phone, strings.Join(w.fake.texts(phone), "\n---\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// served is what the fake's media server holds for a document: what its
// recipient downloads.
func (w *world) served(d *waE2E.DocumentMessage) []byte {
	w.fake.mu.Lock()
	defer w.fake.mu.Unlock()
	return w.fake.media[d.GetDirectPath()]
}

// tgWait returns the next message to Telegram chat whose text (or caption)
// contains want, skipping the ones before it.
func (w *world) tgWait(chat int64, want string) telegramtest.SentMessage {
	w.t.Helper()
	key := fmt.Sprint("tg:", chat)
	deadline := time.Now().Add(waitFor)
	for {
		got := w.tgFake.SentTo(chat)
		for i := w.seen[key]; i < len(got); i++ {
			if strings.Contains(got[i].Text, want) {
				w.seen[key] = i + 1
				return got[i]
			}
		}
		if time.Now().After(deadline) {
			var texts []string
			for _, m := range got {
				texts = append(texts, m.Text)
			}
			w.t.Fatalf("telegram %d: no message with %q; it got:\n%s", chat, want, strings.Join(texts, "\n---\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// tgSay sends text from Telegram chat and waits for the reply with want.
func (w *world) tgSay(chat int64, text, want string) telegramtest.SentMessage {
	w.t.Helper()
	w.tgFake.PushText(chat, text)
	return w.tgWait(chat, want)
}

// tgLink links Telegram chat to phone by the person's invite link.
func (w *world) tgLink(chat int64, phone, name string) {
	w.t.Helper()
	tok, err := w.svc.Identity.Token(context.Background(), phone)
	if err != nil {
		w.t.Fatal(err)
	}
	w.tgSay(chat, "/start "+tok, name)
}

// TestRosterFileOverWhatsApp: the EO of नगर पंचायत अनपरा sends a roster
// CSV on WhatsApp; it is downloaded through the adapter and the rows of
// their body import, the others are reported.
func TestRosterFileOverWhatsApp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.importSample()
	const eo = "919912845298"
	w.say(eo, "नमस्ते", "नमस्ते विनोद गुप्ता")
	file := "नाम,मोबाइल,पद,जिला,निकाय,वार्ड\n" +
		"रीना सोनकर,9312345678,सभासद,सोनभद्र,नगर पंचायत अनपरा,9\n" + // new, in the EO's body
		"सरिता राजभर,9018159083,सभासद,सोनभद्र,नगर पंचायत अनपरा,1\n" + // already there
		"हरि मौर्य,9703423667,सभासद,सोनभद्र,नगर पंचायत चोपन,1\n" + // another body
		"बिना नंबर,12345,सभासद,सोनभद्र,नगर पंचायत अनपरा,10\n" // a bad phone
	w.wa.HandleEvent(message(pn(eo), document(w.fake, "anpara.csv", "text/csv", []byte(file))))
	report := w.wait(eo, "लोग सूची में जुड़े")
	for _, want := range []string{"2 लोग सूची में जुड़े (1 नए, 0 बदले, 1 पहले जैसे)", "पंक्ति 5", "हरि मौर्य: आपके क्षेत्र से बाहर"} {
		if !strings.Contains(report, want) {
			t.Fatalf("report lacks %q:\n%s", want, report)
		}
	}
	if p, ok, _ := w.svc.Roster.Get(ctx, "+919312345678"); !ok || p.Name != "रीना सोनकर" || p.Ward != "9" {
		t.Fatalf("new member: %+v %v", p, ok)
	}
	if n := w.fake.count("download"); n != 1 {
		t.Fatalf("%d downloads, want 1", n)
	}
}

// TestPhotoAnswersAFileQuestionOverWhatsApp: in the JJM survey a photo
// where text is asked gets the hint; where a file is asked it is the
// file, kept in the record by an id that downloads it.
func TestPhotoAnswersAFileQuestionOverWhatsApp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.importSample()
	const dmm = "919741374847"
	w.say(dmm, "नमस्ते", "नमस्ते सुनील वर्मा")
	w.say(dmm, "जल जीवन मिशन", "परेशानी किस तरह की है?") // his area has one district: कानपुर देहात
	w.say(dmm, "पाइपलाइन", "थोड़ा खुलकर बताइए")
	jpeg := bytes.Repeat([]byte{0xd8, 0xff}, 700)
	w.wa.HandleEvent(message(pn(dmm), photo(w.fake, "", jpeg)))
	w.wait(dmm, "मैं फ़ोटो नहीं समझ पाता")
	w.wait(dmm, "थोड़ा खुलकर बताइए") // asked again
	w.say(dmm, "रसूलपुर में मुख्य पाइप फटी है", "यह परेशानी कब से है?")
	w.say(dmm, "पता नहीं", "कोई काग़ज़ या फ़ोटो हो")
	w.wa.HandleEvent(message(pn(dmm), photo(w.fake, "", jpeg)))
	w.wait(dmm, "📎 photo.jpg")
	w.say(dmm, "हाँ", "धन्यवाद, सुनील वर्मा")
	keys, err := w.store.RecordKeys(ctx, "jjm_problem")
	if err != nil || len(keys) != 1 {
		t.Fatalf("records %v, %v", keys, err)
	}
	rec, err := w.store.Record(ctx, "jjm_problem", keys[0])
	if err != nil || rec["doc_name"] != "photo.jpg" || !strings.HasPrefix(rec["doc_id"], "wa:") {
		t.Fatalf("record %v, %v", rec, err)
	}
	if got, err := w.wa.Download(ctx, rec["doc_id"], 1<<20); err != nil || !bytes.Equal(got, jpeg) {
		t.Fatalf("the photo of the record downloads as %d bytes, %v", len(got), err)
	}
	if rec["district"] != "कानपुर देहात" {
		t.Errorf("record's district %q", rec["district"])
	}
	if got, err := w.svc.KeptFiles.Get(ctx, rec["file_ref"]); err != nil || !bytes.Equal(got, jpeg) {
		t.Errorf("the photo kept for the export (%q): %d bytes, %v", rec["file_ref"], len(got), err)
	}
}

// The BMM of मैथा and the block's pradhans (sample roster).
const (
	bmmPhone    = "919417047187"
	geetaPhone  = "919516761222"
	shivPhone   = "919299752882"
	rakeshPhone = "919263304348"
	seemaPhone  = "919620579868"
	bmmFrom     = "विजय प्रजापति (ब्लॉक मिशन मैनेजर) का संदेश"
)

// TestBroadcastFileFromTelegramToWhatsApp: the BMM sends a broadcast with
// the schedule from Telegram. The three pradhans on WhatsApp get it as a
// document, uploaded to WhatsApp once for the three; the one on Telegram
// gets it by the BMM's file_id, with no upload.
func TestBroadcastFileFromTelegramToWhatsApp(t *testing.T) {
	w := newWorldWithTelegram(t)
	w.importSample()
	const bmm, seema = int64(5000), int64(5004)
	w.tgLink(bmm, "+"+bmmPhone, "विजय प्रजापति")
	w.tgLink(seema, "+"+seemaPhone, "सीमा भारती")
	for _, p := range []string{geetaPhone, shivPhone, rakeshPhone} {
		w.say(p, "नमस्ते", "नमस्ते")
	}
	// अनिल पासवान has no chat.

	text := "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है।"
	w.tgSay(bmm, "/broadcast", "संदेश किसे भेजना है")
	w.tgSay(bmm, "4", "किस पद के लोगों को")
	w.tgSay(bmm, "3", "किस निकाय या ब्लॉक")
	w.tgSay(bmm, "सभी", "संदेश लिखें")
	w.tgSay(bmm, text, "कोई फ़ाइल भेजनी है")
	pdf := []byte("%PDF-1.4 कार्यक्रम: 11 बजे बैठक")
	w.tgFake.PushDocument(bmm, w.tgFake.AddFile("कार्यक्रम.pdf", pdf), "कार्यक्रम.pdf", "")
	w.tgWait(bmm, "यह संदेश 5 लोगों को जाएगा")
	if sent := w.tgSay(bmm, "हाँ", "5 लोगों को भेजा जा रहा है"); strings.Contains(sent.Text, "⚠️") {
		t.Fatalf("the file was not kept: %q", sent.Text)
	}

	for _, p := range []string{geetaPhone, shivPhone, rakeshPhone} {
		if m := w.wait(p, bmmFrom); !strings.Contains(m, text) {
			t.Fatalf("%s got %q", p, m)
		}
		d := w.waitDoc(p)
		if d.GetFileName() != "कार्यक्रम.pdf" || d.GetMimetype() != "application/pdf" || !bytes.Equal(w.served(d), pdf) {
			t.Fatalf("%s got document %q (%s) holding %q", p, d.GetFileName(), d.GetMimetype(), w.served(d))
		}
	}
	if n := w.fake.count("upload"); n != 1 {
		t.Fatalf("%d uploads to WhatsApp for three recipients, want 1", n)
	}
	m := w.tgWait(seema, bmmFrom)
	if m.Document != "कार्यक्रम.pdf" || !bytes.Equal(m.DocumentData, pdf) {
		t.Fatalf("the Telegram recipient got document %q (%q)", m.Document, m.DocumentData)
	}
	if n := w.tgFake.Uploads(); n != 0 {
		t.Fatalf("%d uploads to Telegram; the BMM's file_id does", n)
	}
	w.tgWait(bmm, "आपका संदेश 5 लोगों के लिए था: 4 को पहुँचा, 0 ने साथी को बंद किया है, 0 को नहीं पहुँच सका, 1 अभी साथी से जुड़े नहीं हैं")
}

// TestBroadcastFileFromWhatsAppToTelegram: the BMM sends the broadcast and
// its file on WhatsApp. The two pradhans on Telegram get the document,
// uploaded to Telegram once; the one on WhatsApp gets it forwarded, with
// no upload.
func TestBroadcastFileFromWhatsAppToTelegram(t *testing.T) {
	w := newWorldWithTelegram(t)
	w.importSample()
	const geeta, shiv = int64(6001), int64(6002)
	w.say(bmmPhone, "नमस्ते", "नमस्ते विजय प्रजापति")
	w.tgLink(geeta, "+"+geetaPhone, "गीता सोनकर")
	w.tgLink(shiv, "+"+shivPhone, "शिव दुबे")
	w.say(rakeshPhone, "नमस्ते", "नमस्ते राकेश पासवान")

	text := "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है।"
	w.say(bmmPhone, "प्रसारण", "संदेश किसे भेजना है")
	w.say(bmmPhone, "4", "किस पद के लोगों को")
	w.say(bmmPhone, "3", "किस निकाय या ब्लॉक")
	w.say(bmmPhone, "सभी", "संदेश लिखें")
	w.say(bmmPhone, text, "कोई फ़ाइल भेजनी है")
	pdf := []byte("%PDF-1.4 कार्यक्रम: 11 बजे बैठक")
	original := document(w.fake, "कार्यक्रम.pdf", "application/pdf", pdf)
	w.wa.HandleEvent(message(pn(bmmPhone), original))
	if m := w.wait(bmmPhone, "यह संदेश 5 लोगों को जाएगा"); !strings.Contains(m, "📎 कार्यक्रम.pdf") {
		t.Fatalf("preview %q", m)
	}
	if sent := w.say(bmmPhone, "हाँ", "5 लोगों को भेजा जा रहा है"); strings.Contains(sent, "⚠️") {
		t.Fatalf("the file was not kept: %q", sent)
	}

	for _, chat := range []int64{geeta, shiv} {
		m := w.tgWait(chat, bmmFrom)
		if !strings.Contains(m.Text, text) || m.Document != "कार्यक्रम.pdf" || !bytes.Equal(m.DocumentData, pdf) {
			t.Fatalf("chat %d got %q with document %q (%q)", chat, m.Text, m.Document, m.DocumentData)
		}
	}
	if n := w.tgFake.Uploads(); n != 1 {
		t.Fatalf("%d uploads to Telegram for two recipients, want 1", n)
	}
	w.wait(rakeshPhone, bmmFrom)
	d := w.waitDoc(rakeshPhone)
	if d.GetFileName() != "कार्यक्रम.pdf" || d.GetDirectPath() != original.GetDocumentMessage().GetDirectPath() ||
		!bytes.Equal(d.GetMediaKey(), original.GetDocumentMessage().GetMediaKey()) {
		t.Fatalf("the WhatsApp recipient got %v, want the BMM's document forwarded", d)
	}
	if n := w.fake.count("upload"); n != 0 {
		t.Fatalf("%d uploads to WhatsApp; the BMM's own file goes as it is", n)
	}
	w.wait(bmmPhone, "आपका संदेश 5 लोगों के लिए था: 3 को पहुँचा")
}

// TestBroadcastFileTooLargeToKeep: a file over store.MaxKeptFile is not
// downloaded; the BMM is told it reaches WhatsApp only, the WhatsApp
// recipient gets it, the Telegram one the text alone.
func TestBroadcastFileTooLargeToKeep(t *testing.T) {
	w := newWorldWithTelegram(t)
	w.importSample()
	const geeta = int64(6001)
	w.say(bmmPhone, "नमस्ते", "नमस्ते विजय प्रजापति")
	w.tgLink(geeta, "+"+geetaPhone, "गीता सोनकर")
	w.say(rakeshPhone, "नमस्ते", "नमस्ते राकेश पासवान")

	w.say(bmmPhone, "प्रसारण", "संदेश किसे भेजना है")
	w.say(bmmPhone, "4", "किस पद के लोगों को")
	w.say(bmmPhone, "3", "किस निकाय या ब्लॉक")
	w.say(bmmPhone, "सभी", "संदेश लिखें")
	w.say(bmmPhone, "नक्शा देखें", "कोई फ़ाइल भेजनी है")
	big := document(w.fake, "नक्शा.pdf", "application/pdf", []byte("%PDF"))
	big.DocumentMessage.FileLength = proto.Uint64(11 << 20)
	w.wa.HandleEvent(message(pn(bmmPhone), big))
	w.wait(bmmPhone, "यह संदेश 5 लोगों को जाएगा")
	w.say(bmmPhone, "हाँ", "⚠️ फ़ाइल सिर्फ़ WhatsApp वालों को मिलेगी")
	if n := w.fake.count("download"); n != 0 {
		t.Fatalf("%d downloads of a file too large to keep", n)
	}
	w.wait(rakeshPhone, "नक्शा देखें")
	if d := w.waitDoc(rakeshPhone); d.GetFileName() != "नक्शा.pdf" {
		t.Fatalf("the WhatsApp recipient got %v", d)
	}
	m := w.tgWait(geeta, "नक्शा देखें")
	if m.Document != "" {
		t.Fatalf("the Telegram recipient got document %q", m.Document)
	}
	w.wait(bmmPhone, "आपका संदेश 5 लोगों के लिए था: 2 को पहुँचा")
}
