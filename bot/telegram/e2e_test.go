package telegram_test

// End-to-end tests: the real go-telegram-bot-api against the fake Bot API
// server, with the real dispatcher, engine, flows and store (Redis).

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

type stack struct {
	fake  *telegramtest.Server
	bot   *telegram.Bot
	disp  *bot.Dispatcher
	store *store.Store
	svc   *services.Services
}

// newStack wires a Telegram bot to the fake server and a dispatcher on Redis.
func newStack(t *testing.T, change ...func(*telegram.Config)) *stack {
	t.Helper()
	return newStackWith(t, nil, change...)
}

// newStackWith is newStack with the dispatcher's options changed by opt.
func newStackWith(t *testing.T, opt func(*bot.Options), change ...func(*telegram.Config)) *stack {
	t.Helper()
	fake := telegramtest.NewServer(t)
	b := newBot(t, fake, change...)
	rdb := storetest.Redis(t, storetest.DBTelegram, nil)
	st := store.New(rdb, time.Hour)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	o := bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: st, Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(b, testLimiter(fake, rdb))},
		Logger: log,
	}
	if opt != nil {
		opt(&o)
	}
	d, err := bot.NewDispatcher(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return &stack{fake: fake, bot: b, disp: d, store: st, svc: svc}
}

func (s *stack) state(t *testing.T, chat string) flows.State {
	t.Helper()
	st, err := s.store.Load(context.Background(), telegram.Channel, chat)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// last waits for the n-th message and returns it.
func (s *stack) waitMessage(t *testing.T, n int) telegramtest.SentMessage {
	t.Helper()
	return s.fake.WaitSent(t, n, waitFor)[n-1]
}

func TestRegistrationOverTelegram(t *testing.T) {
	s := newStack(t)
	startPoll(t, s.bot, s.disp)

	s.fake.PushText(chat, "/start")
	phone := s.waitMessage(t, 1)
	if len(phone.ReplyKeyboard) != 1 || !phone.ReplyKeyboard[0].RequestContact {
		t.Fatalf("contact question keyboard %+v", phone)
	}
	s.fake.PushContact(chat, "919018159083", chat) // their own contact, not on the roster
	if m := s.waitMessage(t, 3); !strings.Contains(m.Text, "आपका पूरा नाम क्या है?") {
		t.Fatalf("asked %q", m.Text)
	}
	s.fake.PushText(chat, "सरिता राजभर")
	if m := s.waitMessage(t, 4); !strings.Contains(m.Text, "आप महिला हैं या पुरुष?") {
		t.Fatalf("asked %q", m.Text)
	}
	s.fake.PushText(chat, "महिला")
	role := s.waitMessage(t, 5)
	if len(role.Keyboard) != 6 || role.Keyboard[0][0].Text != "सभासद" {
		t.Fatalf("role keyboard %+v", role.Keyboard)
	}
	s.fake.PushCallback(chat, role.MessageID, role.Keyboard[0][0].Data) // press सभासद
	if m := s.waitMessage(t, 6); !strings.Contains(m.Text, "किस ज़िले") {
		t.Fatalf("after the button: %q", m.Text)
	}
	// The press is answered, and the question then shows the choice.
	deadline := time.Now().Add(waitFor)
	for {
		edited, _ := s.fake.Message(chat, role.MessageID)
		if len(s.fake.CallbackAnswers()) == 1 && strings.Contains(edited.Text, "✔ सभासद") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("callback answers %v; role question after the press: %q", s.fake.CallbackAnswers(), edited.Text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.fake.PushText(chat, "सोनभद्र")
	s.waitMessage(t, 7)
	s.fake.PushText(chat, "नगर पंचायत अनपरा")
	s.waitMessage(t, 8)
	s.fake.PushText(chat, "पाँच")
	summary := s.waitMessage(t, 9)
	for _, want := range []string{"नाम: सरिता राजभर", "पद: सभासद", "वार्ड: 5", "मोबाइल: 90181 59083"} {
		if !strings.Contains(summary.Text, want) {
			t.Fatalf("summary lacks %q:\n%s", want, summary.Text)
		}
	}
	confirm := s.waitMessage(t, 10)
	s.fake.PushText(chat, "हाँ")
	if m := s.waitMessage(t, 11); !strings.Contains(m.Text, "धन्यवाद, सरिता राजभर जी") {
		t.Fatalf("last message %q", m.Text)
	}
	_ = confirm
	rec, err := s.store.Record(context.Background(), "pending_person", "telegram:1001")
	if err != nil || rec["phone"] != "+919018159083" || rec["role"] != "sabhasad" || rec["ward"] != "5" {
		t.Fatalf("pending person record %v, %v", rec, err)
	}
}

func TestSameUpdateTwiceIsAppliedOnce(t *testing.T) {
	s := newStack(t, func(c *telegram.Config) { c.WebhookURL = "https://bot.example.org/hook"; c.WebhookSecret = secret })
	hook := httptest.NewServer(s.bot.Webhook(s.disp))
	defer hook.Close()
	post := func(id int, text string) int {
		u := telegramtest.TextUpdate(chat, text)
		u.UpdateID = id
		u.Message.MessageID = id
		req := telegramtest.NewWebhookRequest(u, secret)
		req.URL, _ = req.URL.Parse(hook.URL)
		req.RequestURI = ""
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 3 { // Telegram redelivers when it did not see our 200
		if code := post(700, "नमस्ते"); code != 200 {
			t.Fatalf("webhook answered %d", code)
		}
	}
	post(701, "9018159083")
	post(701, "9018159083")
	post(702, "सरिता")
	post(702, "सरिता")
	s.disp.Flush(context.Background(), telegram.Channel, "1001")
	st := s.state(t, "1001")
	if st.Version != 3 || st.Fields["name"] != "सरिता" {
		t.Fatalf("state after duplicates: version %d, %+v", st.Version, st.Fields)
	}
	if n := len(s.fake.Sent()); n != 4 { // contact question, welcome, name question, role question
		t.Fatalf("%d messages sent, want 4: %+v", n, s.fake.Sent())
	}
}

func TestTwoUpdatesFromOneUserAtOnceApplyInOrder(t *testing.T) {
	s := newStack(t)
	s.fake.PushText(chat, "नमस्ते")
	s.fake.PushText(chat, "9018159083")
	s.fake.PushText(chat, "सरिता")
	s.fake.PushText(chat, "महिला")
	s.fake.PushText(chat, "2")
	s.fake.PushText(chat, "सोनभद्र")
	startPoll(t, s.bot, s.disp) // all six arrive in one batch
	m := s.waitMessage(t, 7)
	if !strings.Contains(m.Text, "ब्लॉक या नगर निकाय") {
		t.Fatalf("seventh message %q", m.Text)
	}
	st := s.state(t, "1001")
	if st.Fields["name"] != "सरिता" || st.Fields["gender"] != "f" || st.Fields["role"] != "parshad" || st.Fields["district"] != "सोनभद्र" {
		t.Fatalf("fields %+v", st.Fields)
	}
}

func TestReplyRetriedAfter429(t *testing.T) {
	s := newStack(t)
	startPoll(t, s.bot, s.disp)
	s.fake.FailNext("sendMessage", 429, 1, 1)
	start := time.Now()
	s.fake.PushText(chat, "नमस्ते")
	sent := s.fake.WaitSent(t, 1, waitFor)
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("sent after %v, before retry_after", waited)
	}
	if !strings.Contains(sent[0].Text, "मैं साथी हूँ") {
		t.Fatalf("sent %+v", sent)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(s.fake.Sent()); n != 1 {
		t.Fatalf("%d messages sent, want 1 (nothing doubled)", n)
	}
}

func TestWebhookWithWrongSecretChangesNothing(t *testing.T) {
	s := newStack(t, func(c *telegram.Config) { c.WebhookURL = "https://bot.example.org/hook"; c.WebhookSecret = secret })
	hook := httptest.NewServer(s.bot.Webhook(s.disp))
	defer hook.Close()
	for _, bad := range []string{"wrong", ""} {
		req := telegramtest.NewWebhookRequest(telegramtest.TextUpdate(chat, "नमस्ते"), bad)
		req.URL, _ = req.URL.Parse(hook.URL)
		req.RequestURI = ""
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("secret %q: status %d", bad, resp.StatusCode)
		}
	}
	if st := s.state(t, "1001"); st.Version != 0 {
		t.Fatalf("a refused request changed the conversation: %+v", st)
	}
	if n := len(s.fake.Sent()); n != 0 {
		t.Fatalf("a refused request was answered with %d messages", n)
	}
}
