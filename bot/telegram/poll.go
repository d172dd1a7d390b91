package telegram

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
)

// Pauses between failed rounds of polling.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// Poll takes updates by long polling and hands them to h until ctx is done,
// then returns nil. Telegram must have no webhook set (see SetWebhook).
//
// An update is acknowledged (the offset moves past it) only after h took it
// and every update before it in the batch. When h fails, the offset stays at
// the lowest failed update, so that it and all after it come again after a
// pause; h must de-duplicate the ones it took already. (The dispatcher
// fails a message only when it can neither apply it nor set it aside, such
// as with Redis down.) An update that failed maxUpdateTries rounds while
// others were taken is given up on (logged), so that it cannot hold the
// offset for ever. Errors of getUpdates are logged and retried after a
// pause, which doubles from 1 s up to 30 s.
func (b *Bot) Poll(ctx context.Context, h bot.Handler) error {
	cfg := tgbotapi.UpdateConfig{
		Timeout:        wholeSeconds(b.cfg.PollTimeout),
		AllowedUpdates: allowedUpdates,
	}
	pause := minBackoff
	backOff := func(atLeast time.Duration) error {
		wait := max(pause, atLeast)
		pause = min(2*pause, maxBackoff)
		return sleep(ctx, wait)
	}
	for ctx.Err() == nil {
		updates, err := b.client(ctx).GetUpdates(cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn("telegram: getUpdates failed", "offset", cfg.Offset, "err", b.redact(err))
			if backOff(retryAfter(err)) != nil {
				break
			}
			continue
		}
		next, ok, progress := b.handleBatch(ctx, h, updates)
		if len(updates) > 0 {
			cfg.Offset = next
		}
		if ok {
			pause = minBackoff
			continue
		}
		if progress { // others were taken: only this one fails, no need to wait longer
			pause = minBackoff
		}
		if ctx.Err() != nil {
			break
		}
		b.log.Warn("telegram: updates not taken, polling them again", "offset", cfg.Offset, "retry_in", pause)
		if backOff(0) != nil {
			break
		}
	}
	return nil
}

// handleBatch hands updates to h: the chats in parallel, each chat's updates
// one after the other in the order Telegram sent them, stopping at the
// chat's first failure. It returns the offset that acknowledges what may be
// acknowledged: one past the highest update when all were taken (ok), else
// the lowest failed update; progress tells whether some update was taken.
func (b *Bot) handleBatch(ctx context.Context, h bot.Handler, updates []tgbotapi.Update) (offset int, ok, progress bool) {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = -1
		taken  atomic.Bool
	)
	for _, chat := range byChat(updates) {
		wg.Go(func() {
			for _, u := range chat {
				handled, err := b.deliver(ctx, h, u)
				if err != nil {
					if ctx.Err() == nil { // not stopping (then it comes again after a restart)
						if b.stuck.failed(u.UpdateID) {
							b.giveUp(u, err)
							continue
						}
						b.log.Warn("telegram: update not taken", "update_id", u.UpdateID, "err", err)
					}
					mu.Lock()
					if failed < 0 || u.UpdateID < failed {
						failed = u.UpdateID
					}
					mu.Unlock()
					return // the chat's later updates would overtake this one
				}
				if handled { // the handler took it: Redis works for some
					b.stuck.ok(u.UpdateID)
					taken.Store(true)
				}
				b.followUp(ctx, u)
			}
		})
	}
	wg.Wait()
	if failed >= 0 {
		return failed, false, taken.Load()
	}
	highest := 0
	for _, u := range updates {
		highest = max(highest, u.UpdateID)
	}
	return highest + 1, true, true
}

// byChat groups updates by chat, keeping their order within each group.
// Updates without a chat each get a group of their own.
func byChat(updates []tgbotapi.Update) [][]tgbotapi.Update {
	type key struct {
		chat   int64
		update int // set when there is no chat
	}
	index := make(map[key]int)
	var groups [][]tgbotapi.Update
	for _, u := range updates {
		k := key{update: u.UpdateID}
		if chat, ok := chatID(u); ok {
			k = key{chat: chat}
		}
		i, seen := index[k]
		if !seen {
			i = len(groups)
			index[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], u)
	}
	return groups
}

// chatID is the chat an update belongs to, if it has one. (Update.FromChat
// panics on a callback query without a message.)
func chatID(u tgbotapi.Update) (int64, bool) {
	var m *tgbotapi.Message
	switch {
	case u.Message != nil:
		m = u.Message
	case u.EditedMessage != nil:
		m = u.EditedMessage
	case u.CallbackQuery != nil:
		m = u.CallbackQuery.Message
	}
	if m == nil || m.Chat == nil {
		return 0, false
	}
	return m.Chat.ID, true
}
