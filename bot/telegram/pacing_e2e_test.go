package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/storetest"
)

// Two processes on one Redis deliver two broadcasts to the same people,
// against a fake that enforces Telegram's limits (30 a second, one a second
// to a chat): it never answers 429, and no chat gets its two copies closer
// than a second, though each process may hold one of them.
func TestTwoProcessesKeepTelegramsLimits(t *testing.T) {
	ctx := context.Background()
	fake := telegramtest.NewServer(t) // Telegram's limits
	first := storetest.Redis(t, storetest.DBTelegram, nil)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	const n = 40
	var svcs []*services.Services
	process := func(rdb redis.UniversalClient, name string) {
		svc := services.New(rdb, cat, log)
		limiter := delivery.New(rdb, telegram.Channel, delivery.Limits{
			Overall: redis_rate.Limit{Rate: 30, Period: time.Second},
			PerChat: redis_rate.Limit{Rate: 1, Period: time.Second},
			Account: telegram.BotID(telegramtest.Token),
		})
		tg := newBot(t, fake, func(c *telegram.Config) {
			c.OnRateLimited = func(ctx context.Context, d time.Duration) { _ = limiter.Pause(ctx, d) }
		})
		d, err := bot.NewDispatcher(bot.Options{
			Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: store.New(rdb, time.Hour),
			Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(tg, limiter)}, Logger: log, OnDelivered: svc.Delivered,
		})
		if err != nil {
			t.Fatal(err)
		}
		router := &bot.EventRouter{Dispatcher: d, Identity: svc.Identity, Queue: svc.Events, Channels: []string{telegram.Channel}, Logger: log, NoChat: svc.NoChat}
		evCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		svc.Events.Workers = 16
		go func() { svc.Events.Consume(evCtx, "serve", name, router.Handle); close(done) }()
		t.Cleanup(func() { stop(); <-done; d.Close(context.Background()) })
		svcs = append(svcs, svc)
	}
	second, err := store.Open(storetest.URL(t, storetest.DBTelegram), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	process(first, "a")
	process(second, "b")

	svc := svcs[0]
	people := make([]roster.Person, n)
	chats := make(map[string]string, n)
	for i := range people {
		phone := fmt.Sprintf("+9196%08d", i)
		people[i] = roster.Person{Name: fmt.Sprint("सदस्य ", i), Phone: phone, Role: "sabhasad", District: "बेंच", Body: "नगर पंचायत बेंच", Ward: "1", Language: "hi"}
		chats[strconv.Itoa(300000+i)] = phone
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	if err := svc.Identity.LinkAll(ctx, telegram.Channel, chats); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"कल सुबह 11 बजे बैठक है।", "बैठक अब 12 बजे है।"} {
		bc, err := svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "role=sabhasad,body=नगर पंचायत बेंच"},
			text, "बेंच", broadcast.Broadcast{CreatedBy: "test"}, time.Now())
		if err != nil || bc.Total != n {
			t.Fatalf("broadcast to %d: %v", bc.Total, err)
		}
	}
	sent := fake.WaitSent(t, 2*n, 30*time.Second)
	time.Sleep(200 * time.Millisecond) // a copy too many would come now
	if got := len(fake.Sent()); got != 2*n {
		t.Errorf("%d messages, want %d: two each", got, 2*n)
	}
	per := map[int64]int{}
	for _, m := range sent {
		per[m.ChatID]++
	}
	for chat, k := range per {
		if k != 2 {
			t.Errorf("chat %d got %d messages, want 2", chat, k)
		}
	}
	if k := fake.RateLimited(); k != 0 {
		t.Errorf("the fake answered 429 %d times", k)
	}
	if gap, k := fake.MinChatGap(); k != n || gap < time.Second {
		t.Errorf("%d gaps between two messages to one chat, the shortest %v: want %d, none under 1s", k, gap, n)
	}
}

// With one message per turn, the welcome and the next question, two
// replies of one transition, arrive as one Telegram message with the
// question's keyboard.
func TestMultiPartReplyArrivesAsOneMessage(t *testing.T) {
	s := newStackWith(t, func(o *bot.Options) { o.JoinReplies = true })
	startPoll(t, s.bot, s.disp)
	s.fake.PushText(chat, "/start")
	s.waitMessage(t, 1)
	s.fake.PushContact(chat, "919018159083", chat)
	m := s.waitMessage(t, 2)
	if !strings.Contains(m.Text, "आपका पूरा नाम क्या है?") || !strings.Contains(m.Text, "\n\n") {
		t.Fatalf("the reply to the contact reads %q: want the welcome and the name question in one message", m.Text)
	}
	time.Sleep(300 * time.Millisecond) // a second message of the reply would come now
	if n := len(s.fake.Sent()); n != 2 {
		t.Errorf("%d messages after two turns, want 2", n)
	}
}

// A 5,000-character reply goes out as two Telegram messages, cut at a
// paragraph end, paced through the limiter: no 429 from the strict fake.
func TestLongReplyIsSplitAtAParagraph(t *testing.T) {
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBTelegram, nil)
	s := delivery.Limited(newBot(t, fake), testLimiter(fake, rdb))
	p1, p2 := strings.Repeat("पहला वाक्य। ", 270), strings.Repeat("दूसरा। ", 290) // 2,969 and 2,029 characters
	reply := []flows.Reply{{Text: strings.TrimSpace(p1) + "\n\n" + strings.TrimSpace(p2)}}
	if err := s.Send(context.Background(), strconv.FormatInt(chat, 10), bot.JoinReplies(reply)); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 2 || sent[0].Text != strings.TrimSpace(p1) || sent[1].Text != strings.TrimSpace(p2) {
		t.Fatalf("%d messages; want the two paragraphs, one each", len(sent))
	}
	if n := fake.RateLimited(); n != 0 {
		t.Errorf("%d × 429", n)
	}
}

// With PaidBroadcast, bulk sends carry allow_paid_broadcast and
// interactive ones do not; without it, none does.
func TestPaidBroadcastOnlyForBulk(t *testing.T) {
	fake := telegramtest.NewServer(t)
	fake.Permissive() // three sends to one chat at once: the parameter is what is tested
	paid := newBot(t, fake, func(c *telegram.Config) { c.PaidBroadcast = true })
	free := newBot(t, fake)
	bulk := bot.WithClass(context.Background(), bot.Bulk)
	reply := []flows.Reply{{Text: "बैठक कल है।"}}
	if err := paid.Send(bulk, "1001", reply); err != nil {
		t.Fatal(err)
	}
	if n := fake.PaidBroadcasts(); n != 1 {
		t.Fatalf("a paid bulk send: %d with allow_paid_broadcast, want 1", n)
	}
	if err := paid.Send(bot.WithClass(context.Background(), bot.Interactive), "1001", reply); err != nil {
		t.Fatal(err)
	}
	if err := free.Send(bulk, "1001", reply); err != nil {
		t.Fatal(err)
	}
	if n, sent := fake.PaidBroadcasts(), len(fake.Sent()); n != 1 || sent != 3 {
		t.Errorf("%d paid of %d sent, want 1 of 3", n, sent)
	}
}

func TestBotID(t *testing.T) {
	for token, want := range map[string]string{telegramtest.Token: "123456789", "abc:def": "", "nocolon": ""} {
		if got := telegram.BotID(token); got != want {
			t.Errorf("BotID(%q) = %q, want %q", token, got, want)
		}
	}
}
