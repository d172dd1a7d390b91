package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// configWith is the configuration of the defaults and set.
func configWith(t *testing.T, set map[string]string) Config {
	t.Helper()
	cfg, err := parseConfig(func(env string) string {
		if v, ok := set[env]; ok {
			return v
		}
		for _, s := range settings() {
			if s.env == env {
				return s.def
			}
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// twoProcesses is two Redis clients of one (emptied) database, as two
// serve processes have.
func twoProcesses(t *testing.T) (*redis.Client, *redis.Client) {
	t.Helper()
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	other, err := store.Open(storetest.URL(t, storetest.DBCommand), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return rdb, other
}

// takeAll takes a turn of l for each chat at once and returns when each got it.
func takeAll(ctx context.Context, t *testing.T, l *delivery.Limiter, chats []string) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for _, chat := range chats {
		wg.Go(func() {
			release, err := l.Take(ctx, chat, bot.Bulk)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			at = append(at, time.Now())
			mu.Unlock()
			release()
		})
	}
	wg.Wait()
	slices.SortFunc(at, func(x, y time.Time) int { return x.Compare(y) })
	return at
}

// Two bots (two tokens) on one Redis, as serve builds their limiters, get
// TELEGRAM_RATE each: 45 messages of each at once take about 1.5 s for
// both, where one limit shared would take 3 s; and neither goes over 30 in
// any second.
func TestTwoBotsOnOneRedisGetTheirOwnRate(t *testing.T) {
	rdb, other := twoProcesses(t)
	one := configWith(t, map[string]string{"TELEGRAM_BOT_TOKEN": "111111:first-bot"})
	two := configWith(t, map[string]string{"TELEGRAM_BOT_TOKEN": "222222:second-bot"})
	if a, b := telegramLimits(one).Account, telegramLimits(two).Account; a != "111111" || b != "222222" {
		t.Fatalf("limits kept under %q and %q, want the bots' ids", a, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	limiters := []*delivery.Limiter{delivery.New(rdb, telegram.Channel, telegramLimits(one)), delivery.New(other, telegram.Channel, telegramLimits(two))}
	start := time.Now()
	times := make([][]time.Time, 2)
	var wg sync.WaitGroup
	for i, l := range limiters {
		chats := make([]string, 45)
		for c := range chats {
			chats[c] = fmt.Sprint(1000 + c) // the same chats for both bots: chats are per bot too
		}
		wg.Go(func() { times[i] = takeAll(ctx, t, l, chats) })
	}
	wg.Wait()
	if took := time.Since(start); took > 2300*time.Millisecond {
		t.Errorf("45 messages of each of two bots took %v: they share one limit", took)
	}
	for i, at := range times {
		for k := 30; k < len(at); k++ {
			if d := at[k].Sub(at[k-30]); d < time.Second {
				t.Errorf("bot %d: 31 messages within %v", i+1, d)
				break
			}
		}
	}
}

// WhatsApp's limiter, as serve builds it from WHATSAPP_RATE (here 60 a
// minute: a slot a second), paces the messages of two processes of one
// number evenly from an idle start, never two at once; another number has
// its own.
func TestWhatsAppSendsArePacedEvenlyAcrossProcesses(t *testing.T) {
	rdb, other := twoProcesses(t)
	cfg := configWith(t, map[string]string{"WHATSAPP_RATE": "60"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := delivery.New(rdb, whatsapp.Channel, whatsAppLimits(cfg, "919000000001"))
	b := delivery.New(other, whatsapp.Channel, whatsAppLimits(cfg, "919000000001"))
	var at []time.Time
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, l := range []*delivery.Limiter{a, b} {
		wg.Go(func() {
			got := takeAll(ctx, t, l, []string{fmt.Sprint("91800000000", i), fmt.Sprint("91800000001", i)})
			mu.Lock()
			at = append(at, got...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.SortFunc(at, func(x, y time.Time) int { return x.Compare(y) })
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 850*time.Millisecond {
			t.Errorf("WhatsApp messages %d and %d went %v apart, want a slot (1 s): a burst", i, i+1, gap)
		}
	}
	start := time.Now()
	c := delivery.New(rdb, whatsapp.Channel, whatsAppLimits(cfg, "919000000002"))
	takeAll(ctx, t, c, []string{"918000000009"})
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("another number waited %v for the first number's limit", took)
	}
}
