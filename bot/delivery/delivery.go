// Package delivery paces outgoing messages so that a channel's rate limits
// hold across every process of the bot: one Limiter per channel, its state
// kept in Redis.
//
// A message may go once two limits allow it: the channel's overall limit
// (all chats together) and the limit of the chat it goes to. Both are
// GCRA limiters of github.com/go-redis/redis_rate. A Limiter also honours a
// pause of the whole channel (Pause), set when the platform answers "too many
// requests" with a retry-after.
//
// Keys, for a channel c:
//
//	rate:saathi:rate:c:all        overall limit (redis_rate adds its own "rate:" prefix)
//	rate:saathi:rate:c:chat:<id>  one chat's limit
//	saathi:rate:c:pause           the pause, with a PX expiry
//
// All of them expire by themselves. Each command touches one key, so the
// keys may live on different Redis Cluster slots.
package delivery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Limits are the rate limits of one channel. A zero redis_rate.Limit means
// no limit at that level. In a non-zero Limit, Rate and Period must be
// positive; a Burst below 1 counts as 1.
type Limits struct {
	// Overall bounds the messages of the whole channel, to every chat, from
	// every process sharing the Redis.
	Overall redis_rate.Limit
	// PerChat bounds the messages to any one chat. Its Period may be longer
	// than a second for a fractional rate: {Rate: 1, Period: 3 * time.Second}.
	PerChat redis_rate.Limit
}

var (
	// TelegramLimits follow Telegram's free-tier guidance: about 30
	// messages a second overall and one a second to a chat. The overall
	// burst is kept small, so that no second sees much more than 30. Groups
	// (20 a minute) are not treated separately.
	TelegramLimits = Limits{
		Overall: redis_rate.Limit{Rate: 30, Period: time.Second, Burst: 5},
		PerChat: redis_rate.Limit{Rate: 1, Period: time.Second, Burst: 1},
	}
	// WhatsAppLimits are deliberately conservative, as an unofficial
	// WhatsApp client risks a ban: 10 messages a minute overall (bursts of
	// 2) and one every 3 seconds to a chat.
	WhatsAppLimits = Limits{
		Overall: redis_rate.Limit{Rate: 10, Period: time.Minute, Burst: 2},
		PerChat: redis_rate.Limit{Rate: 1, Period: 3 * time.Second, Burst: 1},
	}
)

const (
	// maxSleep caps one sleep of Wait; after it Wait asks Redis again.
	maxSleep = time.Second
	// minSleep keeps a zero or tiny retry-after from turning into a busy loop.
	minSleep = time.Millisecond
	// maxJitter caps the random time added to each sleep, which keeps
	// waiters of several processes from all asking at the same instant.
	maxJitter = 10 * time.Millisecond
)

// Limiter paces the messages of one channel. It is safe for concurrent use;
// Limiters of the same channel built on the same Redis, in one process or
// many, share their limits.
type Limiter struct {
	rdb     redis.UniversalClient
	rate    *redis_rate.Limiter
	channel string
	limits  Limits

	overallKey string
	chatPrefix string
	pauseKey   string

	// overall lets one goroutine of this process at a time ask Redis for
	// an overall token, so that many waiters do not poll Redis together.
	overall chan struct{} // one goroutine at a time fetches overall tokens
	batch   int           // overall tokens fetched at once

	mu          sync.Mutex
	tokens      int       // overall tokens fetched and not yet used
	tokensUntil time.Time // when they go stale
	pauseRead   time.Time // when the pause key was last read
	pausedUntil time.Time
	pauseSet    time.Time // when this process last paused the channel
	pauseReads  singleflight.Group
}

// New returns the Limiter of channel (such as "telegram") with limits l,
// its state kept in rdb. It panics when a limit is invalid (Rate or Period
// not positive in a non-zero Limit): limits are fixed by the program.
func New(rdb redis.UniversalClient, channel string, l Limits) *Limiter {
	l.Overall = check(channel, "overall", l.Overall)
	l.PerChat = check(channel, "per-chat", l.PerChat)
	prefix := "saathi:rate:" + channel + ":"
	return &Limiter{
		rdb:        rdb,
		rate:       redis_rate.NewLimiter(rdb),
		channel:    channel,
		limits:     l,
		overallKey: prefix + "all",
		chatPrefix: prefix + "chat:",
		pauseKey:   prefix + "pause",
		overall:    make(chan struct{}, 1),
		batch:      min(max(1, overallPerSecond(l.Overall)/50), 64),
	}
}

func check(channel, which string, l redis_rate.Limit) redis_rate.Limit {
	if l.IsZero() {
		return l
	}
	if l.Rate <= 0 || l.Period <= 0 {
		panic(fmt.Sprintf("delivery: %s limit of %s: rate and period must be positive: %v", which, channel, l))
	}
	if l.Burst < 1 {
		l.Burst = 1
	}
	return l
}

// Wait blocks until one message to chat may go: first the chat's own
// limit (a busy chat waits here, holding nothing shared), then the
// channel's overall limit and any pause. Overall tokens are taken from
// Redis in small batches when the limit is high (a fiftieth of a second's
// worth, at most 64), so a busy process pays a fraction of a round trip
// for them; a token unused after 100 ms is lost, never sent late.
func (l *Limiter) Wait(ctx context.Context, chat string) error {
	if err := ctx.Err(); err != nil {
		return l.wrap(chat, err)
	}
	if !l.limits.PerChat.IsZero() {
		chatKey := l.chatPrefix + chat
		for {
			res, err := l.rate.Allow(ctx, chatKey, l.limits.PerChat)
			if err != nil {
				return l.wrap(chat, err)
			}
			if res.Allowed > 0 {
				break
			}
			if err := sleep(ctx, res.RetryAfter); err != nil {
				return l.wrap(chat, err)
			}
		}
	}
	if err := l.takeOverall(ctx); err != nil {
		return l.wrap(chat, err)
	}
	return nil
}

func (l *Limiter) wrap(chat string, err error) error {
	return fmt.Errorf("wait to send on %s to %s: %w", l.channel, chat, err)
}

// takeOverall waits out any pause of the channel and takes an overall
// token, from the local batch or, one goroutine at a time, from Redis.
// When Redis has none left, the goroutine asking keeps the turn and sleeps
// until a whole batch has built up, so that waiters do not poll Redis for a
// token at a time; the bucket's burst keeps what builds up meanwhile, so no
// token of the limit is lost to the wait.
func (l *Limiter) takeOverall(ctx context.Context) error {
	for {
		if err := l.waitPause(ctx); err != nil {
			return err
		}
		if l.limits.Overall.IsZero() || l.takeLocal() {
			return nil
		}
		select {
		case l.overall <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		got, err := l.fetchOverall(ctx)
		<-l.overall
		if err != nil || got {
			return err
		}
		// A pause began while this goroutine waited: wait it out first.
	}
}

// fetchOverall takes a token for the caller, who holds the turn to ask
// Redis, and keeps the rest of the batch for the other goroutines. It
// returns false, with no token, when the channel was paused meanwhile.
func (l *Limiter) fetchOverall(ctx context.Context) (bool, error) {
	for {
		if l.takeLocal() { // fetched by the goroutine before
			return true, nil
		}
		if until, err := l.pausedUntilNow(ctx); err != nil || time.Now().Before(until) {
			return false, err
		}
		res, err := l.rate.AllowAtMost(ctx, l.overallKey, l.limits.Overall, l.batch)
		if err != nil {
			return false, fmt.Errorf("take overall token: %w", err)
		}
		if res.Allowed > 0 {
			l.mu.Lock()
			l.tokens, l.tokensUntil = res.Allowed-1, time.Now().Add(100*time.Millisecond)
			l.mu.Unlock()
			return true, nil
		}
		wait := res.RetryAfter + time.Duration(l.batch-1)*l.limits.Overall.Period/time.Duration(l.limits.Overall.Rate)
		if err := sleep(ctx, wait); err != nil {
			return false, err
		}
	}
}

// takeLocal takes a token of the local batch, if one is left and fresh.
func (l *Limiter) takeLocal() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens > 0 && time.Now().Before(l.tokensUntil) {
		l.tokens--
		return true
	}
	return false
}

// waitPause waits out a pause of the channel. The pause key is read at
// most every 50 ms; a pause set by another process is seen within that.
func (l *Limiter) waitPause(ctx context.Context) error {
	for {
		until, err := l.pausedUntilNow(ctx)
		if err != nil {
			return err
		}
		left := time.Until(until)
		if left <= 0 {
			return nil
		}
		if err := sleep(ctx, left); err != nil {
			return err
		}
		l.mu.Lock()
		l.pauseRead = time.Time{} // look again after the wait
		l.mu.Unlock()
	}
}

// pausedUntilNow is when the channel's pause ends (in the past when there
// is none), read from Redis when the last reading is older than 50 ms. One
// goroutine reads; the others that need a reading meanwhile wait for it.
func (l *Limiter) pausedUntilNow(ctx context.Context) (time.Time, error) {
	l.mu.Lock()
	until, fresh := l.pausedUntil, time.Since(l.pauseRead) < 50*time.Millisecond
	l.mu.Unlock()
	if fresh {
		return until, nil
	}
	read := l.pauseReads.DoChan("pause", func() (any, error) {
		// Shared by every waiter: not cut short by the first one's context.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		asked := time.Now()
		paused, err := l.rdb.PTTL(rctx, l.pauseKey).Result()
		if err != nil {
			return time.Time{}, fmt.Errorf("read pause: %w", err)
		}
		until := time.Now().Add(max(paused, 0))
		l.mu.Lock()
		if !l.pauseSet.After(asked) { // else Pause came meanwhile: read again
			l.pauseRead, l.pausedUntil = asked, until
		}
		l.mu.Unlock()
		return until, nil
	})
	select {
	case r := <-read:
		if r.Err != nil {
			return time.Time{}, r.Err
		}
		return r.Val.(time.Time), nil
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
}

// pauseScript sets the pause key to expire in ARGV[1] ms, unless it already
// expires later.
var pauseScript = redis.NewScript(`
local want = tonumber(ARGV[1])
if redis.call("PTTL", KEYS[1]) < want then
  redis.call("SET", KEYS[1], "1", "PX", want)
  return 1
end
return 0
`)

// Pause stops the whole channel, in every process, for d: every Wait
// returns no earlier than d from now. It never shortens a longer pause
// already set. Use it with the retry-after of a "too many requests" answer.
// A d of zero or less does nothing.
func (l *Limiter) Pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if err := pauseScript.Run(ctx, l.rdb, []string{l.pauseKey}, int64(ms)).Err(); err != nil {
		return fmt.Errorf("pause %s for %v: %w", l.channel, d, err)
	}
	l.mu.Lock()
	l.pauseRead, l.pauseSet = time.Time{}, time.Now() // this process reads the (possibly longer) pause at once
	l.mu.Unlock()
	return nil
}

// sleep waits d, capped at maxSleep, with a little jitter, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	d = min(max(d, minSleep), maxSleep)
	d += rand.N(min(d/10, maxJitter) + 1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// overallPerSecond is a limit's rate per second (0 for none).
func overallPerSecond(l redis_rate.Limit) int {
	if l.IsZero() {
		return 0
	}
	return int(float64(l.Rate) / l.Period.Seconds())
}
