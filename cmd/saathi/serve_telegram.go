package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
)

// errTelegramDown: Telegram has not been reached yet; what was meant for
// it waits in the outbox and is tried again.
var errTelegramDown = errors.New("telegram: not connected yet")

// telegramChannel is Telegram as serve runs it: connected in the
// background, with retries, so that Redis-side work (events, the
// scheduler, WhatsApp) goes on while Telegram is out of reach. Until it is
// connected, sends fail (and are retried from the outbox) and /readyz
// says so.
type telegramChannel struct {
	cfg   telegram.Config
	log   *slog.Logger
	bot   atomic.Pointer[telegram.Bot]
	state atomic.Value // string: why it is not ready
	hook  atomic.Pointer[http.Handler]
}

func newTelegramChannel(cfg telegram.Config, log *slog.Logger) *telegramChannel {
	c := &telegramChannel{cfg: cfg, log: log}
	c.state.Store("connecting")
	return c
}

// connect reaches Telegram (getMe), waiting 1 s after the first failure,
// then twice as long each time up to a minute, until it succeeds or ctx
// ends. A refused token is not retried: it returns the error.
func (c *telegramChannel) connect(ctx context.Context) (*telegram.Bot, error) {
	wait := time.Second
	for {
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		tg, err := telegram.New(tctx, c.cfg)
		cancel()
		if err == nil {
			c.bot.Store(tg)
			c.state.Store("")
			return tg, nil
		}
		if telegram.TokenRefused(err) {
			c.state.Store("token refused")
			return nil, fmt.Errorf("TELEGRAM_BOT_TOKEN: %w", err)
		}
		c.state.Store("unreachable: " + err.Error())
		c.log.Warn("telegram unreachable: trying again", "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// retry runs f until it succeeds or ctx ends, with the same backoff.
func retry(ctx context.Context, log *slog.Logger, what string, f func(context.Context) error) bool {
	wait := time.Second
	for {
		err := f(ctx)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		log.Warn(what+": trying again", "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

func (c *telegramChannel) ready() (bool, string) {
	s, _ := c.state.Load().(string)
	return s == "", s
}

func (c *telegramChannel) Send(ctx context.Context, user string, replies []flows.Reply) error {
	if tg := c.bot.Load(); tg != nil {
		return tg.Send(ctx, user, replies)
	}
	return errTelegramDown
}

// Split is telegram.Split: delivery.Limited takes a turn for each message.
func (c *telegramChannel) Split(r flows.Reply) []flows.Reply { return telegram.Split(r) }

// Both channels tell delivery.Limited the messages of a reply.
var (
	_ delivery.Splitter = (*telegramChannel)(nil)
	_ delivery.Splitter = (*whatsapp.Adapter)(nil)
)

func (c *telegramChannel) Download(ctx context.Context, fileID string, max int64) ([]byte, error) {
	if tg := c.bot.Load(); tg != nil {
		return tg.Download(ctx, fileID, max)
	}
	return nil, errTelegramDown
}

func (c *telegramChannel) Post(ctx context.Context, user, text string) (string, error) {
	if tg := c.bot.Load(); tg != nil {
		return tg.Post(ctx, user, text)
	}
	return "", errTelegramDown
}

func (c *telegramChannel) Edit(ctx context.Context, user, id, text string) error {
	if tg := c.bot.Load(); tg != nil {
		return tg.Edit(ctx, user, id, text)
	}
	return errTelegramDown
}

// EditPace is Telegram's (see telegram.Bot.EditPace), known before it connects.
func (c *telegramChannel) EditPace() (every, window time.Duration) { return 0, 0 }

// ServeHTTP is the webhook: 503 until connected, so Telegram sends the
// update again later.
func (c *telegramChannel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := c.hook.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "telegram not connected yet", http.StatusServiceUnavailable)
}

// run connects, then sets the webhook (or deletes it, for polling), the
// menus and descriptions, and takes updates into d until ctx ends; it
// keeps coordinators' menus while it runs. A refused token goes to fatal.
func (c *telegramChannel) run(ctx context.Context, a *app, d *bot.Dispatcher, fatal chan<- error) {
	tg, err := c.connect(ctx)
	if err != nil {
		if ctx.Err() == nil {
			fatal <- err
		}
		return
	}
	h := tg.Webhook(d)
	c.hook.Store(&h)
	polling := c.cfg.WebhookURL == ""
	c.log.Info("telegram bot ready", "username", tg.Username(), "mode", map[bool]string{false: "webhook", true: "long polling"}[polling])
	if !retry(ctx, c.log, "set telegram webhook", tg.SetWebhook) {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if retry(ctx, c.log, "telegram menus and descriptions", func(ctx context.Context) error {
			return tg.SetPresence(ctx, presences(a.cat))
		}) {
			a.keepMenus(ctx, tg)
		}
	}()
	if polling {
		if err := tg.Poll(ctx, d); err != nil && ctx.Err() == nil {
			c.log.Error("telegram polling stopped", "err", err)
		}
	}
	<-done
}
