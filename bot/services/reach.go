package services

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/training"
)

// reachPage is how many people a reach preview looks up at once.
const reachPage = 1000

// totalReach adds the places' reach up.
func totalReach(places []training.PlaceCount) identity.Reach {
	var r identity.Reach
	for _, pc := range places {
		r = r.Plus(pc.Reach)
	}
	return r
}

// reachCounts says a Reach in lang: "Telegram पर 5 · WhatsApp पर 2 · अभी नहीं 3".
func (s *Services) reachCounts(lang string, r identity.Reach) string {
	n := strconv.Itoa
	return s.Messages.Text(lang, "reach.counts", map[string]string{"telegram": n(r.Telegram), "whatsapp": n(r.WhatsApp), "none": n(r.None)})
}

// reachLine is a status's line of reach: "पहुँच: Telegram पर 5 · …".
func (s *Services) reachLine(lang string, r identity.Reach) string {
	return s.Messages.Text(lang, "reach.line", map[string]string{"counts": s.reachCounts(lang, r)})
}

// linksHint tells how to get the personal links of the r.None not
// reached yet, by command ("लिंक t8j3dq5" in chat, "saathi links …" on
// the command line); "" when everyone is reached or there is no command.
func (s *Services) linksHint(lang string, r identity.Reach, command string) string {
	if r.None == 0 || command == "" {
		return ""
	}
	return s.Messages.Plural(lang, "reach.links_hint", r.None, map[string]string{"command": command})
}

// ChatLinksCommand is what a coordinator sends in chat for the links of a
// training's invitees not reached yet.
func ChatLinksCommand(lang, id string) string {
	if lang == "en" {
		return "links " + id
	}
	return "लिंक " + id
}

// ReachPreview says, before a broadcast to phones is sent, how it would
// go: how many get it now on Telegram and on WhatsApp, how many have no
// chat yet and get it only if they first write before until, and — when
// they are in more than one place — the same by place at level by; then,
// when some have no chat, how to get their links (linksCommand, "" for
// none). It looks people and their chats up a page at a time; no phones
// say nothing.
func (s *Services) ReachPreview(ctx context.Context, lang string, phones []string, by string, until, now time.Time, linksCommand string) (string, error) {
	if len(phones) == 0 {
		return "", nil
	}
	tl := training.NewTally(training.Training{}, by, true)
	for i := 0; i < len(phones); i += reachPage {
		page := phones[i:min(i+reachPage, len(phones))]
		people, err := s.Roster.People(ctx, page)
		if err != nil {
			return "", fmt.Errorf("broadcast preview: %w", err)
		}
		chans, err := s.Identity.Channels(ctx, page)
		if err != nil {
			return "", fmt.Errorf("broadcast preview: %w", err)
		}
		for _, ph := range page {
			p, ok := people[ph]
			tl.Add(training.Row{Phone: ph}, p, ok, chans[ph])
		}
	}
	places := tl.Places()
	r := totalReach(places)
	n := strconv.Itoa
	m := func(id string, d map[string]string) string { return s.Messages.Text(lang, id, d) }
	lines := []string{m("reach.now", map[string]string{"telegram": n(r.Telegram), "whatsapp": n(r.WhatsApp)})}
	if r.None > 0 {
		lines = append(lines, s.Messages.Plural(lang, "reach.held", r.None, map[string]string{"until": locales.DateTime(lang, until, now)}))
	}
	if len(places) > 1 {
		lines = append(lines, m("place.by", map[string]string{"level": m("place.level."+by, nil)}))
		for _, pc := range places {
			lines = append(lines, m("reach.place_line", map[string]string{"place": s.placeName(lang, pc.Place), "counts": s.reachCounts(lang, pc.Reach)}))
		}
	}
	if hint := s.linksHint(lang, r, linksCommand); hint != "" {
		lines = append(lines, hint)
	}
	return strings.Join(lines, "\n"), nil
}

// placeName is a breakdown's name of a place ("" is no place written).
func (s *Services) placeName(lang, place string) string {
	if place == "" {
		return s.Messages.Text(lang, "place.none", nil)
	}
	return place
}
