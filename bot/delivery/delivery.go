// Package delivery paces outgoing messages so that a channel's rate limits
// hold on the wire, across every process of the bot: one Limiter per
// channel and account (a Telegram bot, a WhatsApp number), its state kept
// in Redis.
//
// A message may go once two limits allow it: the overall limit of the
// account (all chats together) and the interval of the chat it goes to.
//
// The overall limit is kept with a log of the sends, shared in Redis: each
// send is noted when its time slot is given (as still in flight) and again
// when it is over (Take's release), with the time then in Redis's clock
// (from the reading of it that reserved the slot, never early). A slot
// at t is given only when fewer than Rate sends of the log may have reached
// the platform after t-Period: a send over before t-Period no longer
// counts; one in flight counts until it is over. A send reaches the
// platform after its slot and before its release, so no window of one
// Period holds more than Rate sends on the wire, however late a goroutine
// woke, however slow the network or the machine. What that costs is the
// time a send takes from its slot to its release (a few milliseconds:
// Rate sends go every Period plus that time). Slots are also paced evenly,
// Period/Rate apart at least, so a free window does not become a burst;
// slots no one asked for in the last tenth of a Period, and at most the
// last 100 ms (the process was busy), may still be given, at once, within
// the log's limit: at a few messages a minute (WhatsApp), that is at most
// one slot, so an idle limiter does not start with a burst.
//
// The chat's interval is measured from the end of the previous send to that
// chat: a message holds its chat from its slot until its send is over
// (Take's release), and the next one may leave an interval after that. The
// chat is taken once the overall slot is reserved (a fiftieth of a second
// before it at most), for the chats of a whole batch of slots in one
// pipeline; a slot whose chat is busy is given back at once, and its
// message waits for the chat before it asks for a slot again. A message
// whose slot is given back after a pause leaves its chat resting for the
// interval. So two messages to one chat are never closer on the wire than
// the interval, however long either waited for a slot.
//
// The other single-key commands of a send (the end of a send in the log,
// the chat's rest, a slot given back, a busy chat's check) go through one
// pipeline per Limiter: those given while a pipeline is in flight share
// the next one. A send through the overall limit so costs well under one
// round trip (BenchmarkLimiterRate: 0.8 a message at 1000/s, 3.5 before).
//
// Interactive messages (bot.Interactive) are served before Bulk ones: in a
// process, a free slot goes to a waiting interactive message first; across
// processes, a process with interactive messages waiting marks the log as
// wanted, and no other process is given slots for bulk until they have
// theirs (a process reserves at most a fiftieth of a second's worth of slots
// ahead, so an interactive message waits behind bulk for no longer than
// that).
//
// A Limiter also honours a pause of the whole account (Pause), set when the
// platform answers "too many requests" with a retry-after.
//
// Keys, for a channel c and account a (the account part is left out when
// Limits.Account is empty):
//
//	saathi:rate:c:a:sent{c:a}    the log of sends: a sorted set, the slot's time (µs) → the end of the send, µs
//	saathi:rate:c:a:next{c:a}    the earliest next slot, µs
//	saathi:rate:c:a:urgent{c:a}  a process with interactive messages waiting
//	saathi:rate:c:a:chat:<id>    a chat held (a send in flight) or resting (its interval)
//	saathi:rate:c:a:pause        the pause, with a PX expiry
//
// All of them expire by themselves. A script touches only the three keys
// of the log, which share a Redis Cluster hash slot ({c:a}); each other
// command touches one key.
package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
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
	// sendHold is how long after its slot a send in flight counts in the
	// log as not over: a send slower than that counts as over then (and may
	// reach the platform closer to later ones); the slots of a process that
	// dies mid-send are held that long.
	sendHold = 10 * time.Second
	// urgentHold is how long a process's mark that interactive messages
	// wait lasts if it is not cleared (the process died).
	urgentHold = 100 * time.Millisecond
	// catchUp: slots unused for up to Period/catchUp, and no longer than
	// maxCatchUp, may still be given.
	catchUp    = 10
	maxCatchUp = 100 * time.Millisecond
)

// Limiter paces the messages of one channel's account. It is safe for
// concurrent use; Limiters of the same channel and account built on the
// same Redis, in one process or many, share their limits.
type Limiter struct {
	rdb     redis.UniversalClient
	channel string
	limits  Limits
	token   string // this Limiter's name in the urgent key

	interval     time.Duration // between two overall slots at least; 0: no overall limit
	chatInterval time.Duration
	groupInteval time.Duration
	batch        int           // overall slots reserved at once, at most
	ahead        time.Duration // how far ahead of its time a slot may be reserved

	logKeys    []string // the log, the next slot and the urgent mark
	chatPrefix string
	pauseKey   string

	pipe pipe // the chats' commands and the ends of sends, many in one round trip

	mu       sync.Mutex
	queues   [2][]*waiter // waiters for an overall slot, by class, first come first
	fetching bool         // the fetcher runs (fetchLoop)
	pause    pauseState   // guarded by mu
	reads    singleflight.Group
}

// waiter is a message waiting for an overall slot; the fetcher hands it
// one (or the error that kept it from reserving any).
type waiter struct {
	got      chan slot
	key      string // the chat's key, to hold with the slot; empty: none
	interval time.Duration
}

// slot is an overall slot: the local time it begins (no earlier than its
// time in Redis's clock) and its name in the log.
type slot struct {
	at    time.Time
	id    string
	clock redisClock // of the reservation, to tell when its send ended
	err   error

	held     bool          // the chat's key is held for this slot's send
	key      string        // the chat's key, when held
	interval time.Duration // the chat's interval, when held
	busy     bool          // no slot: the chat was busy
}

// redisClock maps local instants to Redis's clock from one reading of it:
// Redis read now (µs) after the local instant asked.
type redisClock struct {
	asked time.Time
	now   int64
}

// atLatest is Redis's clock at the local instant t, or a little later: it
// is never earlier (Redis read its clock no earlier than asked). A
// millisecond more allows for the two clocks' rates differing.
func (c redisClock) atLatest(t time.Time) int64 {
	return c.now + t.Sub(c.asked).Microseconds() + 1000
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
	prefix, tag := "saathi:rate:"+channel+":", channel
	if l.Account != "" {
		prefix += l.Account + ":"
		tag += ":" + l.Account
	}
	tag = "{" + tag + "}"
	var name [8]byte
	_, _ = rand.Read(name[:]) // never fails
	lim := &Limiter{
		rdb:          rdb,
		channel:      channel,
		limits:       l,
		token:        hex.EncodeToString(name[:]),
		chatInterval: every(l.PerChat),
		groupInteval: every(l.PerGroup),
		logKeys:      []string{prefix + "sent" + tag, prefix + "next" + tag, prefix + "urgent" + tag},
		chatPrefix:   prefix + "chat:",
		pauseKey:     prefix + "pause",
		pipe:         pipe{rdb: rdb},
	}
	if !l.Overall.IsZero() {
		lim.interval = every(l.Overall)
		// A fiftieth of a second's worth of slots at once, at most 64.
		lim.batch = min(max(1, int(20*time.Millisecond/lim.interval)), 64)
		lim.ahead = time.Duration(lim.batch) * lim.interval
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
// as sent and over now. Senders use Take, which counts a send until it is
// over.
func (l *Limiter) Wait(ctx context.Context, chat string) error {
	release, err := l.Take(ctx, chat, bot.Interactive)
	if err != nil {
		return err
	}
	release()
	return nil
}

// Take blocks until one message of class c to chat may go: it waits for
// an overall slot, which comes with the chat held; when the chat was busy
// (a send in flight or its interval not over) the slot is given back and
// Take waits until the chat rests no more (holding nothing shared), then
// asks again. After the slot it waits out any pause (giving the slot back
// and leaving the chat resting when one began). Call release once the send is over,
// whatever its outcome: the send counts in the overall limit until then,
// and the chat's interval starts then. A chat never released (its process
// died) rests for its interval plus chatHold; the slot counts for sendHold.
func (l *Limiter) Take(ctx context.Context, chat string, c bot.Class) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, l.wrap(chat, err)
	}
	interval := l.chatInterval
	if l.limits.IsGroup != nil && l.limits.IsGroup(chat) {
		interval = l.groupInteval
	}
	key := ""
	if interval > 0 {
		key = l.chatPrefix + chat
	}
	for {
		s, err := l.takeOverall(ctx, c, key, interval)
		if err != nil {
			return nil, l.wrap(chat, err)
		}
		if key == "" {
			return func() { l.release(ctx, s, "", 0) }, nil
		}
		ok := s.held
		if l.interval == 0 { // no fetcher held the chat: hold it here
			ok, err = l.hold(key, interval+chatHold)
			if err != nil {
				return nil, l.wrap(chat, fmt.Errorf("hold chat: %w", err))
			}
		}
		if ok {
			return func() { l.release(ctx, s, key, interval) }, nil
		}
		// The chat is busy: its slot was given back; wait until it rests no more.
		if err := l.waitChat(ctx, key); err != nil {
			return nil, l.wrap(chat, err)
		}
	}
}

func (l *Limiter) wrap(chat string, err error) error {
	return fmt.Errorf("wait to send on %s to %s: %w", l.channel, chat, err)
}

// release notes in the log that the send of slot s (when there is an
// overall limit) ended now, in Redis's clock (unless the slot is gone from
// the log), and lets the chat key rest for interval (when there is one),
// in one round trip. The send is over: this is not cut short by ctx. On an
// error, the slot counts until sendHold and the chat rests for
// interval+chatHold.
func (l *Limiter) release(ctx context.Context, s slot, key string, interval time.Duration) {
	ended := s.clock.atLatest(time.Now())
	var cmds [2]redis.Cmder
	n := 0
	if s.id != "" {
		cmds[n] = redis.NewIntCmd(ctx, "zadd", l.logKeys[0], "xx", ended, s.id)
		n++
	}
	if key != "" {
		cmds[n] = redis.NewStatusCmd(ctx, "set", key, "1", "px", interval.Milliseconds())
		n++
	}
	if n > 0 {
		<-l.pipe.do(cmds[:n]...) // errors: see above
	}
}

// hold sets the chat's key, unless it is set, for d: the chat is taken.
func (l *Limiter) hold(key string, d time.Duration) (bool, error) {
	cmd := redis.NewBoolCmd(context.Background(), "set", key, "1", "px", d.Milliseconds(), "nx")
	<-l.pipe.do(cmd)
	return cmd.Result()
}

// giveBack removes slot s, not used for a send, from the log; when s held
// the chat key, the chat rests for interval (as after a send: the hold may
// have run out and another message may hold the chat now, whose hold this
// must not drop).
func (l *Limiter) giveBack(ctx context.Context, s slot) {
	var cmds [2]redis.Cmder
	n := 0
	if s.id != "" {
		cmds[n] = redis.NewIntCmd(ctx, "zrem", l.logKeys[0], s.id) // on an error it counts until sendHold
		n++
	}
	if s.held {
		cmds[n] = redis.NewStatusCmd(ctx, "set", s.key, "1", "px", s.interval.Milliseconds())
		n++
	}
	if n > 0 {
		<-l.pipe.do(cmds[:n]...)
	}
}

// waitChat waits until the chat's key is gone: no send to it is in flight
// and its interval since the last one has passed.
func (l *Limiter) waitChat(ctx context.Context, key string) error {
	for {
		cmd := redis.NewDurationCmd(ctx, time.Millisecond, "pttl", key)
		if err := l.pipe.wait(ctx, cmd); err != nil {
			return err
		}
		left, err := cmd.Result()
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

// takeOverall waits for an overall slot and out any pause, and returns it
// (with no name in the log when there is no overall limit). A waiter joins its
// class's queue; one fetcher goroutine, running while there are waiters,
// reserves slots from the shared log in Redis, a batch at a time, holds the
// chats (key, when not empty) of the waiters it gives them to, in one
// pipeline, and hands each its slot, interactive before bulk, so that only
// the waiters served are woken. A slot whose chat was busy is given back at
// once and comes with held false.
func (l *Limiter) takeOverall(ctx context.Context, c bot.Class, key string, interval time.Duration) (slot, error) {
	if err := l.waitPause(ctx); err != nil {
		return slot{}, err
	}
	if l.interval == 0 {
		return slot{}, nil
	}
	for {
		w := &waiter{got: make(chan slot, 1), key: key, interval: interval}
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
			n := len(l.queues[c])
			l.queues[c] = slices.DeleteFunc(l.queues[c], func(x *waiter) bool { return x == w })
			taken := len(l.queues[c]) == n // the fetcher has it: its slot is on the way
			l.mu.Unlock()
			if taken {
				if s = <-w.got; s.err == nil {
					l.giveBack(ctx, s)
				}
			}
			return slot{}, ctx.Err()
		}
		if s.err != nil {
			return slot{}, s.err
		}
		if s.busy {
			return s, nil
		}
		if err := sleepUntil(ctx, s.at); err != nil {
			l.giveBack(ctx, s)
			return slot{}, err
		}
		// A pause that began after the slot was reserved wins; the slot is given back.
		until, err := l.pausedUntilNow(ctx)
		if err == nil && !time.Now().Before(until) {
			return s, nil
		}
		l.giveBack(ctx, s)
		if err != nil {
			return slot{}, err
		}
		if err := l.waitPause(ctx); err != nil {
			return slot{}, err
		}
	}
}

// fetchLoop reserves slots for the queued waiters and hands them out,
// until no one waits. ctx carries no deadline: each call has its own.
func (l *Limiter) fetchLoop(ctx context.Context) {
	for {
		l.mu.Lock()
		urgent, n := len(l.queues[bot.Interactive]), len(l.queues[0])+len(l.queues[1])
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
		slots, wait, err := l.reserve(rctx, min(n, l.batch), urgent)
		cancel()
		if err == nil && len(slots) == 0 {
			_ = sleep(ctx, wait)
			continue
		}
		var lost []slot
		var served []*waiter
		l.mu.Lock()
		if err != nil { // every waiter hears of it, and may try again
			for c := range l.queues {
				for _, w := range l.queues[c] {
					w.got <- slot{err: err}
				}
				l.queues[c] = nil
			}
		}
		for i := range slots {
			c := bot.Interactive
			if len(l.queues[c]) == 0 {
				c = bot.Bulk
			}
			if len(l.queues[c]) == 0 { // their waiters gave up
				lost = slots[i:]
				break
			}
			served = append(served, l.queues[c][0])
			l.queues[c][0] = nil
			l.queues[c] = l.queues[c][1:]
		}
		l.mu.Unlock()
		l.handOut(ctx, served, slots[:len(served)])
		for _, s := range lost {
			l.giveBack(ctx, s)
		}
		if err == nil && wait > 0 {
			_ = sleep(ctx, wait) // the next batch is not due yet
		}
	}
}

// handOut holds the chats of the waiters served, in one pipeline, and
// hands each waiter its slot: held, or, when its chat was busy, given back
// (busy), or the error that kept the chat from being held.
func (l *Limiter) handOut(ctx context.Context, served []*waiter, slots []slot) {
	holds := make([]*redis.BoolCmd, len(served))
	if slices.ContainsFunc(served, func(w *waiter) bool { return w.key != "" }) {
		rctx, cancel := context.WithTimeout(ctx, pipeTimeout)
		_, _ = l.rdb.Pipelined(rctx, func(p redis.Pipeliner) error {
			for i, w := range served {
				if w.key != "" {
					// Held from before the slot: as long as its send may take, and the time to the slot.
					holds[i] = p.SetNX(rctx, w.key, "1", w.interval+chatHold+l.ahead)
				}
			}
			return nil
		})
		cancel()
	}
	var back []slot
	for i, w := range served {
		s := slots[i]
		if holds[i] != nil {
			ok, err := holds[i].Result()
			switch {
			case err != nil:
				back = append(back, s)
				s = slot{err: fmt.Errorf("hold chat: %w", err)}
			case ok:
				s.held, s.key, s.interval = true, w.key, w.interval
			default:
				back = append(back, s)
				s = slot{busy: true}
			}
		}
		w.got <- s
	}
	for _, s := range back {
		l.giveBack(ctx, s)
	}
}

// reserveScript reserves up to ARGV[4] slots from the log of sends in
// KEYS[1] (a sorted set: a slot's time → the end of its send, or, while it
// is in flight, the slot's time plus ARGV[6]; all in µs of Redis's clock),
// KEYS[2] holding the earliest next slot. A slot at t is given when fewer
// than ARGV[3] sends may have ended after t - ARGV[1] (the period); slots
// are ARGV[2] apart at least, and no further ahead than ARGV[5].
//
// Slots left unused for up to ARGV[10] µs (no one asked: a fetcher woke
// late) may still be given, at once: a slot's time is only the earliest
// its send may leave, so a slot in the past counts the log from earlier.
//
// ARGV[7] is how many interactive messages of the caller (ARGV[8]) wait:
// while the mark in KEYS[3] says another caller's do, a caller with none
// is given nothing; a caller that is given slots for all of them clears its
// mark, else it sets it for ARGV[9] ms plus the wait.
//
// It returns Redis's time now, how long to wait before asking again when
// it gave fewer slots than asked (µs), and the slots' times.
var reserveScript = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local period, gap, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local want, ahead, hold = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local urgent, me = tonumber(ARGV[7]), ARGV[8]
local function us(x) return string.format("%d", x) end
if urgent == 0 then
  local other = redis.call("GET", KEYS[3])
  if other and other ~= me then
    return {now, math.min(gap, 20000)}
  end
end
-- Slots left unused lately (a caller woke late) may still be given, up to
-- ARGV[10] back: a slot's time is the earliest its send may go, so one in
-- the past only counts the log from earlier.
local back = tonumber(ARGV[10])
local at = math.max(now - back, tonumber(redis.call("GET", KEYS[2]) or "0"))
-- Sends over before any slot still to give, less a period, count no more.
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", us(now - back - period))
local out = {now, 0}
-- Asked for a batch: wait until the whole of it may fit, rather than take a slot at a time.
if at + (want - 1) * gap > now + ahead then
  out[2] = at + (want - 1) * gap - ahead - now
  want = 0
end
while #out - 2 < want do
  if at > now + ahead then
    out[2] = at - ahead - now
    break
  end
  local from = "(" .. us(at - period)
  local n = redis.call("ZCOUNT", KEYS[1], from, "+inf")
  if n < rate then
    redis.call("ZADD", KEYS[1], us(at + hold), us(at))
    out[#out + 1] = at
    at = at + gap
  else
    -- The send that must be over before t - period for t to have room.
    local s = tonumber(redis.call("ZRANGEBYSCORE", KEYS[1], from, "+inf", "WITHSCORES", "LIMIT", n - rate, 1)[2])
    if s > now then -- in flight, as are the ones after it: no room within a period
      out[2] = math.max(math.min(period - ahead, period / 10), 1000)
      break
    end
    at = s + period
  end
end
if #out > 2 then
  out[2] = math.max(out[2], at + (want - 1) * gap - ahead - now)
  redis.call("SET", KEYS[2], us(at), "PX", math.floor((at - now + period + hold) / 1000))
  redis.call("PEXPIRE", KEYS[1], math.floor((at - now + period + hold) / 1000))
end
if urgent > 0 then
  if #out - 2 >= urgent then
    if redis.call("GET", KEYS[3]) == me then redis.call("DEL", KEYS[3]) end
  else
    redis.call("SET", KEYS[3], me, "PX", tonumber(ARGV[9]) + math.floor(out[2] / 1000))
  end
end
return out
`)

// reserve takes up to want slots from the shared log, urgent of them for
// interactive messages. With fewer, it returns how long to wait before
// asking again.
func (l *Limiter) reserve(ctx context.Context, want, urgent int) ([]slot, time.Duration, error) {
	us := l.interval.Microseconds()
	asked := time.Now()
	res, err := reserveScript.Run(ctx, l.rdb, l.logKeys,
		l.limits.Overall.Period.Microseconds(), us, l.limits.Overall.Rate, want,
		int64(l.batch)*us, sendHold.Microseconds(), urgent, l.token, urgentHold.Milliseconds(), min(l.limits.Overall.Period/catchUp, maxCatchUp).Microseconds()).Int64Slice()
	if err != nil {
		return nil, 0, fmt.Errorf("reserve overall slots: %w", err)
	}
	// Redis read its clock before now: a slot begins here no earlier than
	// it does in Redis's clock.
	got := time.Now()
	now, wait := res[0], time.Duration(res[1])*time.Microsecond
	clock := redisClock{asked: asked, now: now}
	slots := make([]slot, len(res)-2)
	for i, at := range res[2:] {
		slots[i] = slot{at: got.Add(time.Duration(at-now) * time.Microsecond), id: strconv.FormatInt(at, 10), clock: clock}
	}
	return slots, wait, nil
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
	d += mrand.N(min(d/10, maxJitter) + 1)
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
