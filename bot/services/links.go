package services

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/roster"
)

// LinkRows are the people of an audience (inside sc) with their personal
// tokens, made for those who have none yet, and the channels they are on
// already, sorted by place and name. unreached keeps only those on none.
func (s *Services) LinkRows(ctx context.Context, sc roster.Scope, a Audience, lang string, unreached bool) ([]links.Row, error) {
	phones, err := s.recipients(ctx, sc, a)
	if err != nil {
		return nil, err
	}
	chans, err := s.Identity.Channels(ctx, phones)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	if unreached {
		phones = slices.DeleteFunc(phones, func(ph string) bool { return len(chans[ph]) > 0 })
	}
	people := make([]roster.Person, 0, len(phones))
	for _, ph := range phones {
		p, ok, err := s.Roster.Get(ctx, ph)
		if err != nil {
			return nil, fmt.Errorf("links: %w", err)
		}
		if ok {
			people = append(people, p)
		}
	}
	slices.SortFunc(people, func(x, y roster.Person) int {
		return strings.Compare(placeOf(x)+"\x00"+x.Name+"\x00"+x.Phone, placeOf(y)+"\x00"+y.Name+"\x00"+y.Phone)
	})
	rows := make([]links.Row, 0, len(people))
	for _, p := range people {
		tok, err := s.Identity.Token(ctx, p.Phone)
		if err != nil {
			return nil, fmt.Errorf("links: %w", err)
		}
		on := slices.Clone(chans[p.Phone])
		for i, ch := range on {
			on[i] = channelName(ch)
		}
		slices.Sort(on)
		rows = append(rows, links.Row{Name: p.Name, Phone: p.Phone, Designation: s.designations().Label(lang, p.Designation), Place: placeOf(p), Token: tok,
			Chats: strings.Join(on, ", ")})
	}
	return rows, nil
}

// placeOf is the narrowest place a person is named at.
func placeOf(p roster.Person) string {
	return cmp.Or(p.Body, p.Block, p.District, p.Division)
}

// LinksSheet writes the links sheet of an audience (unreached: only those
// on no channel yet); it returns the number of people in it.
func (s *Services) LinksSheet(ctx context.Context, sc roster.Scope, a Audience, lang string, unreached bool) ([]byte, int, error) {
	rows, err := s.LinkRows(ctx, sc, a, lang, unreached)
	if err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	if err := links.Write(&buf, lang, s.linkBot(), rows); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), len(rows), nil
}

// RevokeLinks revokes the tokens of an audience (inside sc): their links
// and codes link no one from now on, the chats that used them are
// unlinked. It returns how many tokens were revoked.
func (s *Services) RevokeLinks(ctx context.Context, sc roster.Scope, a Audience) (int, error) {
	phones, err := s.recipients(ctx, sc, a)
	if err != nil {
		return 0, err
	}
	return s.RevokePhones(ctx, phones...)
}

// RevokePhones revokes the tokens of the people with these phones.
func (s *Services) RevokePhones(ctx context.Context, phones ...string) (int, error) {
	n := 0
	for _, ph := range phones {
		tok, chat, err := s.Identity.Revoke(ctx, ph)
		if err != nil {
			return n, fmt.Errorf("revoke links: %w", err)
		}
		if tok != "" {
			n++
			s.Logger.Info("invite token revoked", "phone", maskPhone(ph), "unlinked", chat != "")
		}
		if ch, user, ok := strings.Cut(chat, ":"); ok {
			if err := s.touchMenus(ctx, identity.Chat{Channel: ch, User: user}); err != nil {
				return n, fmt.Errorf("revoke links: %w", err)
			}
		}
	}
	return n, nil
}

// coordLinks: args arg (a training id, or a choice's label), which
// (unreached: only those on no channel yet; all; empty: ask when some are
// and some are not). The sheet of personal links of the training's
// invitees, base64 in file_data. Statuses: ok, ask (title, unreached,
// reached: how many are on no channel yet and how many are), forbidden,
// none, no_bot (neither a Telegram username nor a WhatsApp number is
// known to link to).
func (s *Services) coordLinks(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	if s.linkBot() == (links.Bot{}) {
		return result("no_bot"), nil
	}
	ts, err := s.myTrainings(ctx, me, sc, pickedID(c.Args["arg"]))
	if err != nil {
		return flows.CallResult{}, err
	}
	if len(ts) == 0 {
		return result(None), nil
	}
	t := ts[len(ts)-1]
	lang := c.Lang
	if lang != "en" {
		lang = "hi"
	}
	a := Audience{Training: t.ID, Segment: "all"}
	which := c.Args["which"]
	if which == "" {
		phones, err := s.recipients(ctx, sc, a)
		if err != nil {
			return flows.CallResult{}, err
		}
		chans, err := s.Identity.Channels(ctx, phones)
		if err != nil {
			return flows.CallResult{}, fmt.Errorf("links: %w", err)
		}
		if reached := len(chans); reached > 0 && reached < len(phones) {
			n := strconv.Itoa
			return result("ask", "title", t.Title, "unreached", n(len(phones)-reached), "reached", n(reached)), nil
		}
	}
	data, n, err := s.LinksSheet(ctx, sc, a, lang, which == "unreached")
	if err != nil {
		return flows.CallResult{}, err
	}
	return result(OK, "file_data", base64.StdEncoding.EncodeToString(data),
		"file_name", "saathi-links-"+t.ID+".xlsx", "title", t.Title, "count", strconv.Itoa(n)), nil
}

// linkBot is where personal links point now (LinksNow, else Links).
func (s *Services) linkBot() links.Bot {
	if s.LinksNow != nil {
		return s.LinksNow()
	}
	return s.Links
}
