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

// pacedProcess is one bot process on rdb as serve wires it: its limiter
// (rate a second, one a second to a chat, the bot's id), a Telegram client
// of fake that pauses the limiter on a 429, a dispatcher sending one
// message per turn, and an event consumer named name.
type pacedProcess struct {
	svc *services.Services
	d   *bot.Dispatcher
	tg  *telegram.Bot
}

func startPaced(t *testing.T, fake *telegramtest.Server, rdb redis.UniversalClient, name string, rate int) pacedProcess {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	limiter := delivery.New(rdb, telegram.Channel, delivery.Limits{
		Overall: redis_rate.Limit{Rate: rate, Period: time.Second},
		PerChat: redis_rate.Limit{Rate: 1, Period: time.Second},
		Account: telegram.BotID(telegramtest.Token),
	})
	tg := newBot(t, fake, func(c *telegram.Config) {
		c.OnRateLimited = func(ctx context.Context, d time.Duration) { _ = limiter.Pause(ctx, d) }
	})
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithServices(svc), Store: store.New(rdb, time.Hour), JoinReplies: true,
		Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(tg, limiter)}, Logger: log, OnDelivered: svc.Delivered,
	})
	if err != nil {
		t.Fatal(err)
	}
	router := &bot.EventRouter{Dispatcher: d, Identity: svc.Identity, Queue: svc.Events, Channels: []string{telegram.Channel}, Logger: log, NoChat: svc.NoChat}
	evCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	svc.Events.Workers = 16
	go func() { svc.Events.Consume(evCtx, "serve", name, router.Handle); close(done) }()
	t.Cleanup(func() { stop(); <-done; d.Close(context.Background()) })
	return pacedProcess{svc: svc, d: d, tg: tg}
}

// linkMembers puts n ward members on the roster, each linked to a Telegram
// chat from 300000 on, and returns the chats.
func linkMembers(t *testing.T, svc *services.Services, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	people := make([]roster.Person, n)
	chats := make(map[string]string, n)
	ids := make([]int64, n)
	for i := range people {
		phone := fmt.Sprintf("+9196%08d", i)
		people[i] = roster.Person{Name: fmt.Sprint("सदस्य ", i), Phone: phone, Role: "sabhasad", District: "बेंच", Body: "नगर पंचायत बेंच", Ward: "1", Language: "hi"}
		ids[i] = int64(300000 + i)
		chats[strconv.FormatInt(ids[i], 10)] = phone
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		t.Fatal(err)
	}
	if err := svc.Identity.LinkAll(ctx, telegram.Channel, chats); err != nil {
		t.Fatal(err)
	}
	return ids
}

// broadcastToMembers sends text to every ward member of linkMembers.
func broadcastToMembers(t *testing.T, svc *services.Services, n int, text string) {
	t.Helper()
	bc, err := svc.Broadcast(context.Background(), roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "role=sabhasad,body=नगर पंचायत बेंच"},
		text, "बेंच", broadcast.Broadcast{CreatedBy: "test"}, time.Now())
	if err != nil || bc.Total != n {
		t.Fatalf("broadcast to %d: %v", bc.Total, err)
	}
}

// Two processes on one Redis deliver two broadcasts to the same people,
// against a fake that enforces Telegram's limits (30 a second, one a second
// to a chat): it never answers 429, and no chat gets its two copies closer
// than a second, though each process may hold one of them.
func TestTwoProcessesKeepTelegramsLimits(t *testing.T) {
	fake := telegramtest.NewServer(t) // Telegram's limits
	first := storetest.Redis(t, storetest.DBTelegram, nil)
	second, err := store.Open(storetest.URL(t, storetest.DBTelegram), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	a := startPaced(t, fake, first, "a", 30)
	startPaced(t, fake, second, "b", 30)

	const n = 40
	linkMembers(t, a.svc, n)
	for _, text := range []string{"कल सुबह 11 बजे बैठक है।", "बैठक अब 12 बजे है।"} {
		broadcastToMembers(t, a.svc, n, text)
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

// During a broadcast at 10 a second to 40 people, one of them whose copy
// is still waiting behind the others writes: they are answered within a
// second, long before the broadcast ends (interactive never waits behind
// bulk, not even behind the writer's own copy); the copies all go, the
// writer's own a chat interval from the reply, and the strict fake answers
// no 429.
func TestRecipientWhoWritesMidBroadcastIsAnsweredFirst(t *testing.T) {
	fake := telegramtest.NewServer(t)
	limits := telegramtest.TelegramLimits
	limits.Overall = 10
	fake.SetLimits(limits)
	p := startPaced(t, fake, storetest.Redis(t, storetest.DBTelegram, nil), "a", 10)
	startPoll(t, p.tg, p.d)
	const n = 40
	chats := linkMembers(t, p.svc, n)
	const text = "कल सुबह 11 बजे बैठक है।"
	broadcastToMembers(t, p.svc, n, text)
	fake.WaitSent(t, 5, 10*time.Second) // the broadcast is under way
	isCopy := func(m telegramtest.SentMessage) bool { return strings.Contains(m.Text, text) }
	for _, chat := range chats {
		got := fake.SentTo(chat)
		if len(got) > 0 {
			continue
		}
		// A recipient still waiting for their copy writes.
		pushed := time.Now()
		fake.PushText(chat, "नमस्ते")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var reply *telegramtest.SentMessage
		for reply == nil {
			msgs, err := fake.WaitChat(ctx, chat, len(got)+1)
			if err != nil {
				cancel()
				t.Fatalf("no reply to a recipient who wrote mid-broadcast: %v", err)
			}
			for i := range msgs {
				if !isCopy(msgs[i]) {
					reply = &msgs[i]
				}
			}
			got = msgs
		}
		cancel()
		if d := reply.At.Sub(pushed); d > time.Second {
			t.Errorf("the reply to a recipient who wrote mid-broadcast took %v, want under 1 s (the broadcast takes 4 s)", d)
		}
		break
	}
	sent := fake.WaitSent(t, n+1, 20*time.Second)
	copies := 0
	for _, m := range sent {
		if isCopy(m) {
			copies++
		}
	}
	if copies != n {
		t.Errorf("%d copies, want %d", copies, n)
	}
	if k := fake.RateLimited(); k != 0 {
		t.Errorf("the fake answered 429 %d times", k)
	}
	if gap, k := fake.MinChatGap(); k != 1 || gap < time.Second {
		t.Errorf("%d gaps between two messages to one chat, the shortest %v: want the writer's reply and copy, a second apart or more", k, gap)
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

// A reply Telegram takes as two messages — one paragraph over 4,096
// characters, a document whose text is too long for a caption — takes a
// turn of the limiter for each: the strict fake sees the chat's interval
// between them and answers no 429 (before, both went in one turn, the
// second refused).
func TestEachMessageOfAReplyTakesATurn(t *testing.T) {
	for name, reply := range map[string]flows.Reply{
		"one long paragraph":  {Text: strings.TrimSpace(strings.Repeat("लंबा वाक्य ", 500))}, // 5,500 characters, no blank line
		"document and a text": {Text: strings.Repeat("सूची ", 300), File: &flows.File{Name: "सूची.csv", Data: []byte("नाम\n")}},
	} {
		t.Run(name, func(t *testing.T) {
			fake := telegramtest.NewServer(t)
			rdb := storetest.Redis(t, storetest.DBTelegram, nil)
			s := delivery.Limited(newBot(t, fake), testLimiter(fake, rdb))
			if err := s.Send(context.Background(), strconv.FormatInt(chat, 10), []flows.Reply{reply}); err != nil {
				t.Fatal(err)
			}
			if sent := fake.Sent(); len(sent) != 2 {
				t.Fatalf("%d messages, want 2", len(sent))
			}
			if n := fake.RateLimited(); n != 0 {
				t.Errorf("%d × 429", n)
			}
			if gap, n := fake.MinChatGap(); n != 1 || gap < 100*time.Millisecond {
				t.Errorf("%d gaps, the shortest %v: want one, no shorter than the chat interval (100 ms)", n, gap)
			}
		})
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
