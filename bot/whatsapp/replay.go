package whatsapp

import (
	"context"
	"time"

	"github.com/saathi-bot/saathi/bot"
)

// Waits of the journal's replay while messages in it keep failing.
const maxReplayWait = 30 * time.Second

// waiting tells whether user has messages in the journal.
func (a *Adapter) waiting(user string) bool {
	a.jmu.Lock()
	defer a.jmu.Unlock()
	return a.held[user] > 0
}

// keep writes p to the journal, for the replay to apply it; false when it
// could not be written.
func (a *Adapter) keep(p pending, cause error) bool {
	// Not the message's context: that may be what ran out.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(a.ctx), a.cfg.HandleTimeout)
	defer cancel()
	a.jmu.Lock() // held while writing, so the replay counts it before it can see it
	err := a.journal.put(ctx, p)
	if err == nil {
		a.held[p.Input.User]++
	}
	a.jmu.Unlock()
	if err != nil {
		a.log.Error("whatsapp: message neither applied nor kept in the journal", "id", p.Input.ID, "user", bot.MaskUser(p.Input.User), "err", err, "cause", cause)
		return false
	}
	a.log.Warn("whatsapp: message kept in the journal until it can be applied", "id", p.Input.ID, "user", bot.MaskUser(p.Input.User), "err", cause)
	select {
	case a.kick <- struct{}{}:
	default:
	}
	return true
}

// loadJournal counts the messages a previous run left in the journal.
func (a *Adapter) loadJournal() {
	ctx, cancel := context.WithTimeout(a.ctx, a.cfg.HandleTimeout)
	defer cancel()
	ps, err := a.journal.list(ctx)
	if err != nil {
		a.log.Error("whatsapp: reading the journal; its messages are applied once it reads", "err", err)
		a.journalUnread.Store(true)
		return
	}
	a.jmu.Lock()
	for _, p := range ps {
		a.held[p.Input.User]++
	}
	a.jmu.Unlock()
	if len(ps) > 0 {
		a.log.Info("whatsapp: messages kept in the journal will be applied", "n", len(ps))
	}
}

// replayLoop applies the journal's messages until Close: at once when one
// is kept, then again with doubling waits while some still fail.
func (a *Adapter) replayLoop() {
	defer a.retry.Done()
	wait := a.cfg.RetryBackoff
	for {
		if !a.anyHeld() {
			select {
			case <-a.stop:
				return
			case <-a.kick:
			}
			wait = a.cfg.RetryBackoff
		}
		t := time.NewTimer(wait)
		select {
		case <-a.stop:
			t.Stop()
			return
		case <-t.C:
		}
		if a.replay() {
			wait = a.cfg.RetryBackoff
		} else {
			wait = min(2*wait, maxReplayWait)
		}
	}
}

func (a *Adapter) anyHeld() bool {
	if a.journalUnread.Load() {
		return true
	}
	a.jmu.Lock()
	defer a.jmu.Unlock()
	return len(a.held) > 0
}

// replay applies the journal's messages in the order they were kept; a
// chat's message that fails again holds its later ones until the next
// round. It tells whether all were applied.
func (a *Adapter) replay() bool {
	ctx, cancel := context.WithTimeout(a.ctx, a.cfg.HandleTimeout)
	ps, err := a.journal.list(ctx)
	cancel()
	if err != nil {
		a.log.Warn("whatsapp: reading the journal", "err", err)
		return false
	}
	if a.journalUnread.Swap(false) { // the first read since a failed start
		a.jmu.Lock()
		clear(a.held)
		for _, p := range ps {
			a.held[p.Input.User]++
		}
		a.jmu.Unlock()
	}
	failed := map[string]bool{}
	for _, p := range ps {
		if failed[p.Input.User] {
			continue
		}
		ctx, cancel := context.WithTimeout(a.ctx, a.cfg.HandleTimeout)
		err := a.apply(ctx, p)
		if err == nil {
			err = a.journal.remove(ctx, p) // if this fails, the next round finds it a duplicate
		}
		cancel()
		if err != nil {
			failed[p.Input.User] = true
			continue
		}
		a.jmu.Lock()
		if a.held[p.Input.User]--; a.held[p.Input.User] <= 0 {
			delete(a.held, p.Input.User)
		}
		a.jmu.Unlock()
		a.log.Info("whatsapp: message from the journal applied", "id", p.Input.ID, "user", bot.MaskUser(p.Input.User))
	}
	return len(failed) == 0
}
