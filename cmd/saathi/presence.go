package main

import (
	"context"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/roster"
)

// The command menus: what everyone sees behind Telegram's "/" button, and
// the longer menus of coordinators and admins. Each command is one a
// flow or the engine understands (a test checks); its text is the
// message menu.<command>.
var (
	menuEveryone    = []string{"start", "trainings", "checkin", "shg", "help", "language", "stop", "resume", "cancel"}
	menuCoordinator = []string{"new", "status", "coverage", "code", "attendance", "broadcast", "export", "report", "problems"}
	menuAdmin       = []string{"coordinator"}
)

// menu renders the commands of lists in lang.
func menu(cat *locales.Catalog, lang string, lists ...[]string) []telegram.Command {
	var out []telegram.Command
	for _, l := range lists {
		for _, c := range l {
			out = append(out, telegram.Command{Command: c, Description: cat.Text(lang, "menu."+c, nil)})
		}
	}
	return out
}

// presences is the bot's menu for everyone and its descriptions in every
// language: Hindi as the default, the others under their language code.
func presences(cat *locales.Catalog) []telegram.Presence {
	var out []telegram.Presence
	for _, lang := range append([]string{locales.Default}, cat.Languages()...) {
		code := lang
		if lang == locales.Default {
			if len(out) > 0 {
				continue // the default was done first
			}
			code = ""
		}
		out = append(out, telegram.Presence{
			Lang: code, Commands: menu(cat, lang, menuEveryone),
			Description: cat.Text(lang, "presence.description", nil), ShortDescription: cat.Text(lang, "presence.short", nil),
		})
	}
	return out
}

// personMenu is the menu of a coordinator's or an admin's own chat, in
// their language.
func personMenu(cat *locales.Catalog, p roster.Person) []telegram.Command {
	lang := p.Language
	if lang == "" {
		lang = locales.Default
	}
	if p.IsAdmin() {
		return menu(cat, lang, menuEveryone, menuCoordinator, menuAdmin)
	}
	return menu(cat, lang, menuEveryone, menuCoordinator)
}

// How often serve looks whether the roster changed or chats were noted
// (store.TouchChatMenus: a coordinator linked a chat, someone became a
// coordinator in chat), and how often it checks every chat's menu
// regardless (a change it missed, a chat Telegram refused before).
const (
	menuPoll    = 3 * time.Second
	menuRecheck = 10 * time.Minute
	// menuTouchedBatch is how many noted chats one poll takes.
	menuTouchedBatch = 100
)

// keepMenus gives coordinators' and admins' chats their longer menu and
// takes it away from those who are no longer either, until ctx ends:
// within menuPoll of a chat being noted (only that chat is looked at),
// whenever the roster changes (an import), and every menuRecheck.
func (a *app) keepMenus(ctx context.Context, tg *telegram.Bot) {
	memory := store.NewChatMenus(a.rdb, telegram.Channel)
	sync := &telegram.MenuSync{
		Bot:    tg,
		Memory: memory,
		Want: func(ctx context.Context) (map[string][]telegram.Command, error) {
			people, err := a.svc.CoordinatorChats(ctx, telegram.Channel)
			if err != nil {
				return nil, err
			}
			out := make(map[string][]telegram.Command, len(people))
			for user, p := range people {
				out[user] = personMenu(a.cat, p)
			}
			return out, nil
		},
		WantChat: func(ctx context.Context, user string) ([]telegram.Command, bool, error) {
			p, ok, err := a.svc.ChatCoordinator(ctx, telegram.Channel, user)
			if err != nil || !ok {
				return nil, false, err
			}
			return personMenu(a.cat, p), true, nil
		},
	}
	seen, synced := int64(-1), time.Time{}
	t := time.NewTicker(menuPoll)
	defer t.Stop()
	for {
		v, err := a.svc.Roster.Version(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("telegram: coordinators' menus: reading the roster's version", "err", err)
		}
		if err == nil && v == seen && time.Since(synced) < menuRecheck {
			a.syncTouchedMenus(ctx, memory, sync)
		}
		if err == nil && (v != seen || time.Since(synced) >= menuRecheck) {
			n, err := sync.Sync(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				a.log.Warn("telegram: coordinators' menus", "err", err)
			case err == nil:
				seen, synced = v, time.Now()
				if n > 0 {
					a.log.Info("telegram: coordinators' menus changed", "chats", n)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// syncTouchedMenus gives the chats store.TouchChatMenus noted the menu
// they should have now. A chat taken but not done (Telegram or Redis
// failed) is left to the next full check.
func (a *app) syncTouchedMenus(ctx context.Context, memory *store.ChatMenus, sync *telegram.MenuSync) {
	users, err := memory.Touched(ctx, menuTouchedBatch)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("telegram: coordinators' menus: reading the chats to look at", "err", err)
		}
		return
	}
	n, err := sync.SyncChats(ctx, users)
	if err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: coordinators' menus", "err", err)
	}
	if n > 0 {
		a.log.Info("telegram: coordinators' menus changed", "chats", n)
	}
}
