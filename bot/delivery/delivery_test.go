package delivery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

const testDB = 12

// twoClients returns two Redis clients on the same (emptied) database, as
// two processes would have.
func twoClients(t *testing.T) (*redis.Client, *redis.Client) {
	t.Helper()
	a := storetest.Redis(t, testDB, nil)
	b, err := store.Open(storetest.URL(t, testDB), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// unlimited is an overall limit far above what a test reaches.
var unlimited = redis_rate.Limit{Rate: 100_000, Period: time.Second, Burst: 1000}

func TestOverallLimitIsSharedByProcesses(t *testing.T) {
	a, b := twoClients(t)
	overall := redis_rate.Limit{Rate: 100, Period: time.Second, Burst: 10}
	lim := Limits{Overall: overall, PerChat: redis_rate.PerSecond(1)}
	limiters := []*Limiter{New(a, "tg", lim), New(b, "tg", lim)}

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var sent atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for p, l := range limiters {
		for g := range 20 {
			wg.Go(func() {
				for m := 0; ; m++ {
					// A new chat each time: only the overall limit binds.
					err := l.Wait(ctx, fmt.Sprintf("p%d-g%d-m%d", p, g, m))
					if err != nil {
						if !errors.Is(err, context.DeadlineExceeded) {
							t.Errorf("wait: %v", err)
						}
						return
					}
					sent.Add(1)
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()

	n := float64(sent.Load())
	most := float64(overall.Burst) + float64(overall.Rate)*elapsed + 1
	least := 0.5 * float64(overall.Rate) * elapsed
	t.Logf("%v messages in %.3fs (at most %.0f allowed)", n, elapsed, most)
	if n > most {
		t.Errorf("%v messages in %.3fs: more than %.0f (rate %d/s + burst %d)", n, elapsed, most, overall.Rate, overall.Burst)
	}
	if n < least {
		t.Errorf("%v messages in %.3fs: fewer than %.0f, half the limit", n, elapsed, least)
	}
}

func TestPerChatLimitSlowsOnlyThatChat(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	l := New(rdb, "tg", Limits{Overall: unlimited, PerChat: redis_rate.Limit{Rate: 10, Period: time.Second, Burst: 1}})
	ctx := context.Background()

	busy := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		for range 5 {
			if err := l.Wait(ctx, "busy"); err != nil {
				t.Errorf("wait busy: %v", err)
			}
		}
		busy <- time.Since(start)
	}()
	time.Sleep(20 * time.Millisecond) // let the busy chat start waiting

	start := time.Now()
	for i := range 5 {
		if err := l.Wait(ctx, fmt.Sprintf("other-%d", i)); err != nil {
			t.Fatalf("wait other: %v", err)
		}
	}
	others := time.Since(start)
	busyTook := <-busy

	// Four gaps of 100 ms after the first message.
	if busyTook < 350*time.Millisecond {
		t.Errorf("5 messages to one chat at 10/s took %v, want ≥ 400ms", busyTook)
	}
	// Were other chats held up behind the busy one, they would take ≥ 400ms.
	if others > 250*time.Millisecond {
		t.Errorf("5 messages to 5 other chats took %v while one chat was busy", others)
	}
}

// A message that waits for its busy chat must not use up overall tokens:
// several senders to one chat leave the overall budget to others.
func TestBusyChatDoesNotWasteOverallTokens(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	// 20 tokens, refilled only every 3 s: the test sees a fixed budget.
	overall := redis_rate.Limit{Rate: 20, Period: time.Minute, Burst: 20}
	l := New(rdb, "tg", Limits{Overall: overall, PerChat: redis_rate.Limit{Rate: 10, Period: time.Second, Burst: 1}})
	ctx := context.Background()

	var wg sync.WaitGroup
	for range 5 { // race each other for the one chat
		wg.Go(func() {
			if err := l.Wait(ctx, "busy"); err != nil {
				t.Errorf("wait busy: %v", err)
			}
		})
	}
	wg.Wait()

	got := 0
	for i := range 30 {
		c, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		err := l.Wait(c, fmt.Sprintf("other-%d", i))
		cancel()
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("wait other: %v", err)
			}
			break
		}
		got++
	}
	// 20 - 5 = 15 left; a refill may add one.
	if got < 15 || got > 16 {
		t.Errorf("after 5 messages to a busy chat, %d of the 20 overall tokens were left, want 15", got)
	}
}

// While a message waits for its busy chat, the overall limit is not even
// asked: no token is taken and given back, nor its key touched.
func TestBusyChatLeavesOverallAlone(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	ctx := context.Background()
	l := New(rdb, "tg", Limits{Overall: unlimited, PerChat: redis_rate.PerMinute(1)})
	if err := l.Wait(ctx, "busy"); err != nil {
		t.Fatal(err)
	}
	const overallKey = "rate:saathi:rate:tg:all"
	if err := rdb.Del(ctx, overallKey).Err(); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := l.Wait(c, "busy"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on a chat busy for a minute = %v, want deadline exceeded", err)
	}
	if n, err := rdb.Exists(ctx, overallKey).Result(); err != nil || n != 0 {
		t.Errorf("overall key touched while waiting for a busy chat (exists %d, %v)", n, err)
	}
}

func TestPauseHoldsEveryProcess(t *testing.T) {
	a, b := twoClients(t)
	lim := Limits{Overall: unlimited, PerChat: redis_rate.PerSecond(1000)}
	la, lb := New(a, "tg", lim), New(b, "tg", lim)
	other := New(b, "wa", lim)
	ctx := context.Background()

	start := time.Now()
	if err := la.Pause(ctx, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// Another channel is not paused.
	if err := other.Wait(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("another channel waited %v during a pause of tg", d)
	}
	if err := lb.Wait(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("Wait returned %v after Pause(300ms)", d)
	}

	// A shorter pause does not shorten a longer one.
	start = time.Now()
	if err := la.Pause(ctx, 400*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := lb.Pause(ctx, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := lb.Wait(ctx, "y"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("Wait returned %v after Pause(400ms) then Pause(50ms)", d)
	}

	// A longer pause extends a shorter one.
	if err := la.Pause(ctx, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := lb.Pause(ctx, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	ttl, err := a.PTTL(ctx, "saathi:rate:tg:pause").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl < 4*time.Second {
		t.Errorf("pause has %v left after Pause(50ms) then Pause(5s)", ttl)
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	ctx := context.Background()
	slow := redis_rate.Limit{Rate: 1, Period: time.Minute, Burst: 1}

	// timeout runs Wait under a 50 ms deadline, which must stop it promptly.
	timeout := func(t *testing.T, l *Limiter, chat string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := l.Wait(c, chat)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait = %v, want deadline exceeded", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("Wait took %v to notice a 50ms deadline", d)
		}
	}

	t.Run("busy chat", func(t *testing.T) {
		l := New(rdb, "chat", Limits{Overall: unlimited, PerChat: slow})
		if err := l.Wait(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		timeout(t, l, "c")
	})
	t.Run("overall used up", func(t *testing.T) {
		l := New(rdb, "overall", Limits{Overall: slow, PerChat: slow})
		if err := l.Wait(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		timeout(t, l, "d")
	})
	t.Run("paused", func(t *testing.T) {
		l := New(rdb, "paused", Limits{Overall: unlimited})
		if err := l.Pause(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		// Two waiters: one polls the pause, the other waits for its turn.
		c, cancel := context.WithCancel(ctx)
		errs := make(chan error, 2)
		for _, chat := range []string{"a", "b"} {
			go func() { errs <- l.Wait(c, chat) }()
		}
		time.Sleep(50 * time.Millisecond)
		start := time.Now()
		cancel()
		for range 2 {
			if err := <-errs; !errors.Is(err, context.Canceled) {
				t.Errorf("Wait = %v, want canceled", err)
			}
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("Wait took %v to notice the cancellation", d)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		l := New(rdb, "free", Limits{})
		c, cancel := context.WithCancel(ctx)
		cancel()
		if err := l.Wait(c, "a"); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want canceled", err)
		}
	})
}

// recorder is a Sender that records what it is given and when.
type recorder struct {
	mu    sync.Mutex
	calls [][]flows.Reply
	at    []time.Time
	fail  map[int]error // by call number, from 1
}

func (r *recorder) Send(_ context.Context, _ string, replies []flows.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, replies)
	r.at = append(r.at, time.Now())
	return r.fail[len(r.calls)]
}

func replies(texts ...string) []flows.Reply {
	var rs []flows.Reply
	for _, s := range texts {
		rs = append(rs, flows.Reply{Text: s})
	}
	return rs
}

func TestLimitedSender(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	ctx := context.Background()
	lim := Limits{Overall: unlimited, PerChat: redis_rate.Limit{Rate: 20, Period: time.Second, Burst: 1}}

	t.Run("one reply per message, in order", func(t *testing.T) {
		rec := &recorder{}
		s := Limited(rec, New(rdb, "order", lim))
		start := time.Now()
		if err := s.Send(ctx, "42", replies("a", "b", "c", "d")); err != nil {
			t.Fatal(err)
		}
		// Three gaps of 50 ms.
		if d := time.Since(start); d < 120*time.Millisecond {
			t.Errorf("4 replies at 20/s went out in %v", d)
		}
		var got []string
		for _, c := range rec.calls {
			if len(c) != 1 {
				t.Errorf("sender got %d replies at once, want 1", len(c))
			}
			for _, r := range c {
				got = append(got, r.Text)
			}
		}
		if strings.Join(got, "") != "abcd" {
			t.Errorf("sent %q, want a b c d in order", got)
		}
	})

	t.Run("errors pass through unchanged", func(t *testing.T) {
		blocked := fmt.Errorf("blocked by the user: %w", bot.ErrUnreachable)
		rec := &recorder{fail: map[int]error{2: blocked}}
		s := Limited(rec, New(rdb, "blocked", lim))
		err := s.Send(ctx, "42", replies("a", "b", "c"))
		if err != blocked || !errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("Send = %v, want the sender's error %v", err, blocked)
		}
		if len(rec.calls) != 2 {
			t.Errorf("sender called %d times, want 2 (stop at the error)", len(rec.calls))
		}
	})

	t.Run("a wait that fails sends nothing", func(t *testing.T) {
		rec := &recorder{}
		l := New(rdb, "paused", lim)
		if err := l.Pause(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		err := Limited(rec, l).Send(c, "42", replies("a"))
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("Send = %v, want a deadline error", err)
		}
		if len(rec.calls) != 0 {
			t.Errorf("sender called %d times while paused", len(rec.calls))
		}
	})
}

func TestKeysAreNamespacedAndExpire(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	ctx := context.Background()
	l := New(rdb, "tg", TelegramLimits)
	if err := l.Wait(ctx, "42"); err != nil {
		t.Fatal(err)
	}
	if err := l.Pause(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Errorf("keys %q, want overall, chat and pause", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(strings.TrimPrefix(k, "rate:"), "saathi:rate:tg:") {
			t.Errorf("key %q is outside saathi:rate:tg:", k)
		}
		if ttl, err := rdb.PTTL(ctx, k).Result(); err != nil || ttl <= 0 {
			t.Errorf("key %q: ttl %v, %v: want an expiry", k, ttl, err)
		}
	}
}

func TestNewChecksLimits(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	defer func() {
		if recover() == nil {
			t.Error("New accepted a limit with rate 0")
		}
	}()
	New(rdb, "tg", Limits{Overall: redis_rate.Limit{Period: time.Second, Burst: 1}})
}

// A reply refused with a 429 waits its turn at the limiter again, behind
// the pause, and goes; one that keeps being refused gives up after 5 tries.
func TestLimitedRetriesAfterRateLimit(t *testing.T) {
	rdb := storetest.Redis(t, testDB, nil)
	ctx := context.Background()
	l := New(rdb, "tg", Limits{Overall: unlimited})
	rec := &recorder{fail: map[int]error{1: fmt.Errorf("sendMessage: %w", bot.ErrRateLimited)}}
	if err := Limited(rec, l).Send(ctx, "42", replies("एक", "दो")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(rec.calls) != 3 || rec.calls[1][0].Text != "एक" || rec.calls[2][0].Text != "दो" {
		t.Fatalf("calls %+v: want एक refused, एक again, दो", rec.calls)
	}
	always := &recorder{fail: map[int]error{}}
	for i := 1; i <= 10; i++ {
		always.fail[i] = bot.ErrRateLimited
	}
	err := Limited(always, l).Send(ctx, "42", replies("एक"))
	if !errors.Is(err, bot.ErrRateLimited) || len(always.calls) != 5 {
		t.Fatalf("after %d tries: %v", len(always.calls), err)
	}
}

// Many waiters on a busy limit do not poll Redis a token at a time: the
// one whose turn it is sleeps until a batch has built up (it used to ask
// again after a millisecond, some 6 Redis calls a message, and fell 10%
// short of the limit).
func TestWaitersDoNotPollRedis(t *testing.T) {
	storetest.Redis(t, testDB, nil)
	rt := &store.RoundTrips{}
	rdb, err := store.Open(storetest.URL(t, testDB), rt)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	l := New(rdb, "tg", Limits{Overall: redis_rate.Limit{Rate: 500, Period: time.Second, Burst: 25}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var sent atomic.Int64
	var wg sync.WaitGroup
	for range 300 {
		wg.Go(func() {
			for l.Wait(ctx, "c") == nil {
				sent.Add(1)
			}
		})
	}
	wg.Wait()
	n, calls := sent.Load(), rt.Count()
	t.Logf("%d messages, %d Redis calls", n, calls)
	if n == 0 || float64(calls)/float64(n) > 0.5 {
		t.Errorf("%d Redis calls for %d messages: want at most one for two", calls, n)
	}
}
