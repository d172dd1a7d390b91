package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

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

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkBroadcast sends one broadcast to SAATHI_BENCH_RECIPIENTS people
// (default 10,000) through the whole path — event stream, conversations,
// outbox, the shared rate limiter at SAATHI_BENCH_RATE messages/s (default
// 1,000), the real Telegram client — to the fake Bot API, and reports the
// rate achieved, the fake's 429s and duplicates, and Redis's peak memory
// above its level before. Run it once:
//
//	REDIS_URL=redis://127.0.0.1:6379/0 SAATHI_BENCH_RECIPIENTS=100000 SAATHI_BENCH_RATE=3000 \
//	  go test -run XXX -bench Broadcast -benchtime 1x ./bot/telegram/
func BenchmarkBroadcast(b *testing.B) {
	n, rate := envInt("SAATHI_BENCH_RECIPIENTS", 10000), envInt("SAATHI_BENCH_RATE", 1000)
	ctx := context.Background()
	rdb := storetest.Redis(b, 14, nil)
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	fake := telegramtest.NewServer(b)
	tg, err := telegram.New(ctx, telegram.Config{
		Token: telegramtest.Token, Endpoint: fake.Endpoint(), PollTimeout: time.Second, Logger: log,
		HTTPClient: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}},
	})
	if err != nil {
		b.Fatal(err)
	}
	limiter := delivery.New(rdb, telegram.Channel, delivery.Limits{
		Overall: redis_rate.Limit{Rate: rate, Period: time.Second, Burst: max(1, rate/20)},
		PerChat: redis_rate.Limit{Rate: 1, Period: time.Second, Burst: 1},
	})
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(b, nil, nil).WithServices(svc), Store: store.New(rdb, time.Hour),
		Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(tg, limiter)}, Logger: log,
		OnDelivered: svc.Delivered, CacheSize: n + 10,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(context.Background())

	// n ward members, each with a Telegram chat.
	people := make([]roster.Person, n)
	chats := make(map[string]string, n)
	for i := range people {
		phone := fmt.Sprintf("+9197%08d", i)
		people[i] = roster.Person{Name: fmt.Sprint("सदस्य ", i), Phone: phone, Role: "sabhasad", District: "बेंच", Body: "नगर पंचायत बेंच", Ward: "1", Language: "hi"}
		chats[strconv.Itoa(100000+i)] = phone
	}
	if _, err := svc.Roster.Import(ctx, people, false); err != nil {
		b.Fatal(err)
	}
	if err := svc.Identity.LinkAll(ctx, telegram.Channel, chats); err != nil {
		b.Fatal(err)
	}
	before := usedMemory(ctx, b, rdb.Info(ctx, "memory").Val())

	router := &bot.EventRouter{Dispatcher: d, Identity: svc.Identity, Queue: svc.Events, Channels: []string{telegram.Channel}, Logger: log, NoChat: svc.NoChat}
	evCtx, stop := context.WithCancel(ctx)
	defer stop()
	svc.Events.Workers = 256
	go svc.Events.Consume(evCtx, "serve", "bench", router.Handle)

	for b.Loop() {
		start := time.Now()
		bc, err := svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "role=sabhasad,body=नगर पंचायत बेंच"},
			"कल सुबह 11 बजे बैठक है।", "बेंच", broadcast.Broadcast{CreatedBy: "bench"}, time.Now())
		if err != nil || bc.Total != n {
			b.Fatalf("broadcast to %d: %v", bc.Total, err)
		}
		queued := time.Since(start)
		peak := before
		var c broadcast.Counts
		for {
			_, c, err = svc.Broadcasts.Get(ctx, bc.ID)
			if err != nil {
				b.Fatal(err)
			}
			peak = max(peak, usedMemory(ctx, b, rdb.Info(ctx, "memory").Val()))
			if c.Pending() == 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		elapsed := time.Since(start)
		seen := make(map[int64]int, n)
		dup := 0
		sent := fake.Sent()
		perSecond := map[int64]int{}
		first, last := sent[0].At, sent[0].At
		for _, m := range sent {
			if seen[m.ChatID]++; seen[m.ChatID] == 2 {
				dup++
			}
			first, last = minTime(first, m.At), maxTime(last, m.At)
			perSecond[m.At.Unix()]++
		}
		b.Logf("per second: %v", perSecond)
		b.ReportMetric(float64(len(sent)-1)/last.Sub(first).Seconds(), "steady-msg/s")
		b.ReportMetric(float64(c.Sent)/elapsed.Seconds(), "msg/s")
		b.ReportMetric(float64(rate), "limit/s")
		b.ReportMetric(float64(peak-before)/(1<<20), "redis-MB")
		b.ReportMetric(float64(dup), "duplicates")
		b.ReportMetric(float64(fake.Calls("sendMessage")-len(fake.Sent())), "refused")
		b.Logf("%d recipients, %d sent, %d failed, queued in %v, all sent in %v; Redis peak +%.1f MB",
			n, c.Sent, c.Failed, queued.Round(time.Millisecond), elapsed.Round(time.Millisecond), float64(peak-before)/(1<<20))
		if c.Sent != n || dup != 0 {
			b.Fatalf("sent %d of %d, %d duplicates", c.Sent, n, dup)
		}
	}
}

// usedMemory reads used_memory from INFO memory.
func usedMemory(_ context.Context, b *testing.B, info string) int64 {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no used_memory in INFO")
	return 0
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
