package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/store/roster"
)

// runLinks is "saathi links --training ID | --to FILTER -o FILE.xlsx".
func runLinks(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "links")
	id := fs.String("training", "", "the invitees of this training")
	to := fs.String("to", "", "or the people a roster filter selects ('designation=अधिशासी अधिकारी,division=मिर्ज़ापुर')")
	out := fs.String("o", "", "output file, .xlsx (required)")
	lang := fs.String("lang", "hi", "language of the sheet and of what it prints: hi or en")
	unreached := fs.Bool("unreached", false, "only those not on Telegram or WhatsApp yet")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return usageHint("saathi links --training ID | --to FILTER -o FILE.xlsx [--unreached] [--lang hi|en]")
	}
	aud, err := linkAudience(cfg.Import.Designations, *id, *to)
	if err != nil {
		return err
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "links")
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
	tgName := orNone(a.svc.Links.TelegramUsername)
	if tgName != "-" {
		tgName = "@" + tgName
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.links_written", map[string]string{"file": *out, "n": strconv.Itoa(n),
		"telegram": tgName, "whatsapp": orNone(a.svc.Links.WhatsAppNumber)}))
	return nil
}

func runLinksRevoke(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "links revoke")
	id := fs.String("training", "", "revoke the links of this training's invitees")
	to := fs.String("to", "", "or of the people a roster filter selects")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	var phones []string
	for _, s := range fs.Args() {
		p, ok := roster.NormalizePhone(s)
		if !ok {
			return failUsage("cli.err_not_phone", "value", s)
		}
		phones = append(phones, p)
	}
	if (len(phones) > 0) == (*id != "" || *to != "") {
		return usageHint("saathi links revoke PHONE… | --training ID | --to FILTER")
	}
	a, err := openWriter(ctx, cfg, cliLogger(e, cfg), "links revoke")
	if err != nil {
		return err
	}
	defer a.Close()
	var n int
	if len(phones) > 0 {
		n, err = a.svc.RevokePhones(ctx, phones...)
	} else {
		var aud services.Audience
		if aud, err = linkAudience(cfg.Import.Designations, *id, *to); err != nil {
			return err
		}
		n, err = a.svc.RevokeLinks(ctx, roster.Scope{Level: roster.LevelAll}, aud)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, a.cat.Text(*lang, "cli.links_revoked", map[string]string{"n": strconv.Itoa(n), "command": "saathi links"}))
	return nil
}

// linkAudience is the audience of --training or --to (exactly one).
func linkAudience(ds *roster.Designations, id, to string) (services.Audience, error) {
	if (id == "") == (to == "") {
		return services.Audience{}, failUsage("cli.err_links_audience", "training", "--training ID", "to", "--to FILTER")
	}
	if id != "" {
		return services.Audience{Training: id, Segment: "all"}, nil
	}
	aud, err := services.ParseAudience(ds, to)
	if err != nil {
		return aud, badFilter("--to", err)
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
			return b, fail("cli.err_links_telegram", err)
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
		return b, fail("cli.err_links_no_bot", nil, "token", "TELEGRAM_BOT_TOKEN", "username", "TELEGRAM_BOT_USERNAME", "wadb", "WHATSAPP_DB", "wanumber", "WHATSAPP_NUMBER")
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
