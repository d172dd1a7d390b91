package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/saathi-bot/saathi/bot"
)

// SecretHeader is the header in which Telegram sends the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

const (
	maxUpdateSize   = 1 << 20          // bytes of one webhook request body
	followUpTimeout = 10 * time.Second // for answering a callback after the 200
)

// Webhook returns the handler of the webhook endpoint. It takes POST requests
// carrying the configured secret token (403 otherwise, and always when no
// WebhookSecret is configured), hands the update to h with the request's
// context, and answers 200 once h took it, or 500 when h failed, so that
// Telegram delivers the update again; an update that failed maxUpdateTries
// times while others were taken is given up on (200, logged), so that it
// does not hold Telegram's queue for ever (Telegram itself also gives up on
// an update after some failed attempts).
func (b *Bot) Webhook(h bot.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !b.validSecret(r.Header.Get(SecretHeader)) {
			b.log.Warn("telegram: webhook request with a wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdateSize)).Decode(&u); err != nil {
			status := http.StatusBadRequest
			if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
				status = http.StatusRequestEntityTooLarge
			}
			http.Error(w, "bad update", status)
			return
		}
		if handled, err := b.deliver(r.Context(), h, u); err != nil {
			if r.Context().Err() != nil || !b.stuck.failed(u.UpdateID) {
				b.log.Warn("telegram: update not taken", "update_id", u.UpdateID, "err", err)
				http.Error(w, "not taken, try again", http.StatusInternalServerError)
				return
			}
			b.giveUp(u, err)
		} else if handled {
			b.stuck.ok(u.UpdateID)
		}

		// Answer Telegram before the follow-up requests, so that a slow
		// Bot API does not hold the webhook (Telegram waits for the
		// response before it sends this chat's next update).
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		if err := http.NewResponseController(w).Flush(); err != nil {
			b.log.Debug("telegram: flush webhook response", "err", err)
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), followUpTimeout)
		defer cancel()
		b.followUp(ctx, u)
	})
}

// validSecret compares the request's secret token with the configured one
// in constant time. Without a configured secret nothing is valid.
func (b *Bot) validSecret(got string) bool {
	want := b.cfg.WebhookSecret
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
