package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/console"
	"github.com/saathi-bot/saathi/store/roster"
)

// runChat is a conversation in the terminal as user ID.
func runChat(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "chat")
	user := fs.String("user", "", "who you are in this conversation, e.g. 9000000001 (required)")
	lang := fs.String("lang", "", "language to start in: hi or en (default hi)")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if *user == "" {
		return fmt.Errorf("%w: chat needs --user ID", errUsage)
	}
	if *lang != "" && *lang != "hi" && *lang != "en" {
		return fmt.Errorf("%w: --lang %q: want hi or en", errUsage, *lang)
	}
	log := newLogger(cfg, e.stderr)
	a, err := openApp(ctx, cfg, log, false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.chat(ctx, e, *user, *lang, "")
}

// runDemo seeds an embedded store with the sample roster and opens a Hindi
// conversation as someone not on it.
func runDemo(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "demo")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if e.getenv("SAATHI_LOG_LEVEL") == "" && cfg.LogLevel < slog.LevelWarn {
		cfg.LogLevel = slog.LevelWarn // keep the conversation readable
	}
	log := newLogger(cfg, e.stderr)
	a, err := openApp(ctx, cfg, log, true, true)
	if err != nil {
		return err
	}
	defer a.Close()
	people, bad, err := roster.ParseCSV(bytes.NewReader(roster.Sample))
	if err != nil {
		return err
	}
	if err := roster.Save(ctx, a.rdb, people); err != nil {
		return err
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	user := "demo-" + hex.EncodeToString(b)
	fmt.Fprintf(e.stdout, "साथी डेमो: नमूना सूची से %d लोग जोड़े गए (%d पंक्तियाँ छूटीं)। आप एक नए व्यक्ति (%s) की तरह बात कर रहे हैं।\n", len(people), len(bad), user)
	fmt.Fprintln(e.stdout, "जवाब लिखकर Enter दबाएँ। विकल्प का नंबर भी लिख सकते हैं। 'मदद' से मदद, Ctrl-D से बाहर।")
	fmt.Fprintln(e.stdout)
	return a.chat(ctx, e, user, "", "/start")
}

// chat runs the terminal conversation; first, when set, is sent before reading input.
func (a *app) chat(ctx context.Context, e env, user, lang, first string) error {
	c := console.New(e.stdin, e.stdout, user)
	c.Lang = lang
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		c.Prompt = "👤 "
	} else {
		c.Echo = true
	}
	d, err := bot.NewDispatcher(bot.Options{
		Engine: a.engine, Store: a.store, Senders: map[string]bot.Sender{console.Channel: c},
		Logger: a.log, CacheSize: a.cfg.CacheSize, OutboxGrace: a.cfg.OutboxGrace,
	})
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	if first != "" {
		if c.Echo {
			fmt.Fprintf(e.stdout, "👤 %s\n", first)
		}
		if err := c.Say(ctx, d, first); err != nil {
			return err
		}
	}
	return c.Run(ctx, d)
}
