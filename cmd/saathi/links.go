package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/store/roster"
)

// runLinks is "saathi links --training ID | --to FILTER -o FILE.xlsx" and
// "saathi links revoke PHONE | --training ID | --to FILTER".
func runLinks(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "revoke" {
		return runLinksRevoke(ctx, e, args[1:])
	}
	fs, cfgOf := commandFlags(e, "links")
	id := fs.String("training", "", "the invitees of this training")
	to := fs.String("to", "", "or the people a roster filter selects ('designation=अधिशासी अधिकारी,division=मिर्ज़ापुर')")
	out := fs.String("o", "", "output file, .xlsx (required)")
	lang := fs.String("lang", "hi", "language of the headers: hi or en")
	unreached := fs.Bool("unreached", false, "only those not on Telegram or WhatsApp yet")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: saathi links --training ID | --to FILTER -o FILE.xlsx [--lang hi|en]", errUsage)
	}
	aud, err := linkAudience(*id, *to)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, e.stderr), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.svc.Links, err = a.linkBot(ctx); err != nil {
		return err
	}
	data, n, err := a.svc.LinksSheet(ctx, roster.Scope{Level: roster.LevelAll}, aud, *lang, *unreached)
	if err != nil {
		return fmt.Errorf("links: %w", err)
	}
	if err := os.WriteFile(*out, data, 0o600); err != nil {
		return fmt.Errorf("links: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s: links for %d people (Telegram @%s, WhatsApp %s)\n", *out, n, orNone(a.svc.Links.TelegramUsername), orNone(a.svc.Links.WhatsAppNumber))
	return nil
}

func runLinksRevoke(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "links revoke")
	id := fs.String("training", "", "revoke the links of this training's invitees")
	to := fs.String("to", "", "or of the people a roster filter selects")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	var phones []string
	for _, s := range fs.Args() {
		p, ok := roster.NormalizePhone(s)
		if !ok {
			return fmt.Errorf("%w: links revoke: %q is not a mobile number", errUsage, s)
		}
		phones = append(phones, p)
	}
	if (len(phones) > 0) == (*id != "" || *to != "") {
		return fmt.Errorf("%w: saathi links revoke PHONE… | --training ID | --to FILTER", errUsage)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, e.stderr), false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	var n int
	if len(phones) > 0 {
		n, err = a.svc.RevokePhones(ctx, phones...)
	} else {
		var aud services.Audience
		if aud, err = linkAudience(*id, *to); err != nil {
			return err
		}
		n, err = a.svc.RevokeLinks(ctx, roster.Scope{Level: roster.LevelAll}, aud)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d links revoked: they link no one now, and a chat that used one is unlinked; saathi links makes new ones\n", n)
	return nil
}

// linkAudience is the audience of --training or --to (exactly one).
func linkAudience(id, to string) (services.Audience, error) {
	if (id == "") == (to == "") {
		return services.Audience{}, fmt.Errorf("%w: give --training ID or --to FILTER", errUsage)
	}
	if id != "" {
		return services.Audience{Training: id, Segment: "all"}, nil
	}
	aud, err := services.ParseAudience(to)
	if err != nil {
		return aud, fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	return aud, nil
}

// linkBot is where links point: the settings, else the bot's username from
// Telegram (getMe) and the number of the WhatsApp session.
func (a *app) linkBot(ctx context.Context) (links.Bot, error) {
	b := links.Bot{TelegramUsername: a.cfg.TelegramUsername, WhatsAppNumber: a.cfg.WhatsAppNumber}
	if b.TelegramUsername == "" && a.cfg.Telegram.Token != "" {
		tcfg := a.cfg.Telegram
		tcfg.Logger = a.log
		tg, err := telegram.New(ctx, tcfg)
		if err != nil {
			return b, fmt.Errorf("links: the bot's username: %w", err)
		}
		b.TelegramUsername = tg.Username()
	}
	if b.WhatsAppNumber == "" && a.cfg.WhatsAppDB != "" {
		container, err := openWhatsAppStore(ctx, a.cfg, a.log)
		if err != nil {
			return b, err
		}
		defer container.Close()
		devices, err := container.GetAllDevices(ctx)
		if err != nil {
			return b, fmt.Errorf("links: the WhatsApp number: %w", err)
		}
		if len(devices) > 0 && devices[0].ID != nil {
			b.WhatsAppNumber = devices[0].ID.User
		}
	}
	if b == (links.Bot{}) {
		return b, errors.New("links: no Telegram username or WhatsApp number to link to: set TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_USERNAME, or WHATSAPP_DB (paired) or WHATSAPP_NUMBER")
	}
	return b, nil
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// servedLinkBot is where the links लिंक sends in chat point: the
// settings, else the running bot's username and WhatsApp number.
func servedLinkBot(cfg Config, tg *telegram.Bot, wa *whatsAppChannel) links.Bot {
	b := links.Bot{TelegramUsername: cfg.TelegramUsername, WhatsAppNumber: cfg.WhatsAppNumber}
	if b.TelegramUsername == "" && tg != nil {
		b.TelegramUsername = tg.Username()
	}
	if b.WhatsAppNumber == "" && wa != nil && wa.cli.Store.ID != nil {
		b.WhatsAppNumber = wa.cli.Store.ID.User
	}
	return b
}
