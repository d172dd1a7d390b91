package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/console"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
)

// app is what every command runs on: the flows, the texts and the store.
type app struct {
	cfg      Config
	log      *slog.Logger
	cat      *locales.Catalog
	flows    *flows.Set
	engine   *flows.Engine
	rdb      *redis.Client
	store    *store.Store
	rt       *store.RoundTrips
	embedded *store.Embedded
	svc      *services.Services
}

// loadFlows reads the built-in flows and messages, and those of dir if set.
func loadFlows(dir string) (*flows.Set, *locales.Catalog, error) {
	var flowDirs []string
	var msgDirs []string
	if dir != "" {
		flowDirs = append(flowDirs, dir)
		msgDirs = localesDirs(dir)
	}
	cat, err := locales.Load(dirFS(msgDirs)...)
	if err != nil {
		return nil, nil, err
	}
	set, err := flows.Load(dirFS(flowDirs)...)
	if err != nil {
		return nil, nil, fmt.Errorf("load flows: %w", err)
	}
	if ps := set.CheckMessages(cat); len(ps) > 0 {
		return nil, nil, fmt.Errorf("load flows: %w", ps)
	}
	return set, cat, nil
}

// loadWords reads the built-in word lists and tables and those of
// dir/locales/words; a problem is said in the default language, with its
// file and line.
func loadWords(dir string, cat *locales.Catalog) (match.Lexicon, *match.Words, error) {
	msgDirs := localesDirs(dir)
	lex, problems := locales.ReadWordLists(dirFS(msgDirs)...)
	tables, tableProblems := locales.LoadTables(dirFS(msgDirs)...)
	problems = append(problems, tableProblems...)
	if problems = append(problems, cat.WordFileLangs(dirFS(msgDirs)...)...); len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = cat.Problem(locales.Default, filepath.Join(dir, "locales"), p)
		}
		return nil, nil, fmt.Errorf("word files:\n%s", strings.Join(lines, "\n"))
	}
	return lex, tables, nil
}

// localesDirs is dir/locales when dir is set and has one.
func localesDirs(dir string) []string {
	if dir == "" {
		return nil
	}
	if st, err := os.Stat(filepath.Join(dir, "locales")); err != nil || !st.IsDir() {
		return nil
	}
	return []string{filepath.Join(dir, "locales")}
}

// openApp loads the flows and connects to Redis (or starts an embedded one
// when REDIS_URL is unset, or when embedded is true). embedded true also
// means the caller tells the user that nothing is kept (chat, demo);
// otherwise the log says so. With mustConnect false, an unreachable Redis
// is logged and retried later instead of failing. A command that changes
// data opens with openWriter instead.
func openApp(ctx context.Context, cfg Config, log *slog.Logger, embedded, mustConnect bool) (*app, error) {
	set, cat, err := loadFlows(cfg.FlowsDir)
	if err != nil {
		return nil, err
	}
	words, tables, err := loadWords(cfg.FlowsDir, cat)
	if err != nil {
		return nil, err
	}
	engine := flows.NewEngine(set, cat).WithWords(words).WithTables(tables).WithPlainChannels(whatsapp.Channel, console.Channel)
	a := &app{cfg: cfg, log: log, cat: cat, flows: set, engine: engine, rt: &store.RoundTrips{}}
	url := cfg.RedisURL
	if url == "" || embedded {
		if a.embedded, err = store.StartEmbedded(); err != nil {
			return nil, err
		}
		url = a.embedded.URL()
		if !embedded {
			log.Warn("REDIS_URL is not set: using an embedded in-memory Redis; nothing will survive a restart", "addr", a.embedded.URL())
		}
	}
	if a.rdb, err = store.Open(url, a.rt); err != nil {
		a.Close()
		return nil, err
	}
	if err := a.rdb.Ping(ctx).Err(); err != nil {
		if mustConnect {
			a.Close()
			return nil, fail("cli.err_redis", err, "url", redactURL(url))
		}
		log.Warn("redis does not answer yet; will keep trying", "err", err)
	}
	a.store = store.New(a.rdb, cfg.SeenTTL)
	a.svc = services.New(a.rdb, cat, log)
	a.svc.EffectTTL = cfg.SeenTTL // a call's result is kept as long as its message id
	a.svc.ImportLimits = cfg.Import
	a.svc.Designations = cfg.Import.Designations
	a.svc.Words = tables
	a.engine = a.engine.WithServices(a.svc)
	return a, nil
}

// openWriter opens the app for a command that changes data (command names
// it). Without REDIS_URL it refuses in one line, writing nothing: an
// embedded Redis would forget the change when the command exits, and the
// coordinator would believe it made.
func openWriter(ctx context.Context, cfg Config, log *slog.Logger, command string) (*app, error) {
	if cfg.RedisURL == "" {
		return nil, fail("cli.err_needs_redis", nil, "command", "saathi "+command, "setting", "REDIS_URL", "flag", "--redis", "serve", "saathi serve")
	}
	return openApp(ctx, cfg, log, false, true)
}

// openReader opens the app for a command that only reads what serve keeps
// (dead letters, a broadcast's audience): without REDIS_URL it refuses in
// one line, since an embedded Redis holds nothing to read.
func openReader(ctx context.Context, e env, cfg Config) (*app, error) {
	if cfg.RedisURL == "" {
		return nil, fail("cli.err_needs_redis_read", nil, "setting", "REDIS_URL", "command", "saathi serve")
	}
	return openApp(ctx, cfg, cliLogger(e, cfg), false, true)
}

// runEvents applies queued events (invitations, prompts) through d on
// channels (to users only, when given: a terminal session's own user), as
// consumer group group, and asks for feedback when trainings end, until
// ctx ends; it returns when all of its work has stopped.
func (a *app) runEvents(ctx context.Context, d *bot.Dispatcher, group string, users []string, channels ...string) {
	a.svc.Events.ClaimAfter = a.cfg.EventClaimAfter
	router := &bot.EventRouter{Dispatcher: d, Identity: a.svc.Identity, Queue: a.svc.Events, Channels: channels, Users: users, Logger: a.log, NoChat: a.svc.NoChat, OptedOut: a.svc.OptedOut}
	host, _ := os.Hostname()
	consumer := fmt.Sprintf("%s-%d", host, os.Getpid())
	var wg sync.WaitGroup
	defer wg.Wait() // the minute loop ends with ctx too
	wg.Go(func() {
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			a.everyMinute(ctx, time.Now())
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	// serve tells other processes which channels it runs; chat does not.
	if err := router.Run(ctx, group, consumer, group == "serve"); err != nil && ctx.Err() == nil {
		a.log.Error("event queue stopped", "err", err)
	}
}

// everyMinute asks for feedback when trainings end, reminds SHGs that have
// not reported, and trims old events.
func (a *app) everyMinute(ctx context.Context, now time.Time) {
	warn := func(what string, err error) {
		if ctx.Err() == nil { // not when stopping
			a.log.Warn(what, "err", err)
		}
	}
	if n, err := a.svc.FeedbackDue(ctx, now); err != nil {
		warn("asking for feedback", err)
	} else if n > 0 {
		a.log.Info("feedback asked", "people", n)
	}
	if n, err := a.svc.ReportReminders(ctx, now); err != nil {
		warn("reminding SHGs to report", err)
	} else if n > 0 {
		a.log.Info("SHGs reminded to report", "people", n)
	}
	if err := a.svc.Events.Trim(ctx, 7*24*time.Hour); err != nil {
		warn("trimming events", err)
	}
}

func (a *app) Close() {
	if a.rdb != nil {
		a.rdb.Close()
	}
	if a.embedded != nil {
		a.embedded.Close()
	}
}
