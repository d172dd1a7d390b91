package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

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

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkBroadcast sends one broadcast to SAATHI_BENCH_RECIPIENTS people
// (default 10,000) through the whole path — event stream, conversations,
// outbox, the shared rate limiter at SAATHI_BENCH_RATE messages/s (default
// 1,000), the real Telegram client — to the fake Bot API, which enforces
// Telegram's limits strictly (30 a second, or up to 1000 a second for paid
// broadcasts: above 30 the bot sends bulk with allow_paid_broadcast), and
// reports the rate achieved and its share of the limit, the fake's 429s,
// duplicates, the shortest gap between two messages to one chat, and
// Redis's peak memory above its level before.
//
// Meanwhile SAATHI_BENCH_TALKERS people (default 0) each register in an
// 8-turn conversation, answering each reply as soon as it is whole; the
// benchmark reports the p50 and p99 time from their message to the first
// message of its reply on the wire, and the messages sent per turn (one
// message per turn, as serve sends; SAATHI_BENCH_SEPARATE=1 sends each
// reply as a message of its own, as before).
//
// SAATHI_BENCH_PROCESSES (default 1) runs that many bots on the one Redis,
// each with its own client, limiter and dispatcher, sharing the broadcast's
// events as serve processes do.
//
//	REDIS_URL=redis://127.0.0.1:6379/0 SAATHI_BENCH_RECIPIENTS=2000 SAATHI_BENCH_RATE=30 SAATHI_BENCH_TALKERS=50 \
//	  go test -run XXX -bench Broadcast -benchtime 1x ./bot/telegram/
func BenchmarkBroadcast(b *testing.B) {
	n, rate := envInt("SAATHI_BENCH_RECIPIENTS", 10000), envInt("SAATHI_BENCH_RATE", 1000)
	talkers := envInt("SAATHI_BENCH_TALKERS", -1)
	talkers = max(talkers, 0)
	processes := envInt("SAATHI_BENCH_PROCESSES", 1)
	ctx := context.Background()
	rdb := storetest.Redis(b, 14, nil)
	cat, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := services.New(rdb, cat, log)
	fake := telegramtest.NewServer(b)
	limits := telegramtest.TelegramLimits
	limits.PaidOverall = max(limits.PaidOverall, rate)
	fake.SetLimits(limits)
	// Each process has its own Redis client, limiter, Telegram client and
	// dispatcher, as a saathi serve would; the first one also polls.
	type process struct {
		svc   *services.Services
		d     *bot.Dispatcher
		tg    *telegram.Bot
		sends *counted
	}
	var procs []process
	for i := range processes {
		prdb := rdb
		if i > 0 {
			c, err := store.Open(storetest.URL(b, 14), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			prdb = c
		}
		limiter := delivery.New(prdb, telegram.Channel, delivery.Limits{
			Overall:  redis_rate.Limit{Rate: rate, Period: time.Second},
			PerChat:  redis_rate.Limit{Rate: 1, Period: time.Second},
			PerGroup: delivery.TelegramLimits.PerGroup,
			IsGroup:  delivery.TelegramGroup,
			Account:  telegram.BotID(telegramtest.Token),
		})
		tg, err := telegram.New(ctx, telegram.Config{
			Token: telegramtest.Token, Endpoint: fake.Endpoint(), PollTimeout: time.Second, Logger: log,
			HTTPClient:    &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}},
			PaidBroadcast: rate > 30,
			OnRateLimited: func(ctx context.Context, d time.Duration) { _ = limiter.Pause(ctx, d) },
		})
		if err != nil {
			b.Fatal(err)
		}
		psvc := svc
		if i > 0 {
			psvc = services.New(prdb, cat, log)
		}
		sends := &counted{Sender: tg}
		d, err := bot.NewDispatcher(bot.Options{
			Engine: flowstest.Engine(b, nil, nil).WithServices(psvc), Store: store.New(prdb, time.Hour),
			Senders: map[string]bot.Sender{telegram.Channel: delivery.Limited(sends, limiter)}, Logger: log,
			OnDelivered: psvc.Delivered, CacheSize: n + talkers + 10,
			JoinReplies: os.Getenv("SAATHI_BENCH_SEPARATE") == "", // as serve does, unless measuring before
		})
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close(context.Background())
		procs = append(procs, process{svc: psvc, d: d, tg: tg, sends: sends})
	}

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

	evCtx, stop := context.WithCancel(ctx)
	defer stop()
	for i, p := range procs {
		router := &bot.EventRouter{Dispatcher: p.d, Identity: p.svc.Identity, Queue: p.svc.Events, Channels: []string{telegram.Channel}, Logger: log, NoChat: p.svc.NoChat}
		p.svc.Events.Workers = 256
		go p.svc.Events.Consume(evCtx, "serve", fmt.Sprint("bench-", i), router.Handle)
	}
	go procs[0].tg.Poll(evCtx, procs[0].d) //nolint:errcheck // ends with the benchmark

	for b.Loop() {
		start := time.Now()
		bc, err := svc.Broadcast(ctx, roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "role=sabhasad,body=नगर पंचायत बेंच"},
			"कल सुबह 11 बजे बैठक है।", "बेंच", broadcast.Broadcast{CreatedBy: "bench"}, time.Now())
		if err != nil || bc.Total != n {
			b.Fatalf("broadcast to %d: %v", bc.Total, err)
		}
		queued := time.Since(start)
		talk := startTalkers(ctx, b, fake, talkers)
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
		latencies, turns := talk()
		seen := make(map[int64]int, n)
		dup := 0
		sent := fake.Sent()
		perSecond := map[int64]int{}
		first, last := sent[0].At, sent[0].At
		bulkLast := first
		for _, m := range sent {
			if m.ChatID >= 100000 && m.ChatID < int64(100000+n) {
				if seen[m.ChatID]++; seen[m.ChatID] == 2 {
					dup++
				}
				bulkLast = maxTime(bulkLast, m.At)
			}
			first, last = minTime(first, m.At), maxTime(last, m.At)
			perSecond[m.At.Unix()]++
		}
		// Everything sent while the broadcast ran, interactive and bulk.
		during := 0
		for _, m := range sent {
			if !m.At.After(bulkLast) {
				during++
			}
		}
		steady := float64(during-1) / bulkLast.Sub(first).Seconds()
		gap, _ := fake.MinChatGap()
		b.Logf("per second: %v", perSecond)
		b.ReportMetric(steady, "steady-msg/s")
		b.ReportMetric(100*steady/float64(rate), "%-of-limit")
		b.ReportMetric(float64(c.Sent)/elapsed.Seconds(), "msg/s")
		b.ReportMetric(float64(rate), "limit/s")
		b.ReportMetric(float64(fake.RateLimited()), "429s")
		b.ReportMetric(gap.Seconds(), "min-chat-gap-s")
		b.ReportMetric(float64(peak-before)/(1<<20), "redis-MB")
		b.ReportMetric(float64(dup), "duplicates")
		if talkers > 0 {
			slices.Sort(latencies)
			b.ReportMetric(latencies[len(latencies)/2].Seconds(), "p50-reply-s")
			b.ReportMetric(latencies[len(latencies)*99/100].Seconds(), "p99-reply-s")
			b.ReportMetric(float64(len(sent)-len(seen))/float64(turns), "msgs/turn")
		}
		b.Logf("%d recipients, %d sent, %d failed, queued in %v, all sent in %v; Redis peak +%.1f MB; %d paid sends",
			n, c.Sent, c.Failed, queued.Round(time.Millisecond), elapsed.Round(time.Millisecond), float64(peak-before)/(1<<20), fake.PaidBroadcasts())
		if processes > 1 {
			by := make([]int64, len(procs))
			for i, p := range procs {
				by[i] = p.sends.n.Load()
			}
			b.Logf("messages sent by each process: %v", by)
		}
		if c.Sent != n || dup != 0 {
			b.Fatalf("sent %d of %d, %d duplicates", c.Sent, n, dup)
		}
	}
}

// counted is a Sender that counts the messages it is given.
type counted struct {
	bot.Sender
	n atomic.Int64
}

func (c *counted) Send(ctx context.Context, user string, replies []flows.Reply) error {
	c.n.Add(int64(len(replies)))
	return c.Sender.Send(ctx, user, replies)
}

// registration is the 8 turns of a newcomer's registration, each with the
// number of messages its reply had before one message per turn.
var registration = []func(user int) string{
	func(int) string { return "नमस्ते" },                      // who are you? send your number
	func(u int) string { return fmt.Sprintf("90182%05d", u) }, // welcome; your name?
	func(u int) string { return fmt.Sprint("वक्ता ", u) },     // your role?
	func(int) string { return "1" },                           // sabhasad; your district?
	func(int) string { return "सोनभद्र" },                     // your body?
	func(int) string { return "नगर पंचायत अनपरा" },            // your ward?
	func(u int) string { return strconv.Itoa(1 + u%20) },      // what you told; is it right?
	func(int) string { return "हाँ" },                         // thank you
}

// startTalkers starts k people registering, each answering a reply once
// it has stopped growing for 1.5 s (a reply's parts are a chat interval
// apart) or at once when it ends with a question's buttons. The returned
// function waits for them and gives the time from each message to the
// first message of its reply on the wire, and the turns taken.
func startTalkers(ctx context.Context, b *testing.B, fake *telegramtest.Server, k int) func() ([]time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	turns := 0
	var wg sync.WaitGroup
	for u := range k {
		chat := int64(900000 + u)
		wg.Go(func() {
			got := 0
			for _, text := range registration {
				pushed := time.Now()
				fake.PushText(chat, text(u))
				c, cancel := context.WithTimeout(ctx, 60*time.Second)
				msgs, err := fake.WaitChat(c, chat, got+1)
				cancel()
				if err != nil {
					b.Errorf("talker %d: no reply to %q: %v", u, text(u), err)
					return
				}
				first := msgs[got].At
				// The rest of the reply, if any: wait until it stops growing.
				for {
					c, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
					more, err := fake.WaitChat(c, chat, len(msgs)+1)
					cancel()
					if err != nil {
						break
					}
					msgs = more
				}
				got = len(msgs)
				mu.Lock()
				lat = append(lat, first.Sub(pushed))
				turns++
				mu.Unlock()
			}
		})
	}
	return func() ([]time.Duration, int) {
		wg.Wait()
		return lat, turns
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
