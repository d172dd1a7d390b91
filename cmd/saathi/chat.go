package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/console"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
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
		return usageHint("saathi chat --user ID [--lang hi|en]")
	}
	if *lang != "" {
		if err := checkLang(*lang); err != nil {
			return err
		}
	}
	quietLogs(e, &cfg)
	log := newLogger(cfg, e.stderr)
	a, err := openApp(ctx, cfg, log, cfg.RedisURL == "", true)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.embedded != nil {
		l := *lang
		if l == "" {
			l = locales.Default
		}
		fmt.Fprintln(e.stdout, a.cat.Text(l, "cli.embedded", map[string]string{"setting": "REDIS_URL"}))
	}
	return a.chat(ctx, e, *user, *lang, flows.Input{})
}

// cliLogger is the logger of a command other than serve: at warn unless
// SAATHI_LOG_LEVEL asks for more, so that what it prints for the person at
// the terminal is not lost among info lines (English, for operators).
func cliLogger(e env, cfg Config) *slog.Logger {
	quietLogs(e, &cfg)
	return newLogger(cfg, e.stderr)
}

// quietLogs keeps the terminal conversation readable: unless
// SAATHI_LOG_LEVEL (or --log-level) asks for more, only warnings and
// errors are logged, to stderr.
func quietLogs(e env, cfg *Config) {
	if e.getenv("SAATHI_LOG_LEVEL") == "" && cfg.LogLevel < slog.LevelWarn {
		cfg.LogLevel = slog.LevelWarn
	}
}

// The demo's training: the sample nagar panchayat's ward members, and the
// one of them the newcomer plays.
const (
	demoInvite = "role=sabhasad,body=नगर पंचायत अनपरा"
	demoPerson = "+919018159083" // सरिता राजभर, ward 1
)

// runDemo seeds an embedded store with the sample roster and a two-day
// training for नगर पंचायत अनपरा, and opens a Hindi conversation as one of
// its invited ward members: the invitation first, then हाज़िरी with the code
// it prints.
func runDemo(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "demo")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	quietLogs(e, &cfg)
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
	if _, err := a.svc.Roster.Import(ctx, people, false); err != nil {
		return err
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	user := "demo-" + hex.EncodeToString(b)
	if err := a.svc.Identity.Link(ctx, console.Channel, user, demoPerson); err != nil {
		return err
	}
	t, err := a.seedDemoTraining(ctx, time.Now())
	if err != nil {
		return err
	}
	day, open := training.DayAt(t, time.Now())
	fmt.Fprintf(e.stdout, "साथी डेमो: नमूना सूची से %d लोग जोड़े गए (%d पंक्तियाँ छूटीं)।\n", len(people), len(bad))
	fmt.Fprintf(e.stdout, "आप सरिता राजभर हैं, नगर पंचायत अनपरा के वार्ड 1 की सभासद। आपको \"%s\" का निमंत्रण आया है।\n", t.Title)
	if open {
		fmt.Fprintf(e.stdout, "हाज़िरी लगाने के लिए 'हाज़िरी' लिखें, फिर आज का कोड: %s\n", training.Code(t, day))
	}
	fmt.Fprintln(e.stdout, a.cat.Text(locales.Default, "cli.demo_embedded", nil))
	fmt.Fprintln(e.stdout, "जवाब लिखकर Enter दबाएँ। विकल्प का नंबर भी लिख सकते हैं। 'मदद' से मदद, Ctrl-D से बाहर।")
	fmt.Fprintln(e.stdout)
	invite := flows.Input{Channel: console.Channel, User: user, ID: "ev:invite:" + t.ID + ":" + demoPerson,
		Event: &flows.Event{Flow: "invite", Vars: map[string]string{"training": t.ID}}}
	return a.chat(ctx, e, user, "", invite)
}

// seedDemoTraining makes a two-day training whose first day starts within
// the hour, so that the demo can both answer the invitation and check in.
func (a *app) seedDemoTraining(ctx context.Context, now time.Time) (training.Training, error) {
	start := now.In(locales.IST).Add(50 * time.Minute).Truncate(5 * time.Minute)
	end := "23:59" // a working day of six hours, ending by midnight
	if start.Hour() < 18 {
		end = start.Add(6 * time.Hour).Format("15:04")
	}
	if start.Hour() >= 23 {
		start, end = start.Add(10*time.Hour).Truncate(time.Hour), "" // too late tonight: tomorrow morning
	}
	lat, lon := 24.1685, 82.8013 // the invented venue, for check-in by location
	spec := training.Spec{
		Title: "AMRUT 2.0 प्रशिक्षण", Topic: "जल आपूर्ति और सफ़ाई", Venue: "नगर पंचायत सभागार, अनपरा",
		Lat: &lat, Lon: &lon, Start: start.Format("2006-01-02T15:04"), Days: 2, End: end, Batch: "चरण 1",
		Modules: []string{"जल आपूर्ति", "सीवेज", "बजट"}, Invite: demoInvite, CreatedBy: "demo",
	}
	t, err := spec.Training()
	if err != nil {
		return t, fmt.Errorf("demo training: %w", err)
	}
	if t, err = a.svc.Trainings.Create(ctx, t); err != nil {
		return t, err
	}
	if _, err := a.svc.Invite(ctx, t); err != nil {
		return t, err
	}
	return t, nil
}

// chat runs the terminal conversation; first, when it has an id, is applied before reading input.
func (a *app) chat(ctx context.Context, e env, user, lang string, first flows.Input) error {
	c := console.New(e.stdin, e.stdout, user)
	c.Lang = lang
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		c.Prompt = "👤 "
	} else {
		c.Echo = true
	}
	d, err := bot.NewDispatcher(bot.Options{
		Engine: a.engine, Store: a.store, Senders: map[string]bot.Sender{console.Channel: c},
		Logger: a.log, CacheSize: a.cfg.CacheSize, OutboxGrace: a.cfg.OutboxGrace, RetryBudget: a.cfg.RetryBudget, OnDelivered: a.svc.Delivered,
	})
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	evCtx, stopEvents := context.WithCancel(ctx)
	eventsDone := make(chan struct{})
	// A group of this user's own: the session takes only its user's
	// events, and what it passes over stays with the others' groups.
	go func() {
		defer close(eventsDone)
		a.runEvents(evCtx, d, "console:"+user, []string{user}, console.Channel)
	}()
	defer func() { stopEvents(); <-eventsDone }() // before d closes

	if first.ID != "" {
		if err := d.Handle(ctx, first); err != nil {
			return err
		}
		if err := d.Flush(ctx, first.Channel, first.User); err != nil {
			return err
		}
	}
	return c.Run(ctx, d)
}
