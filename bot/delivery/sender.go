package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// Limited returns a Sender that paces s with l: before each reply it takes
// a turn of l (of the class bot.ClassOf(ctx)), then hands s that one reply
// and releases the chat once s returns, so the limits hold per message and
// a chat's interval runs from the end of its last send.
//
// A reply s sends as several messages (Telegram: a text over 4096
// characters, a caption too long for a document; WhatsApp: a document
// after its text) takes a turn for each, when s is a Splitter: each part
// is handed to s on its own, so that the overall limit counts every
// message and two messages to one chat are never closer than its
// interval. An empty reply, which s may drop, still takes its place.
//
// A reply (or part) s refuses with bot.ErrRateLimited (a 429: the sender
// paused the limiter) waits its turn again and is retried, up to 5 tries,
// so that the limit holds after a storm of 429s too; the parts before it
// are not sent again.
//
// An error of s comes back unchanged (errors.Is sees bot.ErrUnreachable),
// and the replies after it are not sent; the ones before it were. An error
// of Wait (ctx ended, Redis failed) comes back wrapped, and is not
// ErrUnreachable, so the dispatcher tries again later.
func Limited(s bot.Sender, l *Limiter) bot.Sender {
	return &limited{s: s, l: l}
}

// Splitter is a Sender that sends some replies as several messages. Split
// returns the replies it sends r as, each one message when sent on its own
// (r alone when it is one message).
type Splitter interface {
	Split(r flows.Reply) []flows.Reply
}

type limited struct {
	s bot.Sender
	l *Limiter
}

// Send waits for l before each message and sends them one at a time.
func (ls *limited) Send(ctx context.Context, user string, replies []flows.Reply) error {
	if len(replies) == 0 {
		return ls.s.Send(ctx, user, replies)
	}
	split, _ := ls.s.(Splitter)
	for i := range replies {
		parts := replies[i : i+1]
		if split != nil {
			parts = split.Split(replies[i])
		}
		if err := ls.sendParts(ctx, user, parts, i, len(replies)); err != nil {
			return err
		}
	}
	return nil
}

// sendParts sends the parts of reply i of n, each with a turn of its own.
func (ls *limited) sendParts(ctx context.Context, user string, parts []flows.Reply, i, n int) error {
	for p := range parts {
		for attempt := 1; ; attempt++ {
			release, err := ls.l.Take(ctx, user, bot.ClassOf(ctx))
			if err != nil {
				return fmt.Errorf("send reply %d of %d: %w", i+1, n, err)
			}
			err = ls.s.Send(ctx, user, parts[p:p+1])
			release()
			if errors.Is(err, bot.ErrRateLimited) && attempt < maxRateLimited {
				continue // the channel is paused: wait for the limiter again, with everyone else
			}
			if err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// maxRateLimited bounds the tries of one reply that keeps meeting 429s.
const maxRateLimited = 5

// Poster posts and edits messages outside conversations (a broadcast's
// progress); services.Poster is one.
type Poster interface {
	Post(ctx context.Context, user, text string) (string, error)
	Edit(ctx context.Context, user, id, text string) error
	EditPace() (every, window time.Duration)
}

// PacedPoster returns p with every Post and Edit taking an interactive
// turn of l first (they go to the coordinator who is watching), so that
// they count in the channel's limits like any other message.
func PacedPoster(p Poster, l *Limiter) Poster { return &pacedPoster{p: p, l: l} }

type pacedPoster struct {
	p Poster
	l *Limiter
}

func (pp *pacedPoster) Post(ctx context.Context, user, text string) (string, error) {
	release, err := pp.l.Take(ctx, user, bot.Interactive)
	if err != nil {
		return "", fmt.Errorf("post: %w", err)
	}
	defer release()
	return pp.p.Post(ctx, user, text)
}

func (pp *pacedPoster) Edit(ctx context.Context, user, id, text string) error {
	release, err := pp.l.Take(ctx, user, bot.Interactive)
	if err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	defer release()
	return pp.p.Edit(ctx, user, id, text)
}

func (pp *pacedPoster) EditPace() (every, window time.Duration) { return pp.p.EditPace() }
