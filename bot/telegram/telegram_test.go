package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows"
)

const (
	chat    = int64(1001)
	secret  = "s3cret_webhook-token"
	waitFor = 5 * time.Second
)

// newBot connects a Bot to srv, with a 1 s poll timeout, and checks at the
// end of the test that its logs never held the token.
func newBot(t *testing.T, srv *telegramtest.Server, change ...func(*telegram.Config)) *telegram.Bot {
	t.Helper()
	logs := &syncBuffer{}
	cfg := telegram.Config{
		Token:       telegramtest.Token,
		Endpoint:    srv.Endpoint(),
		PollTimeout: time.Second,
		Logger:      slog.New(slog.NewTextHandler(io.MultiWriter(logs, t.Output()), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range change {
		f(&cfg)
	}
	b, err := telegram.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), telegramtest.Token) {
			t.Errorf("the logs hold the bot token:\n%s", logs.String())
		}
	})
	return b
}

// testLimiter is the shared limiter, as serve makes it, at the limits the
// end-to-end tests run at: Telegram's 30 a second overall and 20 a minute
// to a group, but 100 ms between two messages to one chat instead of 1 s,
// so that conversations are quick. fake enforces the same limits.
func testLimiter(fake *telegramtest.Server, rdb redis.UniversalClient) *delivery.Limiter {
	fake.SetLimits(telegramtest.Limits{Overall: 30, ChatInterval: 100 * time.Millisecond, GroupPerMinute: 20})
	return delivery.New(rdb, telegram.Channel, delivery.Limits{
		Overall:  redis_rate.Limit{Rate: 30, Period: time.Second},
		PerChat:  redis_rate.Limit{Rate: 10, Period: time.Second},
		PerGroup: redis_rate.Limit{Rate: 20, Period: time.Minute},
		IsGroup:  delivery.TelegramGroup,
	})
}

// startPoll runs b.Poll until the test ends and checks that it returns nil.
func startPoll(t *testing.T, b *telegram.Bot, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Poll returned %v, want nil", err)
			}
		case <-time.After(waitFor):
			t.Errorf("Poll still running %v after its context was cancelled", waitFor)
		}
	})
}

// recorder is a bot.Handler that records every call and fails the updates
// it is told to fail.
type recorder struct {
	mu       sync.Mutex
	attempts []attempt
	failures map[string]int // update id → failures left
	changed  chan struct{}
}

type attempt struct {
	in flows.Input
	ok bool
}

func newRecorder() *recorder {
	return &recorder{failures: make(map[string]int), changed: make(chan struct{})}
}

func (r *recorder) Handle(_ context.Context, in flows.Input) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	fail := r.failures[in.ID] > 0
	if fail {
		r.failures[in.ID]--
	}
	r.attempts = append(r.attempts, attempt{in: in, ok: !fail})
	close(r.changed)
	r.changed = make(chan struct{})
	if fail {
		return errors.New("store unavailable")
	}
	return nil
}

// fail makes the next n calls for update id fail.
func (r *recorder) fail(id int, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures[strconv.Itoa(id)] = n
}

func (r *recorder) all() []attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.attempts)
}

// taken returns the inputs handled without error, in order.
func (r *recorder) taken() []flows.Input {
	var ins []flows.Input
	for _, a := range r.all() {
		if a.ok {
			ins = append(ins, a.in)
		}
	}
	return ins
}

// wait waits until n inputs were taken and returns them.
func (r *recorder) wait(t *testing.T, n int) []flows.Input {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		r.mu.Lock()
		changed := r.changed
		r.mu.Unlock()
		if ins := r.taken(); len(ins) >= n {
			return ins
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("%d inputs taken after %v, want %d: %+v", len(r.taken()), waitFor, n, r.all())
		}
	}
}

// eventually fails the test when cond is still false after a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitFor); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after %v", what, waitFor)
		}
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestNew(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	if got := b.Username(); got != telegramtest.BotUsername {
		t.Errorf("Username() = %q, want %q", got, telegramtest.BotUsername)
	}

	bad := []struct {
		name string
		cfg  telegram.Config
	}{
		{"no token", telegram.Config{Endpoint: srv.Endpoint()}},
		{"wrong token", telegram.Config{Token: "1:wrong", Endpoint: srv.Endpoint()}},
		{"webhook without secret", telegram.Config{Token: telegramtest.Token, Endpoint: srv.Endpoint(), WebhookURL: "https://example.com/hook"}},
		{"webhook over http", telegram.Config{Token: telegramtest.Token, Endpoint: srv.Endpoint(), WebhookURL: "http://example.com/hook", WebhookSecret: secret}},
		{"bad endpoint", telegram.Config{Token: telegramtest.Token, Endpoint: srv.URL()}},
		{"client timeout too short", telegram.Config{Token: telegramtest.Token, Endpoint: srv.Endpoint(), PollTimeout: time.Second, HTTPClient: &http.Client{Timeout: time.Second}}},
		{"server down", telegram.Config{Token: telegramtest.Token, Endpoint: "http://127.0.0.1:1/bot%s/%s"}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := telegram.New(t.Context(), c.cfg)
			if err == nil {
				t.Fatal("New succeeded")
			}
			if strings.Contains(err.Error(), telegramtest.Token) {
				t.Errorf("the error holds the token: %v", err)
			}
		})
	}
}

func TestInbound(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	startPoll(t, newBot(t, srv), rec)

	media := func(set func(m *tgbotapi.Message)) tgbotapi.Update {
		m := telegramtest.PrivateMessage(chat)
		set(m)
		return telegramtest.MessageUpdate(m)
	}
	cases := []struct {
		name   string
		update tgbotapi.Update
		want   flows.Input // Channel, User, ID and Name are checked for all
	}{
		{"text", telegramtest.TextUpdate(chat, "नमस्ते"), flows.Input{Text: "नमस्ते"}},
		{"start command", telegramtest.TextUpdate(chat, "/start abc"), flows.Input{Text: "/start abc"}},
		{"command to the bot by name", telegramtest.TextUpdate(chat, "/start@"+telegramtest.BotUsername+" abc"), flows.Input{Text: "/start abc"}},
		{"command to another bot", telegramtest.TextUpdate(chat, "/start@other_bot"), flows.Input{Text: "/start@other_bot"}},
		{"own contact", telegramtest.ContactUpdate(chat, "+919876543210", chat), flows.Input{Contact: &flows.Contact{Phone: "+919876543210", Own: true}}},
		{"someone else's contact", telegramtest.ContactUpdate(chat, "+919876543211", 555), flows.Input{Contact: &flows.Contact{Phone: "+919876543211"}}},
		{"contact without user", telegramtest.ContactUpdate(chat, "+919876543212", 0), flows.Input{Contact: &flows.Contact{Phone: "+919876543212"}}},
		{"location", telegramtest.LocationUpdate(chat, 26.85, 80.95), flows.Input{Location: &flows.Location{Lat: 26.85, Lon: 80.95}}},
		{"voice", media(func(m *tgbotapi.Message) { m.Voice = &tgbotapi.Voice{FileID: "v", Duration: 3} }), flows.Input{Media: "voice", File: &flows.File{ID: "v", Name: "voice.ogg"}}},
		{"audio", media(func(m *tgbotapi.Message) { m.Audio = &tgbotapi.Audio{FileID: "a"} }), flows.Input{Media: "voice", File: &flows.File{ID: "a", Name: "audio"}}},
		{"sticker", media(func(m *tgbotapi.Message) { m.Sticker = &tgbotapi.Sticker{FileID: "s", Emoji: "👍"} }), flows.Input{Media: "sticker"}},
		{"photo with caption", media(func(m *tgbotapi.Message) {
			m.Photo = []tgbotapi.PhotoSize{{FileID: "p1", Width: 90, Height: 90}, {FileID: "p2", Width: 800, Height: 800}}
			m.Caption = "मेरा कार्ड"
		}), flows.Input{Media: "photo", Text: "मेरा कार्ड"}},
		{"video note", media(func(m *tgbotapi.Message) { m.VideoNote = &tgbotapi.VideoNote{FileID: "n"} }), flows.Input{Media: "video"}},
		{"animation", media(func(m *tgbotapi.Message) {
			m.Animation = &tgbotapi.Animation{FileID: "g"}
			m.Document = &tgbotapi.Document{FileID: "g"}
		}), flows.Input{Media: "video"}},
		{"document", media(func(m *tgbotapi.Message) {
			m.Document = &tgbotapi.Document{FileID: "d", FileName: "सूची.pdf", FileSize: 2048}
			m.Caption = "मेरी सूची"
		}), flows.Input{Media: "document", Text: "मेरी सूची", File: &flows.File{ID: "d", Name: "सूची.pdf", Size: 2048}}},
		{"document without name or caption", telegramtest.DocumentUpdate(chat, "d2", "", ""),
			flows.Input{Media: "document", File: &flows.File{ID: "d2"}}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := srv.PushUpdate(c.update)
			got := rec.wait(t, i+1)[i]
			want := c.want
			want.Channel, want.User, want.ID, want.Name = "telegram", "1001", strconv.Itoa(id), "Test User"
			if !sameInput(got, want) {
				t.Errorf("input\n got %+v (contact %+v, location %+v, file %+v)\nwant %+v (contact %+v, location %+v, file %+v)",
					got, got.Contact, got.Location, got.File, want, want.Contact, want.Location, want.File)
			}
		})
	}
}

// sameInput compares inputs, and what their pointers point to.
func sameInput(a, b flows.Input) bool {
	if !equalPtr(a.Contact, b.Contact) || !equalPtr(a.Location, b.Location) || !sameFile(a.File, b.File) {
		return false
	}
	a.Contact, a.Location, a.File, b.Contact, b.Location, b.File = nil, nil, nil, nil, nil, nil
	return a == b
}

func sameFile(a, b *flows.File) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.Name == b.Name && a.Size == b.Size && bytes.Equal(a.Data, b.Data)
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func TestInboundSkipsOtherChatsAndUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()

	group := telegramtest.TextUpdate(-100123, "hello group")
	group.Message.Chat.Type = "supergroup"
	srv.PushUpdate(group)
	edited := telegramtest.TextUpdate(chat, "edited")
	edited.EditedMessage, edited.Message = edited.Message, nil
	srv.PushUpdate(edited)
	dice := telegramtest.PrivateMessage(chat)
	dice.Dice = &tgbotapi.Dice{Emoji: "🎲", Value: 4}
	srv.PushUpdate(telegramtest.MessageUpdate(dice))
	last := srv.PushText(chat, "hi")

	startPoll(t, newBot(t, srv), rec)
	if got := rec.wait(t, 1); len(got) != 1 || got[0].Text != "hi" {
		t.Errorf("handled %+v, want only the private text", got)
	}
	eventually(t, "acknowledged", func() bool { return slices.Contains(srv.Offsets(), last+1) })
	if got := rec.all(); len(got) != 1 {
		t.Errorf("Handle called %d times, want 1", len(got))
	}
}

func TestCallback(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	b := newBot(t, srv)
	startPoll(t, b, rec)

	err := b.Send(t.Context(), "1001", []flows.Reply{{
		Text:    "क्या आप आएँगे?",
		Options: []flows.Option{{Data: "yes", Label: "आऊँगा"}, {Data: "no", Label: "नहीं"}},
	}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	msg := srv.WaitSent(t, 1, waitFor)[0]

	// The store fails the first time: nothing may be answered or edited until it takes the press.
	m, ok := srv.Message(chat, msg.MessageID)
	if !ok {
		t.Fatal("the fake lost the sent message")
	}
	u := telegramtest.CallbackUpdate(chat, &m, "no")
	u.UpdateID = 900001
	rec.fail(u.UpdateID, 1) // before the push, or the poller may take it first
	id := srv.PushUpdate(u)
	got := rec.wait(t, 1)[0]
	want := flows.Input{Channel: "telegram", User: "1001", ID: strconv.Itoa(id), Choice: "no", Name: "Test User"}
	if got != want {
		t.Errorf("input = %+v, want %+v", got, want)
	}
	eventually(t, "answered", func() bool { return len(srv.CallbackAnswers()) == 1 })
	eventually(t, "edited", func() bool { return len(srv.Edits()) == 1 })
	if n := len(rec.all()); n != 2 {
		t.Errorf("Handle called %d times, want 2 (a failure, then success)", n)
	}

	edit := srv.Edits()[0]
	if wantText := "क्या आप आएँगे?\n\n✔ नहीं"; edit.MessageID != msg.MessageID || edit.Text != wantText {
		t.Errorf("edit = message %d %q, want message %d %q", edit.MessageID, edit.Text, msg.MessageID, wantText)
	}
	if edit.Keyboard != nil || edit.ParseMode != "" {
		t.Errorf("edit keeps keyboard %v / parse mode %q", edit.Keyboard, edit.ParseMode)
	}
	if now, _ := srv.Message(chat, msg.MessageID); now.ReplyMarkup != nil {
		t.Errorf("message still has a keyboard: %+v", now.ReplyMarkup)
	}
}

func TestPollRedeliversFailedUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()

	a1 := srv.PushText(1, "a1")
	b1 := srv.PushText(2, "b1")
	a2 := srv.PushText(1, "a2")
	rec.fail(a1, 1)
	start := time.Now()
	startPoll(t, newBot(t, srv), rec)

	rec.wait(t, 4) // b1, then a1 and b1 again and a2
	eventually(t, "acknowledged", func() bool { return slices.Contains(srv.Offsets(), a2+1) })
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("polled again after %v, want a pause of 1 s", elapsed)
	}

	offsets := srv.Offsets()
	if len(offsets) < 3 || offsets[0] != 0 || offsets[1] != a1 || offsets[2] != a2+1 {
		t.Errorf("offsets = %v, want [0 %d %d …]", offsets, a1, a2+1)
	}
	var chat1 []string
	for _, a := range rec.all() {
		if a.in.User == "1" {
			chat1 = append(chat1, fmt.Sprintf("%s:%v", a.in.Text, a.ok))
		}
	}
	if want := []string{"a1:false", "a1:true", "a2:true"}; !slices.Equal(chat1, want) {
		t.Errorf("chat 1 got %v, want %v (a2 must wait for a1)", chat1, want)
	}
	ids := func(ins []flows.Input) (out []string) {
		for _, in := range ins {
			out = append(out, in.ID)
		}
		return out
	}
	if got := ids(rec.taken()); !slices.Contains(got, strconv.Itoa(b1)) {
		t.Errorf("b1 not taken: %v", got)
	}
	if p := srv.Pending(); len(p) != 0 {
		t.Errorf("pending after success: %v", p)
	}
}

func TestPollAcknowledgesAfterSuccess(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	srv.PushText(1, "one")
	srv.PushText(2, "two")
	last := srv.PushText(1, "three")
	startPoll(t, newBot(t, srv), rec) // one batch of three

	rec.wait(t, 3)
	eventually(t, "acknowledged", func() bool { return len(srv.Offsets()) >= 2 })
	if got := srv.Offsets()[:2]; got[0] != 0 || got[1] != last+1 {
		t.Errorf("offsets %v, want [0 %d]", got, last+1)
	}
	if got := srv.Pending(); len(got) != 0 {
		t.Errorf("pending %v, want none", got)
	}
}

func TestPollRetriesGetUpdatesErrorsAndStops(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	b := newBot(t, srv)
	srv.FailNext("getUpdates", http.StatusBadGateway, 0, 1)
	srv.PushText(chat, "hi")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx, rec) }()
	rec.wait(t, 1)
	if n := srv.Calls("getUpdates"); n < 2 {
		t.Errorf("getUpdates called %d times, want a retry", n)
	}

	time.Sleep(100 * time.Millisecond) // now inside a long poll
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Poll = %v, want nil", err)
		}
	case <-time.After(500 * time.Millisecond):
		t.Fatal("Poll did not return promptly on cancel")
	}
}

func TestSendKeyboards(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	err := b.Send(t.Context(), "1001", []flows.Reply{
		{Text: "चुनिए", Options: []flows.Option{{Data: "a", Label: "पहला"}, {Data: "b", Label: "दूसरा"}}},
		{Text: "नंबर भेजिए", Request: flows.RequestContact, RequestLabel: "📞 नंबर भेजें"},
		{Text: "जगह भेजिए", Request: flows.RequestLocation, RequestLabel: "📍 जगह"},
		{Text: "<b>धन्यवाद</b> *_"},
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := srv.SentTo(chat)
	if len(sent) != 4 {
		t.Fatalf("sent %d messages, want 4: %+v", len(sent), sent)
	}
	options, contact, location, plain := sent[0], sent[1], sent[2], sent[3]

	wantKeyboard := [][]telegramtest.Button{{{Text: "पहला", Data: "a"}}, {{Text: "दूसरा", Data: "b"}}}
	if options.Text != "चुनिए" || fmt.Sprint(options.Keyboard) != fmt.Sprint(wantKeyboard) || options.Remove {
		t.Errorf("options message = %+v, want inline keyboard %v", options, wantKeyboard)
	}
	if got := contact.ReplyKeyboard; len(got) != 1 || got[0] != (telegramtest.Button{Text: "📞 नंबर भेजें", RequestContact: true}) ||
		!contact.OneTime || !contact.Resize {
		t.Errorf("contact request = %+v, want one one-time resized request_contact button", contact)
	}
	if got := location.ReplyKeyboard; len(got) != 1 || got[0] != (telegramtest.Button{Text: "📍 जगह", RequestLocation: true}) {
		t.Errorf("location request = %+v, want one request_location button", location)
	}
	if !plain.Remove || plain.Keyboard != nil || plain.ReplyKeyboard != nil {
		t.Errorf("plain message = %+v, want the keyboard removed", plain)
	}
	for _, m := range sent {
		if m.ParseMode != "" {
			t.Errorf("message %q sent with parse mode %q", m.Text, m.ParseMode)
		}
	}
	if plain.Text != "<b>धन्यवाद</b> *_" {
		t.Errorf("plain text = %q, want it verbatim", plain.Text)
	}
}

func TestSendRetriesAfter429(t *testing.T) {
	srv := telegramtest.NewServer(t)
	srv.Permissive() // Send unpaced: only the 429 below is wanted
	b := newBot(t, srv)
	srv.FailNext("sendMessage", http.StatusTooManyRequests, 1, 1)

	start := time.Now()
	if err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "one"}, {Text: "two"}}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("sent after %v, want ≥ 1 s (retry_after)", elapsed)
	}
	if got := srv.SentTo(chat); len(got) != 2 || got[0].Text != "one" || got[1].Text != "two" {
		t.Errorf("sent %+v, want one and two once each", got)
	}
	if n := srv.Calls("sendMessage"); n != 3 {
		t.Errorf("sendMessage called %d times, want 3", n)
	}
}

func TestSendGivesUpAfterMaxRetries(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv, func(c *telegram.Config) { c.MaxRetries = 2 })
	srv.FailNext("sendMessage", http.StatusTooManyRequests, 1, 5)

	err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "one"}})
	if err == nil || errors.Is(err, bot.ErrUnreachable) {
		t.Fatalf("Send = %v, want a retryable error", err)
	}
	if n := srv.Calls("sendMessage"); n != 2 {
		t.Errorf("sendMessage called %d times, want MaxRetries = 2", n)
	}
}

func TestSendRateLimitWaitHonoursContext(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	srv.FailNext("sendMessage", http.StatusTooManyRequests, 30, 1)

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := b.Send(ctx, "1001", []flows.Reply{{Text: "one"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want the context's error", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Send returned after %v", elapsed)
	}
}

func TestSendErrors(t *testing.T) {
	cases := []struct {
		name        string
		code        int
		unreachable bool
	}{
		{"blocked", http.StatusForbidden, true},
		{"chat not found", http.StatusBadRequest, true},
		{"server error", http.StatusInternalServerError, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			b := newBot(t, srv)
			srv.FailNext("sendMessage", c.code, 0, 1)

			err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "one"}, {Text: "two"}})
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if errors.Is(err, bot.ErrUnreachable) != c.unreachable {
				t.Errorf("errors.Is(%v, ErrUnreachable) = %v, want %v", err, !c.unreachable, c.unreachable)
			}
			if apiErr, ok := errors.AsType[*tgbotapi.Error](err); !ok || apiErr.Code != c.code {
				t.Errorf("error %v does not carry the API error %d", err, c.code)
			}
			if n := srv.Calls("sendMessage"); n != 1 {
				t.Errorf("sendMessage called %d times, want 1 (no retry, stop at the first error)", n)
			}
		})
	}

	t.Run("not a chat id", func(t *testing.T) {
		b := newBot(t, telegramtest.NewServer(t))
		if err := b.Send(t.Context(), "+919876543210x", []flows.Reply{{Text: "x"}}); !errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("Send = %v, want ErrUnreachable", err)
		}
	})
}

func TestSendSplitsLongText(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)

	var lines []string
	for i := range 120 {
		lines = append(lines, fmt.Sprintf("%03d %s", i, strings.Repeat("क", 60)))
	}
	long := strings.Join(lines, "\n")
	emoji := strings.Repeat("😀", 3000) // 6000 UTF-16 units, one line
	err := b.Send(t.Context(), "1001", []flows.Reply{
		{Text: long, Options: []flows.Option{{Data: "ok", Label: "ठीक"}}},
		{Text: emoji},
	})
	if err != nil {
		t.Fatalf("Send: %v", err) // the fake refuses texts over 4096 UTF-16 units
	}
	sent := srv.SentTo(chat)
	if len(sent) != 4 {
		t.Fatalf("sent %d messages, want 2 + 2", len(sent))
	}
	if got := sent[0].Text + "\n" + sent[1].Text; got != long {
		t.Errorf("the parts of the long text do not add up to it")
	}
	if !strings.HasSuffix(sent[0].Text, strings.Repeat("क", 60)) || !strings.HasPrefix(sent[1].Text, lines[len(strings.Split(sent[0].Text, "\n"))]) {
		t.Errorf("long text not split at a line end")
	}
	if sent[0].Keyboard != nil || sent[1].Keyboard == nil {
		t.Errorf("keyboards %v, %v: want it on the last part only", sent[0].Keyboard, sent[1].Keyboard)
	}
	if got := sent[2].Text + sent[3].Text; got != emoji {
		t.Errorf("the parts of the emoji text do not add up to it")
	}
}

func TestWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv, func(c *telegram.Config) {
		c.WebhookURL = "https://bot.example.com/telegram/webhook"
		c.WebhookSecret = secret
	})

	serve := func(h bot.Handler, r *http.Request) int {
		w := httptest.NewRecorder()
		b.Webhook(h).ServeHTTP(w, r)
		return w.Code
	}
	text := telegramtest.TextUpdate(chat, "hi")
	text.UpdateID = 777

	refused := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"wrong secret", telegramtest.NewWebhookRequest(text, "wrong"), http.StatusForbidden},
		{"secret with a different length", telegramtest.NewWebhookRequest(text, secret+"x"), http.StatusForbidden},
		{"no secret", telegramtest.NewWebhookRequest(text, ""), http.StatusForbidden},
		{"GET", httptest.NewRequest(http.MethodGet, "/telegram/webhook", nil), http.StatusMethodNotAllowed},
		{"bad JSON", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader("{not json"))
			r.Header.Set(telegram.SecretHeader, secret)
			return r
		}(), http.StatusBadRequest},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder()
			if got := serve(rec, c.req); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
			if n := len(rec.all()); n != 0 {
				t.Errorf("Handle called %d times", n)
			}
		})
	}

	t.Run("right secret", func(t *testing.T) {
		rec := newRecorder()
		if got := serve(rec, telegramtest.NewWebhookRequest(text, secret)); got != http.StatusOK {
			t.Errorf("status %d, want 200", got)
		}
		if got := rec.taken(); len(got) != 1 || got[0].ID != "777" || got[0].Text != "hi" {
			t.Errorf("handled %+v", got)
		}
	})

	t.Run("handler fails", func(t *testing.T) {
		rec := newRecorder()
		rec.fail(777, 1)
		if got := serve(rec, telegramtest.NewWebhookRequest(text, secret)); got != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", got)
		}
	})

	t.Run("callback", func(t *testing.T) {
		if err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "हाँ या ना?", Options: []flows.Option{{Data: "y", Label: "हाँ"}}}}); err != nil {
			t.Fatal(err)
		}
		msg := srv.WaitSent(t, 1, waitFor)[0]
		id := srv.PushCallback(chat, msg.MessageID, "y")
		var update tgbotapi.Update
		for _, u := range mustGetUpdates(t, srv) {
			if u.UpdateID == id {
				update = u
			}
		}
		rec := newRecorder()
		if got := serve(rec, telegramtest.NewWebhookRequest(update, secret)); got != http.StatusOK {
			t.Errorf("status %d, want 200", got)
		}
		if got := rec.taken(); len(got) != 1 || got[0].Choice != "y" {
			t.Errorf("handled %+v", got)
		}
		if got := srv.CallbackAnswers(); len(got) != 1 || got[0] != update.CallbackQuery.ID {
			t.Errorf("answers %v, want [%s]", got, update.CallbackQuery.ID)
		}
		if got := srv.Edits(); len(got) != 1 || got[0].Text != "हाँ या ना?\n\n✔ हाँ" {
			t.Errorf("edits %+v", got)
		}
	})
}

// mustGetUpdates reads the fake's queue as Telegram would hand it out.
func mustGetUpdates(t *testing.T, srv *telegramtest.Server) []tgbotapi.Update {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(telegramtest.Token, srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return updates
}

func TestWebhookRefusesAllWithoutSecret(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv) // polling: no secret configured
	rec := newRecorder()
	w := httptest.NewRecorder()
	b.Webhook(rec).ServeHTTP(w, telegramtest.NewWebhookRequest(telegramtest.TextUpdate(chat, "hi"), ""))
	if w.Code != http.StatusForbidden || len(rec.all()) != 0 {
		t.Errorf("status %d, %d calls; want 403 and none", w.Code, len(rec.all()))
	}
}

func TestSetWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t)
	hook := newBot(t, srv, func(c *telegram.Config) {
		c.WebhookURL = "https://bot.example.com/telegram/webhook"
		c.WebhookSecret = secret
	})
	if err := hook.SetWebhook(t.Context()); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	params := srv.Webhook()
	if params["url"] != "https://bot.example.com/telegram/webhook" || params["secret_token"] != secret {
		t.Errorf("setWebhook params = %v", params)
	}
	if got := params["allowed_updates"]; got != `["message","callback_query"]` {
		t.Errorf("allowed_updates = %s", got)
	}

	poller := newBot(t, srv)
	if err := poller.SetWebhook(t.Context()); err != nil {
		t.Fatalf("SetWebhook (polling): %v", err)
	}
	if srv.Webhook() != nil || srv.Calls("deleteWebhook") != 1 {
		t.Errorf("webhook %v after SetWebhook without URL, want deleted", srv.Webhook())
	}
}

func TestRateLimitIsReportedForTheWholeChannel(t *testing.T) {
	srv := telegramtest.NewServer(t)
	var mu sync.Mutex
	var waits []time.Duration
	b := newBot(t, srv, func(c *telegram.Config) {
		c.OnRateLimited = func(_ context.Context, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
		}
	})
	srv.FailNext("sendMessage", 429, 2, 1)
	err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "नमस्ते"}})
	if !errors.Is(err, bot.ErrRateLimited) {
		t.Fatalf("Send after a 429: %v, want ErrRateLimited (the limiter waits, not the adapter)", err)
	}
	if n := len(srv.Sent()); n != 0 {
		t.Fatalf("%d sent", n)
	}
	mu.Lock()
	if len(waits) != 1 || waits[0] != 2*time.Second {
		t.Fatalf("OnRateLimited told %v, want [2s]", waits)
	}
	mu.Unlock()
	if err := b.Send(t.Context(), "1001", []flows.Reply{{Text: "नमस्ते"}}); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
}

// TestPollGivesUpOnAnUpdateThatKeepsFailing: an update whose handler keeps
// failing while other chats' updates are taken holds the offset for a few
// rounds only; then it is dropped and the offset moves on.
func TestPollGivesUpOnAnUpdateThatKeepsFailing(t *testing.T) {
	srv := telegramtest.NewServer(t)
	rec := newRecorder()
	a1 := srv.PushText(1, "a1")
	srv.PushText(2, "b1")
	rec.fail(a1, 1000)
	startPoll(t, newBot(t, srv), rec)
	rec.wait(t, 1)
	b2 := srv.PushText(2, "b2") // a newer update, held back by a1 meanwhile
	eventually(t, "past the failing update", func() bool { return slices.Contains(srv.Offsets(), b2+1) })
	tries := 0
	for _, a := range rec.all() {
		if a.in.ID == strconv.Itoa(a1) {
			tries++
		}
	}
	if tries != 5 {
		t.Errorf("the failing update was tried %d times, want 5", tries)
	}
	if p := srv.Pending(); len(p) != 0 {
		t.Errorf("pending %v", p)
	}
}

// TestWebhookGivesUpOnlyWhileOthersAreTaken: an update that keeps failing
// is answered 500 (Telegram sends it again) while nothing else is taken
// (Redis down for everyone), however often; once others are taken, it is
// given up on (200) at its fifth try.
func TestWebhookGivesUpOnlyWhileOthersAreTaken(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv, func(c *telegram.Config) {
		c.WebhookURL = "https://bot.example.com/telegram/webhook"
		c.WebhookSecret = secret
	})
	rec := newRecorder()
	hook := b.Webhook(rec)
	post := func(id int) int {
		u := telegramtest.TextUpdate(chat, "hi")
		u.UpdateID = id
		w := httptest.NewRecorder()
		hook.ServeHTTP(w, telegramtest.NewWebhookRequest(u, secret))
		return w.Code
	}
	rec.fail(900, 1000)
	for i := range 8 {
		if got := post(900); got != http.StatusInternalServerError {
			t.Fatalf("try %d with nothing else taken: %d, want 500", i+1, got)
		}
	}
	if got := post(901); got != http.StatusOK {
		t.Fatalf("another update: %d", got)
	}
	if got := post(900); got != http.StatusOK {
		t.Fatalf("after others were taken: %d, want 200 (given up)", got)
	}
	rec.fail(902, 1000)
	for i := range 4 {
		if got := post(902); got != http.StatusInternalServerError {
			t.Fatalf("try %d: %d, want 500", i+1, got)
		}
		post(903 + i) // others go through meanwhile
	}
	if got := post(902); got != http.StatusOK {
		t.Fatalf("fifth try while others were taken: %d, want 200", got)
	}
}
