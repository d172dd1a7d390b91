// Package delivery paces outgoing messages so that a channel's rate limits
// hold on the wire, across every process of the bot: one Limiter per
// channel and account (a Telegram bot, a WhatsApp number), its state kept
// in Redis.
//
// A message may go once two limits allow it: the overall limit of the
// account (all chats together) and the interval of the chat it goes to.
//
// The overall limit is paced evenly (no burst): sends are given time slots
// one interval apart from a schedule shared in Redis, the interval being
// Period/Rate stretched by Margin (2.5 %), so that no window of one Period
// holds more than Rate sends even when the network delays one send a little
// more than the next. Telegram counts in a sliding window; a burst would
// put Rate+Burst into one second.
//
// The chat's interval is measured from the end of the previous send to that
// chat: a message holds its chat from its slot until its send is over
// (Take's release), and the next one may leave an interval after that. The
// chat is taken as the last step, after the overall slot and any pause, so
// two messages to one chat are never closer on the wire than the interval,
// however long either waited for a slot.
//
// Interactive messages (bot.Interactive) are served before Bulk ones: in a
// process, a free slot goes to a waiting interactive message first; across
// processes, a process reserves at most one batch of slots ahead (a
// fiftieth of a second's worth), so an interactive message of another
// process waits behind bulk for no longer than that.
//
// A Limiter also honours a pause of the whole account (Pause), set when the
// platform answers "too many requests" with a retry-after.
//
// Keys, for a channel c and account a (the account part is left out when
// Limits.Account is empty):
//
//	saathi:rate:c:a:all        the overall schedule: the next free slot, µs
//	saathi:rate:c:a:chat:<id>  a chat held (a send in flight) or resting (its interval)
//	saathi:rate:c:a:pause      the pause, with a PX expiry
//
// All of them expire by themselves. Each command touches one key, so the
// keys may live on different Redis Cluster slots.
package delivery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"github.com/saathi-bot/saathi/bot"
)

// Limits are the rate limits of one channel. A zero redis_rate.Limit means
// no limit at that level. In a non-zero Limit, Rate and Period must be
// positive. Burst is not used: sends are always paced evenly.
type Limits struct {
	// Overall bounds the messages of the whole account, to every chat, from
	// every process sharing the Redis: at most Rate in any Period.
	Overall redis_rate.Limit
	// PerChat is the least time between two messages to one chat:
	// Period/Rate ({Rate: 1, Period: time.Second}: one a second).
	PerChat redis_rate.Limit
	// PerGroup, when set, replaces PerChat for the chats IsGroup tells
	// (Telegram: 20 a minute, paced as one every 3 s).
	PerGroup redis_rate.Limit
	IsGroup  func(chat string) bool
	// Account names what the limits are of (a Telegram bot's id), so that
	// two bots on one Redis have their own. Empty: the channel's only one.
	Account string
	// Margin stretches the overall interval, as a fraction (0: 0.025), to
	// absorb the jitter between a slot and its arrival on the wire.
	Margin float64
}

var (
	// TelegramLimits follow Telegram's free tier: 30 messages a second
	// overall, one a second to a chat, 20 a minute to a group (chat ids
	// below zero).
	TelegramLimits = Limits{
		Overall:  redis_rate.Limit{Rate: 30, Period: time.Second},
		PerChat:  redis_rate.Limit{Rate: 1, Period: time.Second},
		PerGroup: redis_rate.Limit{Rate: 20, Period: time.Minute},
		IsGroup:  TelegramGroup,
	}
	// WhatsAppLimits are deliberately conservative, as an unofficial
	// WhatsApp client risks a ban: 10 messages a minute overall, paced
	// evenly, and one every 3 seconds to a chat.
	WhatsAppLimits = Limits{
		Overall: redis_rate.Limit{Rate: 10, Period: time.Minute},
		PerChat: redis_rate.Limit{Rate: 1, Period: 3 * time.Second},
	}
)

// TelegramGroup tells a Telegram group or channel chat: its id is negative.
func TelegramGroup(chat string) bool { return len(chat) > 0 && chat[0] == '-' }

const (
	// maxSleep caps one sleep of a waiter; after it the waiter asks again.
	maxSleep = time.Second
	// minSleep keeps a zero or tiny wait from turning into a busy loop.
	minSleep = time.Millisecond
	// maxJitter caps the random time added to a sleep, which keeps waiters
	// of several processes from all asking at the same instant.
	maxJitter = 10 * time.Millisecond
	// chatHold is how long, beyond its interval, a chat stays held by a
	// send in flight: a send slower than that lets the next message to the
	// chat go before it ends; a process that dies mid-send blocks the chat
	// that long.
	chatHold = 2 * time.Second
	// defaultMargin stretches the overall interval by 2.5 %: 25 ms a second.
	defaultMargin = 0.025
)

// Limiter paces the messages of one channel's account. It is safe for
// concurrent use; Limiters of the same channel and account built on the
// same Redis, in one process or many, share their limits.
type Limiter struct {
	rdb     redis.UniversalClient
	channel string
	limits  Limits

	interval     time.Duration // between two overall slots; 0: no overall limit
	chatInterval time.Duration
	groupInteval time.Duration
	batch        int           // overall slots reserved at once, at most
	maxLate      time.Duration // a slot used later than this is lost

	overallKey string
	chatPrefix string
	pauseKey   string

	mu       sync.Mutex
	queues   [2][]*waiter // waiters for an overall slot, by class, first come first
	fetching bool         // the fetcher runs (fetchLoop)
	pause    pauseState   // guarded by mu
	reads    singleflight.Group
}

// waiter is a message waiting for an overall slot; the fetcher hands it
// one (or the error that kept it from reserving any).
type waiter struct {
	got chan slot
}

type slot struct {
	at  time.Time
	err error
}

type pauseState struct {
	read  time.Time // when the pause key was last read
	until time.Time
	set   time.Time // when this process last paused the channel
}

// New returns the Limiter of channel (such as "telegram") with limits l,
// its state kept in rdb. It panics when a limit is invalid (Rate or Period
// not positive in a non-zero Limit): limits are fixed by the program.
func New(rdb redis.UniversalClient, channel string, l Limits) *Limiter {
	check(channel, "overall", l.Overall)
	check(channel, "per-chat", l.PerChat)
	check(channel, "per-group", l.PerGroup)
	if l.Margin <= 0 {
		l.Margin = defaultMargin
	}
	prefix := "saathi:rate:" + channel + ":"
	if l.Account != "" {
		prefix += l.Account + ":"
	}
	lim := &Limiter{
		rdb:          rdb,
		channel:      channel,
		limits:       l,
		chatInterval: every(l.PerChat),
		groupInteval: every(l.PerGroup),
		overallKey:   prefix + "all",
		chatPrefix:   prefix + "chat:",
		pauseKey:     prefix + "pause",
	}
	if !l.Overall.IsZero() {
		lim.interval = time.Duration(float64(every(l.Overall)) * (1 + l.Margin))
		// A fiftieth of a second's worth of slots at once, at most 64.
		lim.batch = min(max(1, int(20*time.Millisecond/lim.interval)), 64)
		// A late send comes closer to the one a Period after it: half the
		// margin may go to waking late, the rest is left for the way to the
		// wire.
		lim.maxLate = time.Duration(float64(l.Overall.Period) * l.Margin / 2)
	}
	if lim.groupInteval == 0 {
		lim.groupInteval = lim.chatInterval
	}
	return lim
}

func check(channel, which string, l redis_rate.Limit) {
	if !l.IsZero() && (l.Rate <= 0 || l.Period <= 0) {
		panic(fmt.Sprintf("delivery: %s limit of %s: rate and period must be positive: %v", which, channel, l))
	}
}

// every is the time between two sends a limit allows (0 for none).
func every(l redis_rate.Limit) time.Duration {
	if l.IsZero() {
		return 0
	}
	return l.Period / time.Duration(l.Rate)
}

// Wait blocks until one interactive message to chat may go, and counts it
// as sent now. Senders use Take, which measures the chat's interval from
// the end of the send.
func (l *Limiter) Wait(ctx context.Context, chat string) error {
	release, err := l.Take(ctx, chat, bot.Interactive)
	if err != nil {
		return err
	}
	release()
	return nil
}

// Take blocks until one message of class c to chat may go: it waits until
// the chat rests no more (a busy chat waits here, holding nothing shared),
// then for an overall slot and out any pause, and then, as the last step,
// holds the chat; when another message took the chat meanwhile the slot is
// given up and Take waits again. Call release once the send is over,
// whatever its outcome: the chat's interval starts then. A chat never
// released (its process died) rests for its interval plus chatHold.
func (l *Limiter) Take(ctx context.Context, chat string, c bot.Class) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, l.wrap(chat, err)
	}
	interval := l.chatInterval
	if l.limits.IsGroup != nil && l.limits.IsGroup(chat) {
		interval = l.groupInteval
	}
	key := l.chatPrefix + chat
	for {
		if interval > 0 {
			if err := l.waitChat(ctx, key); err != nil {
				return nil, l.wrap(chat, err)
			}
		}
		if err := l.takeOverall(ctx, c); err != nil {
			return nil, l.wrap(chat, err)
		}
		if interval == 0 {
			return func() {}, nil
		}
		ok, err := l.rdb.SetNX(ctx, key, "1", interval+chatHold).Result()
		if err != nil {
			return nil, l.wrap(chat, fmt.Errorf("hold chat: %w", err))
		}
		if ok {
			return func() {
				// The send is over: not cut short by its context.
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				defer cancel()
				_ = l.rdb.Set(rctx, key, "1", interval).Err() // else it rests for interval+chatHold
			}, nil
		}
	}
}

func (l *Limiter) wrap(chat string, err error) error {
	return fmt.Errorf("wait to send on %s to %s: %w", l.channel, chat, err)
}

// waitChat waits until the chat's key is gone: no send to it is in flight
// and its interval since the last one has passed.
func (l *Limiter) waitChat(ctx context.Context, key string) error {
	for {
		left, err := l.rdb.PTTL(ctx, key).Result()
		if err != nil {
			return fmt.Errorf("read chat: %w", err)
		}
		if left <= 0 {
			return nil
		}
		if err := sleep(ctx, left); err != nil {
			return err
		}
	}
}

// takeOverall waits for an overall slot and out any pause. A waiter joins
// its class's queue; one fetcher goroutine, running while there are
// waiters, reserves slots from the shared schedule in Redis, a batch at a
// time, and hands each to the next waiter, interactive before bulk, so
// that only the waiters served are woken.
func (l *Limiter) takeOverall(ctx context.Context, c bot.Class) error {
	if err := l.waitPause(ctx); err != nil {
		return err
	}
	if l.interval == 0 {
		return nil
	}
	for {
		w := &waiter{got: make(chan slot, 1)}
		l.mu.Lock()
		l.queues[c] = append(l.queues[c], w)
		if !l.fetching {
			l.fetching = true
			go l.fetchLoop(context.WithoutCancel(ctx))
		}
		l.mu.Unlock()
		var s slot
		select {
		case s = <-w.got:
		case <-ctx.Done():
			l.mu.Lock()
			l.queues[c] = slices.DeleteFunc(l.queues[c], func(x *waiter) bool { return x == w })
			l.mu.Unlock()
			return ctx.Err() // a slot handed over meanwhile is lost
		}
		if s.err != nil {
			return s.err
		}
		if err := sleepUntil(ctx, s.at); err != nil {
			return err
		}
		if time.Since(s.at) > l.maxLate {
			continue // woken too late (a loaded machine): the slot is lost
		}
		// A pause that began after the slot was reserved wins; the slot is lost.
		until, err := l.pausedUntilNow(ctx)
		if err != nil {
			return err
		}
		if !time.Now().Before(until) {
			return nil
		}
		if err := l.waitPause(ctx); err != nil {
			return err
		}
	}
}

// fetchLoop reserves slots for the queued waiters and hands them out,
// until no one waits. ctx carries no deadline: each call has its own.
func (l *Limiter) fetchLoop(ctx context.Context) {
	for {
		l.mu.Lock()
		n := len(l.queues[0]) + len(l.queues[1])
		if n == 0 {
			l.fetching = false
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
		if until, err := l.pausedUntilNow(ctx); err == nil && time.Now().Before(until) {
			_ = sleep(ctx, time.Until(until)) // waiters check the pause after their slot too
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		slots, wait, err := l.reserve(rctx, min(n, l.batch))
		cancel()
		if err == nil && len(slots) == 0 {
			_ = sleep(ctx, wait)
			continue
		}
		l.mu.Lock()
		if err != nil { // every waiter hears of it, and may try again
			for c := range l.queues {
				for _, w := range l.queues[c] {
					w.got <- slot{err: err}
				}
				l.queues[c] = nil
			}
		}
		for _, at := range slots {
			c := bot.Interactive
			if len(l.queues[c]) == 0 {
				c = bot.Bulk
			}
			if len(l.queues[c]) == 0 {
				break // the rest are lost: their waiters gave up
			}
			l.queues[c][0].got <- slot{at: at}
			l.queues[c][0] = nil
			l.queues[c] = l.queues[c][1:]
		}
		l.mu.Unlock()
	}
}

// reserveScript reserves up to ARGV[2] slots of ARGV[1] µs each from the
// schedule in KEYS[1] (the next free slot, in µs of Redis's clock), no
// further ahead than ARGV[3] µs, and only all of them: a waiter takes a
// batch at a time rather than poll for each slot. It returns how many it
// reserved and how far from now the first one is (µs); with none, how long
// until they fit.
var reserveScript = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, want, ahead = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local next = tonumber(redis.call("GET", KEYS[1]) or "0")
if next < now then next = now end
local room = math.floor((now + ahead - next) / interval) + 1
if room < want then
  return {0, next + (want - 1) * interval - now - ahead}
end
local n = want
local last = next + n * interval
redis.call("SET", KEYS[1], string.format("%d", last), "PX", math.floor((last - now) / 1000) + 1000)
return {n, next - now}
`)

// reserve takes up to want slots from the shared schedule. With none free
// within a batch's time, it returns how long to wait.
func (l *Limiter) reserve(ctx context.Context, want int) ([]time.Time, time.Duration, error) {
	us := l.interval.Microseconds()
	ahead := int64(l.batch) * us
	asked := time.Now()
	res, err := reserveScript.Run(ctx, l.rdb, []string{l.overallKey}, us, want, ahead).Int64Slice()
	if err != nil {
		return nil, 0, fmt.Errorf("reserve overall slots: %w", err)
	}
	// Redis read its clock between asked and now; take the midpoint.
	at := asked.Add(time.Since(asked) / 2)
	n, first := int(res[0]), time.Duration(res[1])*time.Microsecond
	if n == 0 {
		return nil, first, nil
	}
	slots := make([]time.Time, n)
	for i := range slots {
		slots[i] = at.Add(first + time.Duration(i)*l.interval)
	}
	return slots, 0, nil
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
		l.pause.read = time.Time{} // look again after the wait
		l.mu.Unlock()
	}
}

// pausedUntilNow is when the channel's pause ends (in the past when there
// is none), read from Redis when the last reading is older than 50 ms. One
// goroutine reads; the others that need a reading meanwhile wait for it.
func (l *Limiter) pausedUntilNow(ctx context.Context) (time.Time, error) {
	l.mu.Lock()
	until, fresh := l.pause.until, time.Since(l.pause.read) < 50*time.Millisecond
	l.mu.Unlock()
	if fresh {
		return until, nil
	}
	read := l.reads.DoChan("pause", func() (any, error) {
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
		if !l.pause.set.After(asked) { // else Pause came meanwhile: read again
			l.pause.read, l.pause.until = asked, until
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

// Pause stops the whole channel, in every process, for d: every Take
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
	l.pause.read, l.pause.set = time.Time{}, time.Now() // this process reads the (possibly longer) pause at once
	l.mu.Unlock()
	return nil
}

// sleep waits d, capped at maxSleep, with a little jitter, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	d = min(max(d, minSleep), maxSleep)
	d += rand.N(min(d/10, maxJitter) + 1)
	return sleepFor(ctx, d)
}

// sleepUntil waits until t (no jitter: t is a slot), or until ctx ends.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	return sleepFor(ctx, d)
}

func sleepFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
