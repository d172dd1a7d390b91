package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
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
