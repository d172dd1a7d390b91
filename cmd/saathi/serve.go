package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/delivery"
	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/bot/whatsapp"
)

func dirFS(dirs []string) []fs.FS {
	out := make([]fs.FS, len(dirs))
	for i, d := range dirs {
		out[i] = os.DirFS(d)
	}
	return out
}

// runServe runs the channels that are configured and the HTTP server until
// SIGTERM or SIGINT, then finishes the messages in flight and stops.
func runServe(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "serve")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	log := newLogger(cfg, e.stderr)
	a, err := openApp(ctx, cfg, log, false, false)
	if err != nil {
		return err
	}
	defer a.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfoGauge(readBuildInfo()))
	metrics := bot.NewMetrics(reg)

	senders := map[string]bot.Sender{}
	var tg *telegramChannel // connects in the background: see serve_telegram.go
	if cfg.Telegram.Token != "" {
		// One limit for every process on this Redis; a 429 slows them all.
		limiter := delivery.New(a.rdb, telegram.Channel, telegramLimits(cfg))
		tcfg := cfg.Telegram
		tcfg.Logger = log.With("channel", telegram.Channel)
		tcfg.Files = a.svc.KeptFiles
		tcfg.OnRateLimited = func(ctx context.Context, d time.Duration) {
			if err := limiter.Pause(ctx, d); err != nil {
				log.Warn("pausing telegram deliveries", "err", err)
			}
		}
		tg = newTelegramChannel(tcfg, log)
		senders[telegram.Channel] = delivery.Limited(tg, limiter)
		a.svc.Files[telegram.Channel] = tg
		a.svc.Posters[telegram.Channel] = delivery.PacedPoster(tg, limiter)
	} else {
		log.Warn("TELEGRAM_BOT_TOKEN is not set: no Telegram")
	}
	var wa *whatsAppChannel
	waDown := "" // why WhatsApp is set up but does not run
	if cfg.WhatsAppDB != "" {
		wa, err = a.openWhatsAppChannel(ctx)
		switch {
		case errors.Is(err, errNotPaired):
			// Telegram goes on; /readyz and the admins say what to do.
			waDown = "not paired: run saathi whatsapp pair, then restart serve"
			log.Error("WhatsApp is not paired: going on without it", "fix", "saathi whatsapp pair")
		case err != nil:
			return err
		default:
			senders[whatsapp.Channel] = wa.sender
		}
	} else {
		log.Info("WHATSAPP_DB is not set: no WhatsApp")
	}
	if len(senders) == 0 {
		log.Warn("no channel is configured: serving events and HTTP only")
	}
	a.svc.LinksNow = func() links.Bot {
		var tb *telegram.Bot
		if tg != nil {
			tb = tg.bot.Load() // nil until Telegram is reached
		}
		return servedLinkBot(cfg, tb, wa)
	}

	d, err := bot.NewDispatcher(bot.Options{
		Engine: a.engine, Store: a.store, Senders: senders, Logger: log, Metrics: metrics,
		CacheSize: cfg.CacheSize, OutboxGrace: cfg.OutboxGrace, JoinReplies: cfg.OneMessagePerTurn, RetryBudget: cfg.RetryBudget, OnDelivered: a.svc.Delivered,
	})
	if err != nil {
		return err
	}

	stopScheduler, err := a.startScheduler(ctx)
	if err != nil {
		return err
	}
	defer stopScheduler()

	health := &health{store: a.store}
	if cfg.WhatsAppDB != "" {
		alertAdmins := func(reason string) {
			if tg != nil {
				a.alertAdmins(reason)
			}
		}
		startWhatsApp(wa, waDown, d, health, reg, alertAdmins)
	}
	if tg != nil { // after WhatsApp's: /readyz names WhatsApp's trouble first, which lasts
		health.channels = append(health.channels, channelHealth{name: telegram.Channel, ready: tg.ready})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /readyz", health)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if tg != nil && cfg.Telegram.WebhookURL != "" {
		u, err := url.Parse(cfg.Telegram.WebhookURL)
		if err != nil {
			return fmt.Errorf("TELEGRAM_WEBHOOK_URL: %w", err)
		}
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle(path, tg)
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("SAATHI_HTTP_ADDR %s: %w", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info("http server listening", "addr", ln.Addr().String())

	// Everything below stops when ctx ends (SIGTERM), in the order of the shutdown.
	var wg sync.WaitGroup
	background := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	work, stopWork := context.WithCancel(context.Background())
	defer stopWork()
	background(func() { health.watch(work, 2*time.Second) })
	background(func() { d.Run(work) })
	background(func() { // broadcasts' progress messages, edited as copies go out
		t := time.NewTicker(3 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-work.Done():
				return
			case <-t.C:
				if err := a.svc.ShowProgress(work); err != nil && work.Err() == nil {
					log.Warn("broadcast progress", "err", err)
				}
			}
		}
	})
	channels := slices.Collect(maps.Keys(senders)) // the router orders them
	eventsCtx, stopEvents := context.WithCancel(context.Background())
	defer stopEvents()
	background(func() { a.runEvents(eventsCtx, d, "serve", nil, channels...) })
	background(func() { d.RunRetries(eventsCtx) }) // saathi deadletters retry; stops with the events
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	polling, stopPolling := context.WithCancel(context.Background())
	defer stopPolling()
	tgFatal := make(chan error, 1)
	if tg != nil {
		background(func() { tg.run(polling, a, d, tgFatal) })
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case err := <-tgFatal:
		return err
	}
	log.Info("shutting down: finishing messages in flight", "timeout", cfg.ShutdownTimeout)
	health.stopping.Store(true)
	grace, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	stopPolling()
	stopEvents()
	if err := srv.Shutdown(grace); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	if wa != nil {
		wa.stop(grace)
	}
	if err := d.Close(grace); err != nil {
		log.Warn("dispatcher shutdown", "err", err)
	}
	stopWork()
	wg.Wait()
	log.Info("stopped")
	return nil
}

// health answers /readyz: ready while Redis answers, every channel that
// says whether it is ready is, and the process is not stopping.
type health struct {
	store    interface{ Ping(context.Context) error }
	channels []channelHealth
	redisOK  atomic.Bool
	checked  atomic.Bool // watch has pinged Redis at least once
	stopping atomic.Bool
}

// channelHealth is a channel's readiness, with its state in words.
type channelHealth struct {
	name  string
	ready func() (bool, string)
}

func (h *health) watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		h.ping(ctx, every)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ping asks Redis, waiting at most timeout, and keeps the answer.
func (h *health) ping(ctx context.Context, timeout time.Duration) {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	h.redisOK.Store(h.store.Ping(pctx) == nil)
	h.checked.Store(true)
}

func (h *health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.checked.Load() {
		// Asked before watch's first ping has answered (just after start):
		// ask now rather than say Redis is unreachable without knowing.
		h.ping(r.Context(), 2*time.Second)
	}
	switch {
	case h.stopping.Load():
		http.Error(w, "stopping", http.StatusServiceUnavailable)
	case !h.redisOK.Load():
		http.Error(w, "redis unreachable", http.StatusServiceUnavailable)
	default:
		for _, c := range h.channels {
			if ok, status := c.ready(); !ok {
				http.Error(w, c.name+": "+status, http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	}
}

// telegramLimits are the limits of the bot of cfg's token: TELEGRAM_RATE a
// second, TELEGRAM_CHAT_INTERVAL to a chat, Telegram's 20 a minute to a
// group, kept under the bot's id so that two bots on one Redis have their own.
func telegramLimits(cfg Config) delivery.Limits {
	return delivery.Limits{
		Overall:  redis_rate.Limit{Rate: cfg.TelegramRate, Period: time.Second},
		PerChat:  redis_rate.Limit{Rate: 1, Period: cfg.TelegramChatInterval},
		PerGroup: delivery.TelegramLimits.PerGroup,
		IsGroup:  delivery.TelegramGroup,
		Account:  telegram.BotID(cfg.Telegram.Token),
	}
}
