package whatsapp_test

// End-to-end tests: whatsmeow events into the adapter, the real dispatcher,
// engine, flows, services and event router on Redis, and replies out
// through the fake client.

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
	"github.com/saathi-bot/saathi/store/training"
)

// dbWhatsApp is this package's Redis database.
const dbWhatsApp = 14

const waitFor = 10 * time.Second

// clock is the dispatcher's controllable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// world is the whole of Saathi over a fake WhatsApp connection, and, when
// built by newWorldWithTelegram, over a fake Telegram Bot API too.
type world struct {
	t     *testing.T
	wa    *whatsapp.Adapter
	fake  *fakeClient
	disp  *bot.Dispatcher
	store *store.Store
	svc   *services.Services
	seen  map[string]int // texts of each user already read by wait

	tg     *telegram.Bot
	tgFake *telegramtest.Server
}

func newWorld(t *testing.T) *world { return buildWorld(t, false) }

// newWorldWithTelegram: Telegram beside WhatsApp, as serve runs them; a
// person with both chats gets events on Telegram.
func newWorldWithTelegram(t *testing.T) *world { return buildWorld(t, true) }

func buildWorld(t *testing.T, withTelegram bool) *world {
	t.Helper()
	ctx := context.Background()
	rdb := storetest.Redis(t, dbWhatsApp, nil)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := services.New(rdb, cat, quiet)
	fake := newFake()
	wa := whatsapp.New(whatsapp.Config{Client: fake, Logger: quiet, TypingDelay: -1, RetryBackoff: 10 * time.Millisecond, Files: svc.KeptFiles,
		SentOptions: store.NewSentOptions(rdb)})
	svc.Files[whatsapp.Channel] = wa
	senders := map[string]bot.Sender{whatsapp.Channel: wa}
	channels := []string{whatsapp.Channel}
	w := &world{t: t, wa: wa, fake: fake, svc: svc, seen: map[string]int{}}
	if withTelegram {
		w.tgFake = telegramtest.NewServer(t)
		w.tg, err = telegram.New(ctx, telegram.Config{Token: telegramtest.Token, Endpoint: w.tgFake.Endpoint(), PollTimeout: time.Second,
			Logger: quiet, Files: svc.KeptFiles})
		if err != nil {
			t.Fatal(err)
		}
		svc.Files[telegram.Channel] = w.tg
		senders[telegram.Channel] = w.tg
		channels = []string{telegram.Channel, whatsapp.Channel}
	}
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, locales.IST)}
	w.store = store.New(rdb, time.Hour)
	w.disp, err = bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc).WithPlainChannels(whatsapp.Channel), Store: w.store,
		Senders: senders, Logger: quiet, Now: clk.Now, OnDelivered: svc.Delivered,
	})
	if err != nil {
		t.Fatal(err)
	}
	wa.SetHandler(w.disp) // the dispatcher needs the adapter as its sender first
	t.Cleanup(func() {
		wa.Close(context.Background())
		w.disp.Close(context.Background())
	})
	if withTelegram {
		pollCtx, stopPoll := context.WithCancel(ctx)
		pollDone := make(chan struct{})
		go func() { w.tg.Poll(pollCtx, w.disp); close(pollDone) }()
		t.Cleanup(func() { stopPoll(); <-pollDone })
	}
	router := &bot.EventRouter{Dispatcher: w.disp, Identity: svc.Identity, Queue: svc.Events, Channels: channels, Logger: quiet, NoChat: svc.NoChat}
	evCtx, stopEvents := context.WithCancel(ctx)
	evDone := make(chan struct{})
	go func() { svc.Events.Consume(evCtx, "serve", "e2e", router.Handle); close(evDone) }()
	t.Cleanup(func() { stopEvents(); <-evDone })
	return w
}

// wait returns the next text sent to user that contains want, skipping the
// ones before it, or fails the test.
func (w *world) wait(user, want string) string {
	w.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		got := w.fake.texts(user)
		for i := w.seen[user]; i < len(got); i++ {
			if strings.Contains(got[i], want) {
				w.seen[user] = i + 1
				return got[i]
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s: no message with %q; it got:\n%s", user, want, strings.Join(got, "\n---\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// say delivers text from user and waits for the reply that contains want.
func (w *world) say(user, text, want string) string {
	w.t.Helper()
	w.wa.HandleEvent(message(pn(user), waText(text)))
	return w.wait(user, want)
}

func waText(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

func (w *world) state(user string) flows.State {
	w.t.Helper()
	st, err := w.store.Load(context.Background(), whatsapp.Channel, user)
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

// TestRegistrationOverWhatsApp: a number not on the roster writes; its
// number is known from WhatsApp, so registration starts at once and never
// asks for it; the record holds the WhatsApp number.
func TestRegistrationOverWhatsApp(t *testing.T) {
	w := newWorld(t)
	const user = "919000000001"
	w.say(user, "नमस्ते", "आपका पूरा नाम क्या है?")
	w.say(user, "सरिता राजभर", "आप महिला हैं या पुरुष?")
	role := w.say(user, "1", "आप किस पद पर हैं?")
	if !strings.Contains(role, "\n\n1) सभासद\n2) पार्षद") {
		t.Fatalf("role options not numbered:\n%s", role)
	}
	w.say(user, "1", "किस ज़िले")
	w.say(user, "सोनभद्र", "ब्लॉक या नगर निकाय")
	w.say(user, "नगर पंचायत अनपरा", "वार्ड नंबर")
	summary := w.say(user, "पाँच", "मोबाइल: 90000 00001")
	for _, want := range []string{"नाम: सरिता राजभर", "पद: सभासद", "वार्ड: 5"} {
		if !strings.Contains(summary, want) {
			t.Fatalf("summary lacks %q:\n%s", want, summary)
		}
	}
	w.wait(user, "क्या सब सही है?")
	w.say(user, "हाँ", "धन्यवाद, सरिता राजभर जी")
	rec, err := w.store.Record(context.Background(), "pending_person", "whatsapp:"+user)
	if err != nil || rec["phone"] != "+919000000001" || rec["role"] != "sabhasad" || rec["ward"] != "5" || rec["gender"] != "f" {
		t.Fatalf("pending person record %v, %v", rec, err)
	}
	// Each message got its read receipt, after its commit.
	if n := len(w.fake.reads()); n != 8 { // नमस्ते, name, gender, role, district, body, ward, हाँ
		t.Fatalf("%d read receipts, want 8", n)
	}
}

// inviteAnpara imports the sample roster and invites नगर पंचायत अनपरा's
// eight sabhasads, सरिता among them, to a training.
func (w *world) inviteAnpara(ctx context.Context) training.Training {
	t := w.t
	t.Helper()
	people, _, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	lat, lon := 24.1685, 82.8013
	tr, err := training.Spec{
		Title: "AMRUT 2.0 प्रशिक्षण", Topic: "जल आपूर्ति और सफ़ाई", Venue: "नगर पंचायत सभागार, अनपरा", Lat: &lat, Lon: &lon,
		Start: "2026-12-05T10:00", Days: 2, End: "17:00", Batch: "चरण 1",
		Modules: []string{"जल आपूर्ति", "सीवेज", "बजट"}, Invite: "role=sabhasad,body=नगर पंचायत अनपरा",
	}.Training()
	if err != nil {
		t.Fatal(err)
	}
	if tr, err = w.svc.Trainings.Create(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if n, err := w.svc.Invite(ctx, tr); n != 8 || err != nil {
		t.Fatalf("invited %d (%v), want 8", n, err)
	}
	return tr
}

// TestInvitationAnsweredOverWhatsApp: a rostered sabhasad writes from her
// number, is linked by it, gets the invitation that waited for her as
// numbered options, and answers with the number.
func TestInvitationAnsweredOverWhatsApp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	tr := w.inviteAnpara(ctx)

	w.say(sarita, "नमस्ते", "नमस्ते सरिता राजभर जी")
	inv := w.wait(sarita, "प्रशिक्षण का निमंत्रण")
	for _, want := range []string{"AMRUT 2.0 प्रशिक्षण", "नगर पंचायत सभागार, अनपरा", "\n\n1) ✅ आऊँगी\n2) ❌ नहीं आ पाऊँगी\n3) "} { // a woman's words
		if !strings.Contains(inv, want) {
			t.Fatalf("invitation lacks %q:\n%s", want, inv)
		}
	}
	w.say(sarita, "1", "जगह पक्की")
	status, err := w.svc.Trainings.Invitees(ctx, tr.ID)
	if err != nil || status["+919018159083"] != "yes" {
		t.Fatalf("invitees %v, %v", status, err)
	}
	w.say(sarita, "मदद", "विकल्प का नंबर लिखकर दें")
	// WhatsApp shows no buttons, and no text talks of one.
	for _, text := range w.fake.texts(sarita) {
		if strings.Contains(text, "बटन") {
			t.Errorf("a WhatsApp message mentions a button:\n%s", text)
		}
	}
	// Typing showed before every reply.
	var kinds []string
	for _, c := range w.fake.Calls() {
		if c.Kind != "read" {
			kinds = append(kinds, c.Kind)
		}
	}
	for i, k := range kinds {
		if k == "message" && (i == 0 || kinds[i-1] != "presence") {
			t.Fatalf("message %d not after a typing presence: %v", i, kinds)
		}
	}
}

// TestQuotedInvitationAnsweredOverWhatsApp: WhatsApp has no buttons, but a
// reply quoting the invitation is as good as one: while another question
// waits (the language's), "2" quoting the invitation she said yes to
// changes her answer to no, and is not taken as English; "1" quoting a
// message the bot does not know is plain text, for the question waiting.
func TestQuotedInvitationAnsweredOverWhatsApp(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	tr := w.inviteAnpara(ctx)

	w.say(sarita, "नमस्ते", "नमस्ते सरिता राजभर जी")
	w.wait(sarita, "प्रशिक्षण का निमंत्रण")
	invitation := w.fake.idOf(sarita, "प्रशिक्षण का निमंत्रण")
	w.say(sarita, "1", "जगह पक्की")
	w.say(sarita, "भाषा", "किस भाषा में बात करें?\n\n1) हिंदी\n2) English")

	w.wa.HandleEvent(message(pn(sarita), quoting(invitation, "2")))
	w.wait(sarita, "न आ पाने का कारण")
	w.say(sarita, "1", "ठीक है, दर्ज कर लिया")
	status, err := w.svc.Trainings.Invitees(ctx, tr.ID)
	if err != nil || status["+919018159083"] != "no" {
		t.Fatalf("invitees %v, %v; want सरिता's answer no", status, err)
	}
	for _, text := range w.fake.texts(sarita) {
		if strings.Contains(text, "English") && !strings.Contains(text, "2) English") {
			t.Fatalf("the quoted 2 was taken as the language question's answer:\n%s", text)
		}
	}

	// The language question still waits; a quote of an unknown message
	// is plain text, and answers it.
	w.wa.HandleEvent(message(pn(sarita), quoting("3EB0C0FFEE", "1")))
	w.wait(sarita, "ठीक है, अब हम हिंदी में बात करेंगे।")
	if st := w.state(sarita); len(st.Stack) != 0 {
		t.Fatalf("flows still waiting: %+v", st.Stack)
	}
}

// idOf is the id of the last message sent to phone whose text contains want.
func (f *fakeClient) idOf(phone, want string) string {
	id := ""
	for _, c := range f.Calls() {
		if c.Kind == "message" && c.To.User == phone && strings.Contains(c.Msg.GetConversation(), want) {
			id = c.ID
		}
	}
	if id == "" {
		panic("no message to " + phone + " with " + want)
	}
	return id
}

// TestSameMessageTwiceIsAppliedOnce: whatsmeow can hand the same message
// twice (a retry receipt, a reconnect); it is applied and answered once.
func TestSameMessageTwiceIsAppliedOnce(t *testing.T) {
	w := newWorld(t)
	const user = "919000000002"
	e := message(pn(user), waText("नमस्ते"))
	w.wa.HandleEvent(e)
	w.wa.HandleEvent(e)
	e2 := message(pn(user), waText("सरिता"))
	w.wa.HandleEvent(e2)
	w.wa.HandleEvent(e2)
	if err := w.disp.Flush(context.Background(), whatsapp.Channel, user); err != nil {
		t.Fatal(err)
	}
	if st := w.state(user); st.Version != 2 {
		t.Fatalf("state version %d after two messages sent twice, want 2", st.Version)
	}
	if got := w.fake.texts(user); len(got) != 3 { // welcome, name question, role question
		t.Fatalf("%d texts sent, want 3:\n%s", len(got), strings.Join(got, "\n---\n"))
	}
}

// TestVoiceNoteGetsHindiHint: a voice note where text was expected.
func TestVoiceNoteGetsHindiHint(t *testing.T) {
	w := newWorld(t)
	const user = "919000000003"
	w.say(user, "नमस्ते", "आपका पूरा नाम क्या है?")
	w.wa.HandleEvent(message(pn(user), &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true), Seconds: proto.Uint32(4)}}))
	w.wait(user, "मैं आवाज़ वाला संदेश नहीं समझ पाता")
	w.wait(user, "आपका पूरा नाम क्या है?") // the question again
}

// TestGroupMessageIgnored: a message in a group the bot's number is in
// changes nothing and gets no answer.
func TestGroupMessageIgnored(t *testing.T) {
	w := newWorld(t)
	e := message(pn(sarita), waText("नमस्ते"))
	e.Info.Chat = types.NewJID("120363025246125486", types.GroupServer)
	e.Info.IsGroup = true
	w.wa.HandleEvent(e)
	// A private message after it is answered; the group one left nothing.
	w.say("919000000004", "नमस्ते", "मैं साथी हूँ")
	if err := w.disp.Flush(context.Background(), whatsapp.Channel, sarita); err != nil {
		t.Fatal(err)
	}
	if st := w.state(sarita); st.Version != 0 {
		t.Fatalf("a group message changed the conversation: %+v", st)
	}
	if got := w.fake.texts(sarita); len(got) != 0 {
		t.Fatalf("a group message was answered: %q", got)
	}
}
