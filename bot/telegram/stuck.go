package telegram

import (
	"strconv"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
)

// maxUpdateTries is how many times an update the handler fails is taken
// again, in polling rounds or webhook redeliveries, before it is given up
// on, if other updates were taken meanwhile. The dispatcher sets aside a
// message it cannot apply (a dead letter) and takes it, so this is the
// last resort of a message whose dead letter could not be written either.
const maxUpdateTries = 5

// stuckUpdates counts the failures of updates, so that one that keeps
// failing while others are taken does not hold the offset (or Telegram's
// webhook queue) for ever; while nothing is taken (Redis down for
// everyone) nothing is given up.
type stuckUpdates struct {
	mu    sync.Mutex
	taken uint64 // updates taken so far
	fails map[int]failure
}

type failure struct {
	tries     int
	takenThen uint64 // taken at its first failure
}

// ok records that update id was taken.
func (s *stuckUpdates) ok(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.taken++
	delete(s.fails, id)
}

// failed records that update id failed, and tells whether to give up on it:
// it failed maxUpdateTries times, and others were taken since its first.
func (s *stuckUpdates) failed(id int) (giveUp bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails == nil || len(s.fails) > 10_000 { // bounded: the oldest failures are forgotten all at once
		s.fails = map[int]failure{}
	}
	f, seen := s.fails[id]
	if !seen {
		f.takenThen = s.taken
	}
	f.tries++
	if f.tries >= maxUpdateTries && s.taken > f.takenThen {
		delete(s.fails, id)
		return true
	}
	s.fails[id] = f
	return false
}

// giveUp logs, once, an update dropped after its tries.
func (b *Bot) giveUp(u tgbotapi.Update, err error) {
	chat := "none"
	if id, ok := chatID(u); ok {
		chat = bot.MaskUser(strconv.FormatInt(id, 10))
	}
	b.log.Error("telegram: update dropped: it kept failing while others were taken, and could not be set aside",
		"update_id", u.UpdateID, "chat", chat, "tries", maxUpdateTries, "err", err)
}
