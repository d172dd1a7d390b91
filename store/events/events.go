// Package events is the durable queue of events for people: invitations,
// promotions from a waitlist, prompts for coordinators. Any process may
// publish; `saathi serve` (and `saathi chat`) consume them, each through the
// conversation of the person it is for.
//
// The queue is a Redis stream read by consumer groups, one for each set of
// channels a process runs (processes that run the same channels share the
// work): an event is acknowledged only after its transition is committed,
// and one left pending by a crashed consumer is claimed by another after a
// while. An event for a person with no chat yet is held until they link one.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

const streamKey = "saathi:events"

func heldKey(phone string) string { return "saathi:held:" + phone }

// Event is something that happened for a person. ID must be stable for the
// same happening (e.g. "invite:t1:+9190…"), so that publishing it twice
// applies it once.
type Event struct {
	ID    string `json:"id"`
	Phone string `json:"phone,omitempty"` // the person it is for
	// Channel and User name one chat directly, instead of Phone.
	Channel string            `json:"channel,omitempty"`
	User    string            `json:"user,omitempty"`
	Flow    string            `json:"flow"`
	Vars    map[string]string `json:"vars,omitempty"`
	// NoHold: for a person with no chat yet, the event is dropped (and
	// reported to the router's NoChat), not held: a broadcast is news today.
	NoHold bool `json:"no_hold,omitempty"`
	// Expires (Unix seconds), when set, ends a held event's validity: one
	// released after it is dropped, not applied (a broadcast held for a
	// person who has not written yet is news for a week, not for ever).
	Expires int64 `json:"expires,omitempty"`
	// Group, when set, ties events that show the same thing in its latest
	// state (an invitation, its nudges and the notices of its moves all
	// show the training as it is when applied): of a person's held events
	// of one group only the first is released, so someone who first
	// writes after several changes gets one message, not one per change.
	Group string `json:"group,omitempty"`
	// Bulk marks a message the person did not ask for (a broadcast copy, a
	// nudge, a report reminder): it is not applied for a person who opted
	// out ("बंद करो") by the time it goes out, however long ago it was
	// queued. Replies, and notices of their own training, are never bulk.
	Bulk bool `json:"bulk,omitempty"`
}

// TrainingGroup is the Group of the events about one training that show
// it as it is now.
func TrainingGroup(id string) string { return "training:" + id }

// Queue is the event stream.
type Queue struct {
	rdb redis.UniversalClient
	// ClaimAfter: an event a consumer took but did not acknowledge for this
	// long is taken over by another (default 30s).
	ClaimAfter time.Duration
	// Workers is how many events a consumer applies at once (default 32).
	Workers int
	// Now is the clock Release compares Expires with (nil: time.Now).
	Now func() time.Time
}

// New wraps a Redis client.
func New(rdb redis.UniversalClient) *Queue {
	return &Queue{rdb: rdb, ClaimAfter: 30 * time.Second, Workers: 32}
}

// Publish adds events to the queue in one round trip.
func (q *Queue) Publish(ctx context.Context, evs ...Event) error {
	if len(evs) == 0 {
		return nil
	}
	_, err := q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, ev := range evs {
			buf, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			p.XAdd(ctx, &redis.XAddArgs{Stream: streamKey, Values: []any{"e", buf}})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("publish %d events: %w", len(evs), err)
	}
	return nil
}

// Hold keeps an event for a person who has no chat yet.
func (q *Queue) Hold(ctx context.Context, ev Event) error {
	buf, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("hold event %s: %w", ev.ID, err)
	}
	if err := q.rdb.RPush(ctx, heldKey(ev.Phone), buf).Err(); err != nil {
		return fmt.Errorf("hold event %s: %w", ev.ID, err)
	}
	return nil
}

// Held lists a person's held events.
func (q *Queue) Held(ctx context.Context, phone string) ([]Event, error) {
	raw, err := q.rdb.LRange(ctx, heldKey(phone), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("read held events: %w", err)
	}
	out := make([]Event, 0, len(raw))
	for _, r := range raw {
		var ev Event
		if json.Unmarshal([]byte(r), &ev) == nil {
			out = append(out, ev)
		}
	}
	return out, nil
}

// Release moves a person's held events back into the queue: they have a
// chat now. Those past their Expires are dropped, and so are all but the
// first of each Group. It reads the held list, adds the events to the
// stream, then removes from the list the ones it read (not those held
// meanwhile): the list and the stream are in different hash slots of a
// cluster, so this is three steps, not one script. A crash or a second
// Release at the same time adds an event twice; the dispatcher applies it
// once (its message id is the event's ID, refused the second time).
func (q *Queue) Release(ctx context.Context, phone string) (int, error) {
	now := time.Now
	if q.Now != nil {
		now = q.Now
	}
	items, err := q.rdb.LRange(ctx, heldKey(phone), 0, -1).Result()
	if err != nil {
		return 0, fmt.Errorf("release held events: %w", err)
	}
	if len(items) == 0 {
		return 0, nil
	}
	var keep []string
	groups := map[string]bool{}
	for _, e := range items {
		var ev Event
		if json.Unmarshal([]byte(e), &ev) == nil {
			if ev.Expires > 0 && ev.Expires <= now().Unix() || ev.Group != "" && groups[ev.Group] {
				continue
			}
			if ev.Group != "" {
				groups[ev.Group] = true
			}
		}
		keep = append(keep, e)
	}
	if len(keep) > 0 {
		_, err = q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, e := range keep {
				p.XAdd(ctx, &redis.XAddArgs{Stream: streamKey, Values: []any{"e", e}})
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("release held events: %w", err)
		}
	}
	_, err = q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range items {
			p.LRem(ctx, heldKey(phone), 1, e)
		}
		return nil
	})
	if err != nil {
		return len(keep), fmt.Errorf("release held events: %w", err)
	}
	return len(keep), nil
}

// Handler applies one event. An error leaves the event in the queue, to be
// tried again.
type Handler func(ctx context.Context, ev Event) error

// Consume reads events in group as consumer (a name unique to the process)
// and hands each to h until ctx ends. Every group sees every event; within a
// group each event goes to one consumer. Events h fails on are taken again
// after ClaimAfter. An event is deleted from the stream once its group is
// done with it, so every group that may run must be running.
func (q *Queue) Consume(ctx context.Context, group, consumer string, h Handler) error {
	start, err := q.startOfNewGroup(ctx)
	if err != nil {
		return fmt.Errorf("create event group: %w", err)
	}
	return q.consume(ctx, group, consumer, start, h)
}

// ConsumeAll is Consume for a group that, when new, reads every event
// still in the stream rather than starting where the other groups are:
// a terminal session's group for one user, who gets what was published
// for them before their first session (what other groups read past is
// not theirs to have had).
func (q *Queue) ConsumeAll(ctx context.Context, group, consumer string, h Handler) error {
	return q.consume(ctx, group, consumer, "0", h)
}

func (q *Queue) consume(ctx context.Context, group, consumer, start string, h Handler) error {
	err := q.rdb.XGroupCreateMkStream(ctx, streamKey, group, start).Err()
	if err != nil && !isBusyGroup(err) {
		return fmt.Errorf("create event group: %w", err)
	}
	lastClaim := time.Time{}
	for ctx.Err() == nil {
		if time.Since(lastClaim) > q.ClaimAfter/2 {
			lastClaim = time.Now()
			q.claim(ctx, group, consumer, h)
		}
		res, err := q.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: group, Consumer: consumer, Streams: []string{streamKey, ">"}, Count: 100, Block: time.Second,
		}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			select { // Redis is away: wait, then try again
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		for _, s := range res {
			q.handle(ctx, group, s.Messages, h)
		}
	}
	return nil
}

// claim takes over events another consumer left unacknowledged.
func (q *Queue) claim(ctx context.Context, group, consumer string, h Handler) {
	msgs, _, err := q.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: streamKey, Group: group, Consumer: consumer, MinIdle: q.ClaimAfter, Start: "0", Count: 100,
	}).Result()
	if err == nil {
		q.handle(ctx, group, msgs, h)
	}
}

// handle applies a batch of events on Workers goroutines. Events for the
// same person (or chat) go to the same goroutine, so they keep their order;
// acknowledgements are batched into one round trip.
func (q *Queue) handle(ctx context.Context, group string, msgs []redis.XMessage, h Handler) {
	workers := max(q.Workers, 1)
	shards := make([][]redis.XMessage, workers)
	evs := make(map[string]Event, len(msgs))
	var done []string
	for _, m := range msgs {
		raw, _ := m.Values["e"].(string)
		var ev Event
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			done = append(done, m.ID) // unreadable: nothing to retry
			continue
		}
		evs[m.ID] = ev
		f := fnv.New32a()
		f.Write([]byte(ev.Phone + "|" + ev.Channel + "|" + ev.User))
		i := int(f.Sum32() % uint32(workers))
		shards[i] = append(shards[i], m)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, shard := range shards {
		if len(shard) == 0 {
			continue
		}
		wg.Go(func() {
			for _, m := range shard {
				if h(ctx, evs[m.ID]) == nil {
					mu.Lock()
					done = append(done, m.ID)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	q.ack(ctx, group, done...)
}

func (q *Queue) ack(ctx context.Context, group string, ids ...string) {
	if len(ids) > 0 {
		// Handled is handled: acknowledge even when the consumer is stopping.
		q.rdb.XAck(context.WithoutCancel(ctx), streamKey, group, ids...)
	}
}

// Trim drops events every group has handled and those older than maxAge.
func (q *Queue) Trim(ctx context.Context, maxAge time.Duration) error {
	minID := strconv.FormatInt(time.Now().Add(-maxAge).UnixMilli(), 10)
	if err := q.rdb.XTrimMinID(ctx, streamKey, minID).Err(); err != nil {
		return fmt.Errorf("trim events: %w", err)
	}
	return nil
}

// Pending is how many events a group has taken but not finished.
func (q *Queue) Pending(ctx context.Context, group string) (int64, error) {
	p, err := q.rdb.XPending(ctx, streamKey, group).Result()
	if err != nil {
		return 0, fmt.Errorf("count pending events: %w", err)
	}
	return p.Count, nil
}

// Len is how many events wait or are being handled.
func (q *Queue) Len(ctx context.Context) (int64, error) {
	n, err := q.rdb.XLen(ctx, streamKey).Result()
	if err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// startOfNewGroup is where a group made now starts reading: where the
// slowest existing group is (a new set of channels, say WhatsApp added,
// does not replay a week of events its people already had), or at the
// beginning when there is no group yet (events published before the first
// serve ever ran are not lost).
func (q *Queue) startOfNewGroup(ctx context.Context) (string, error) {
	groups, err := q.rdb.XInfoGroups(ctx, streamKey).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			return "0", nil
		}
		return "", fmt.Errorf("read event groups: %w", err)
	}
	start := ""
	for _, g := range groups {
		if start == "" || idLess(g.LastDeliveredID, start) {
			start = g.LastDeliveredID
		}
	}
	if start == "" {
		return "0", nil
	}
	return start, nil
}

// idLess compares two stream ids ("1700000000000-3").
func idLess(a, b string) bool {
	am, as, _ := strings.Cut(a, "-")
	bm, bs, _ := strings.Cut(b, "-")
	ai, _ := strconv.ParseUint(am, 10, 64)
	bi, _ := strconv.ParseUint(bm, 10, 64)
	if ai != bi {
		return ai < bi
	}
	aj, _ := strconv.ParseUint(as, 10, 64)
	bj, _ := strconv.ParseUint(bs, 10, 64)
	return aj < bj
}

func liveKey(channel string) string { return "saathi:live:" + channel }

// MarkLive records, for ttl, that this process delivers on channels, so
// that events for people with chats on several channels go to one that
// some process runs.
func (q *Queue) MarkLive(ctx context.Context, ttl time.Duration, channels ...string) error {
	_, err := q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, ch := range channels {
			p.Set(ctx, liveKey(ch), "1", ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark channels live: %w", err)
	}
	return nil
}

// Live tells which of channels some process marked live within its ttl.
func (q *Queue) Live(ctx context.Context, channels ...string) (map[string]bool, error) {
	out := make(map[string]bool, len(channels))
	if len(channels) == 0 {
		return out, nil
	}
	keys := make([]string, len(channels))
	for i, ch := range channels {
		keys[i] = liveKey(ch)
	}
	vals, err := q.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("read live channels: %w", err)
	}
	for i, v := range vals {
		out[channels[i]] = v != nil
	}
	return out, nil
}

func isBusyGroup(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "BUSYGROUP")
}
