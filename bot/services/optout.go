package services

import (
	"context"
	"fmt"
	"strconv"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/events"
)

// personOptOut: args out (yes: stop bulk messages; no: get them again).
// Statuses: ok (changed), none (it was so already), unknown (the chat is
// nobody on the roster: nothing bulk reaches them anyway).
func (s *Services) personOptOut(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	me, ok, err := s.caller(ctx, c)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("look up caller: %w", err)
	}
	if !ok {
		return result(Unknown), nil
	}
	changed, err := s.OptOut.Set(ctx, me.Phone, c.Args["out"] == "yes")
	if err != nil {
		return flows.CallResult{}, err
	}
	if !changed {
		return result(None), nil
	}
	s.Logger.Info("opt-out changed", "phone", maskPhone(me.Phone), "out", c.Args["out"])
	return result(OK), nil
}

// optedOutVar is a count of people who opted out as a message variable:
// "" for none, so that a message's {{if .optedout}} leaves it out.
func optedOutVar(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// withoutOptedOut drops the events for people who stopped bulk messages
// (a nudge, a reminder), and counts them.
func (s *Services) withoutOptedOut(ctx context.Context, evs []events.Event) ([]events.Event, int, error) {
	phones := make([]string, len(evs))
	for i, ev := range evs {
		phones[i] = ev.Phone
	}
	out, err := s.OptOut.Which(ctx, phones)
	if err != nil || len(out) == 0 {
		return evs, 0, err
	}
	kept := make([]events.Event, 0, len(evs)-len(out))
	for _, ev := range evs {
		if !out[ev.Phone] {
			kept = append(kept, ev)
		}
	}
	return kept, len(evs) - len(kept), nil
}
