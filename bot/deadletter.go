package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
)

// DefaultRetryBudget is how long one inbound message is tried for, retries
// included, before it is set aside (Options.RetryBudget).
const DefaultRetryBudget = 3 * time.Second

// Bounds of the round trips made for a message that failed.
const (
	setAsideTimeout = 2 * time.Second  // writing its dead letter
	apologyTimeout  = 10 * time.Second // telling its user
)

// FailureMessage is the message id of what a user is told when their message
// was set aside: something went wrong on our side, send it again later.
const FailureMessage = "failure.try_again"

// applyRetrying applies in, trying again with doubling waits while its
// error lasts and another try would start within RetryBudget of the first.
// One try is not cut short by the budget (a service may take its time to
// read a file); Redis commands have their own timeouts. It returns how
// many tries were made.
func (d *Dispatcher) applyRetrying(in flows.Input) (*store.Entry, int, error) {
	start := time.Now()
	wait := d.opt.RetryBackoff
	for attempt := 1; ; attempt++ {
		entry, err := d.apply(in)
		if err == nil {
			return entry, attempt, nil
		}
		if d.ctx.Err() != nil || time.Since(start)+wait > d.opt.RetryBudget {
			return nil, attempt, err
		}
		d.log.Debug("message not applied; trying again", "channel", in.Channel, "user", MaskUser(in.User), "id", in.ID, "attempt", attempt, "retry_in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.ctx.Done():
			t.Stop()
			return nil, attempt, err
		}
		wait *= 2
	}
}

// setAside keeps in, which failed attempts times with cause, as a dead
// letter: counted and logged once. It returns nil once the letter is
// written; else cause, for the channel not to acknowledge the message.
func (d *Dispatcher) setAside(in flows.Input, cause error, attempts int) error {
	if d.ctx.Err() != nil { // a forced stop, not a failure: the channel brings it again
		return fmt.Errorf("%w: %w", ErrClosed, cause)
	}
	ctx, cancel := context.WithTimeout(d.ctx, setAsideTimeout)
	defer cancel()
	id, err := d.opt.DeadLetters.Add(ctx, in, cause.Error(), attempts, d.opt.Now())
	if err != nil {
		d.opt.Metrics.Errors.WithLabelValues("deadletter").Inc()
		d.log.Error("message neither applied nor set aside; it is not acknowledged", "channel", in.Channel, "user", MaskUser(in.User), "id", in.ID, "attempts", attempts, "err", cause, "deadletter_err", err)
		return cause
	}
	d.opt.Metrics.DeadLetters.WithLabelValues(in.Channel).Inc()
	d.log.Error("message set aside as a dead letter", "letter", id, "channel", in.Channel, "user", MaskUser(in.User), "id", in.ID, "attempts", attempts, "err", cause)
	return nil
}

// apologise tells the user whose message was set aside, in lang, that it
// went wrong on our side and to send it again. It goes through the
// channel's Sender directly, not the outbox: the commit is what failed, and
// the message is kept as a dead letter whether or not this reaches them.
// An event (an invitation, a reminder) is not something they sent: they
// are not told.
func (d *Dispatcher) apologise(in flows.Input, lang string) {
	sender := d.opt.Senders[in.Channel]
	if sender == nil || in.Event != nil {
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, apologyTimeout)
	defer cancel()
	if err := sender.Send(ctx, in.User, []flows.Reply{{Text: d.opt.Engine.Text(lang, FailureMessage)}}); err != nil {
		d.log.Warn("telling a user their message failed", "channel", in.Channel, "user", MaskUser(in.User), "err", err)
	}
}

// langOf is the language in's user is spoken to in, as far as the cache
// knows without a round trip.
func (d *Dispatcher) langOf(in flows.Input) string {
	if st, ok := d.cache.Peek(in.Channel + ":" + in.User); ok && st.Lang != "" {
		return st.Lang
	}
	return in.Lang
}

// applied drops the dead letter j applied again.
func (d *Dispatcher) applied(j job) {
	if j.letter == "" {
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, setAsideTimeout)
	defer cancel()
	if err := d.opt.DeadLetters.Drop(ctx, j.letter); err != nil && !errors.Is(err, store.ErrNoLetter) {
		d.log.Warn("dropping a dead letter applied again; a retry will find it a duplicate", "letter", j.letter, "err", err)
		return
	}
	d.log.Info("dead letter applied", "letter", j.letter, "channel", j.in.Channel, "user", MaskUser(j.in.User))
}

// Redo applies dead letter l again, as Handle does a new message: once
// applied (or found a duplicate) it is dropped; failing again, it is set
// aside again under its id, its attempts added up. The user is not told
// again.
func (d *Dispatcher) Redo(ctx context.Context, l store.Letter) error {
	return d.handle(ctx, l.Input, l.ID)
}

// RunRetries applies, through Redo, the dead letters an operator queued with
// `saathi deadletters retry`, until ctx is done.
func (d *Dispatcher) RunRetries(ctx context.Context) {
	for ctx.Err() == nil {
		l, ok, err := d.opt.DeadLetters.Take(ctx, 2*time.Second)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("taking dead letters to retry", "err", err)
				sleepCtx(ctx, time.Second)
			}
			continue
		}
		if !ok {
			continue
		}
		if err := d.Redo(ctx, l); err != nil {
			d.log.Warn("dead letter not applied again; it stays, retry it again", "letter", l.ID, "err", err)
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// MaskUser hides most of a user id for logs (a phone number, a chat id):
// "919018159083" → "91********83".
func MaskUser(u string) string {
	if len(u) < 6 {
		return "***"
	}
	return u[:2] + strings.Repeat("*", len(u)-4) + u[len(u)-2:]
}
