package bot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/identity"
)

// EventRouter applies queued events (invitations, prompts) in the
// conversations of the people they are for, through the dispatcher, on the
// channels this process runs. An event's id becomes the input's message id,
// so an event published or handled twice is applied once.
//
// A person with chats on several channels gets an event on one: the first,
// in the order of ChannelOrder, that some process runs (processes mark
// their channels live in Redis). Processes that run different channels read
// the queue in different consumer groups (Run), so each sees every event
// and applies those whose chosen chat is on a channel it runs.
type EventRouter struct {
	Dispatcher *Dispatcher
	Identity   *identity.Identity
	Queue      *events.Queue
	// Channels this process delivers to.
	Channels []string
	Logger   *slog.Logger
	// NoChat, when set, is told of NoHold events for people with no chat,
	// and of events with an Expires, which are held too.
	NoChat func(ctx context.Context, ev events.Event) error
	// OptedOut, when set, tells whether the person of a Bulk event opted
	// out of bulk messages (and notes the copy as not sent); such an event
	// is dropped, whenever it comes: queued before they opted out, or held
	// until they wrote.
	OptedOut func(ctx context.Context, ev events.Event) (bool, error)
	// Users, when set, narrows this process to these chats' users: a
	// terminal session delivers only its own user's messages, leaves
	// everyone else's to their own sessions, and leaves people with no
	// chat (whose events are held) to serve. Give each such process a
	// group of its own (Run's prefix), so that what it passes over is not
	// taken from the others.
	Users []string
	// MaxDelivering holds new events back while this many deliveries are
	// under way (default 2000): a broadcast to 100,000 is applied as fast
	// as it can be sent, not all at once.
	MaxDelivering int

	mu   sync.Mutex
	live map[string]liveness // other processes' channels, as last read
}

type liveness struct {
	ok bool
	at time.Time
}

// ChannelOrder is the order in which a person's chats are preferred for an
// event: Telegram (buttons, files), then WhatsApp, then any other by name.
func ChannelOrder(a, b string) int {
	rank := func(ch string) int {
		switch ch {
		case "telegram":
			return 0
		case "whatsapp":
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
}

// liveFor is how long this process tells others it runs its channels, and
// how long it believes what others told it; refreshed every liveFor/3.
const liveFor = 30 * time.Second

// Run consumes the queue as consumer (a name unique to the process) in the
// group of prefix and this process's channels ("serve:telegram+whatsapp"),
// until ctx ends. With announce, it also marks the channels live, so that
// other processes leave the people it reaches on them to it.
func (r *EventRouter) Run(ctx context.Context, prefix, consumer string, announce bool) error {
	chans := slices.Clone(r.Channels)
	slices.SortFunc(chans, ChannelOrder)
	group := prefix + ":" + strings.Join(chans, "+")
	var wg sync.WaitGroup
	defer wg.Wait()
	if announce && len(chans) > 0 {
		wg.Go(func() {
			t := time.NewTicker(liveFor / 3)
			defer t.Stop()
			for {
				if err := r.Queue.MarkLive(ctx, liveFor, chans...); err != nil && ctx.Err() == nil {
					r.Logger.Warn("marking channels live", "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	if len(r.Users) > 0 {
		// A session's own group: new, it starts with what is there for its
		// users, which no other group delivers to them.
		return r.Queue.ConsumeAll(ctx, group, consumer, r.Handle)
	}
	return r.Queue.Consume(ctx, group, consumer, r.Handle)
}

// Handle applies one event. A person with no chat at all gets it held
// until they write; one whose chats are all on channels this process does
// not run is left to the process that runs them.
func (r *EventRouter) Handle(ctx context.Context, ev events.Event) error {
	if ev.Bulk && ev.Phone != "" && r.OptedOut != nil {
		out, err := r.OptedOut(ctx, ev)
		if err != nil {
			return fmt.Errorf("route event %s: %w", ev.ID, err)
		}
		if out {
			return nil
		}
	}
	channel, user := ev.Channel, ev.User
	if channel == "" {
		chats, err := r.Identity.Chats(ctx, ev.Phone)
		if err != nil {
			return fmt.Errorf("route event %s: %w", ev.ID, err)
		}
		if len(chats) == 0 {
			if len(r.Users) > 0 {
				return nil // serve holds it, once
			}
			// NoHold: dropped. Expires: held, and counted as not reached
			// yet (first, so that a retry does not hold it twice).
			if (ev.NoHold || ev.Expires != 0) && r.NoChat != nil {
				if err := r.NoChat(ctx, ev); err != nil {
					return err
				}
			}
			if ev.NoHold {
				return nil
			}
			return r.hold(ctx, ev)
		}
		c, err := r.choose(ctx, chats)
		if err != nil {
			return fmt.Errorf("route event %s: %w", ev.ID, err)
		}
		channel, user = c.Channel, c.User
	}
	if !r.runs(channel) || len(r.Users) > 0 && !slices.Contains(r.Users, user) {
		return nil // another process's channel, or another session's user
	}
	limit := r.MaxDelivering
	if limit <= 0 {
		limit = 2000
	}
	for r.Dispatcher.Delivering() >= limit {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	in := flows.Input{Channel: channel, User: user, ID: "ev:" + ev.ID, Event: &flows.Event{Flow: ev.Flow, Vars: ev.Vars}}
	if err := r.Dispatcher.Handle(ctx, in); err != nil {
		r.Logger.Warn("event not applied; will retry", "event", ev.ID, "err", err)
		return err
	}
	return nil
}

// choose picks the chat an event goes to: the first, in ChannelOrder, on a
// channel this or another process runs; when none is run anywhere, the
// first on a channel this process runs (it may yet come up); else none.
func (r *EventRouter) choose(ctx context.Context, chats []identity.Chat) (identity.Chat, error) {
	chats = slices.Clone(chats)
	slices.SortStableFunc(chats, func(a, b identity.Chat) int { return ChannelOrder(a.Channel, b.Channel) })
	var others []string
	for _, c := range chats {
		if !r.runs(c.Channel) && !slices.Contains(others, c.Channel) {
			others = append(others, c.Channel)
		}
	}
	live, err := r.liveChannels(ctx, others)
	if err != nil {
		return identity.Chat{}, err
	}
	for _, c := range chats {
		if r.runs(c.Channel) || live[c.Channel] {
			return c, nil
		}
	}
	return identity.Chat{}, nil
}

// liveChannels tells which of channels other processes run, from what was
// read within the last few seconds or from Redis.
func (r *EventRouter) liveChannels(ctx context.Context, channels []string) (map[string]bool, error) {
	out := make(map[string]bool, len(channels))
	var stale []string
	r.mu.Lock()
	for _, ch := range channels {
		if l, ok := r.live[ch]; ok && time.Since(l.at) < liveFor/6 {
			out[ch] = l.ok
		} else {
			stale = append(stale, ch)
		}
	}
	r.mu.Unlock()
	if len(stale) == 0 {
		return out, nil
	}
	got, err := r.Queue.Live(ctx, stale...)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	r.mu.Lock()
	if r.live == nil {
		r.live = map[string]liveness{}
	}
	for _, ch := range stale {
		out[ch] = got[ch]
		r.live[ch] = liveness{ok: got[ch], at: now}
	}
	r.mu.Unlock()
	return out, nil
}

func (r *EventRouter) runs(channel string) bool {
	for _, c := range r.Channels {
		if c == channel && channel != "" {
			return true
		}
	}
	return false
}

// hold keeps ev for a person who had no chat when it was routed. The person
// may link a chat between that look and the hold: linking releases what is
// held, but it may have looked before ev was. So the chats are looked at
// again once ev is held, and if there is one now ev is released here
// (Release moves each held event once, whoever calls it).
func (r *EventRouter) hold(ctx context.Context, ev events.Event) error {
	if err := r.Queue.Hold(ctx, ev); err != nil {
		return fmt.Errorf("route event %s: %w", ev.ID, err)
	}
	// ev is held now: an error from here on is not retried (that would hold
	// it twice); the person's next link releases it.
	chats, err := r.Identity.Chats(ctx, ev.Phone)
	if err == nil && len(chats) > 0 {
		_, err = r.Queue.Release(ctx, ev.Phone)
	}
	if err != nil {
		r.Logger.Warn("held event not released; it goes when the person next links", "event", ev.ID, "err", err)
	}
	return nil
}
