package services

import (
	"context"
	"fmt"
	"strings"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store/roster"
)

// designations are the designations people are named by.
func (s *Services) designations() *roster.Designations {
	if s.Designations != nil {
		return s.Designations
	}
	return roster.BuiltinDesignations()
}

// coordDesignations: the designations a coordinator may invite, for
// new_training to offer: those of the people in the caller's scope, in the
// designations' order, labelled in the caller's language, "|" between them
// in the field designations, and last "send a list" (audience.send_list).
// A scope with nobody in it yet is offered every designation. Statuses:
// ok, forbidden.
func (s *Services) coordDesignations(ctx context.Context, c flows.Call) (flows.CallResult, error) {
	_, sc, ok, err := s.coordinator(ctx, c)
	if err != nil || !ok {
		return result(Forbidden), err
	}
	ids, err := s.Roster.DesignationsIn(ctx, sc)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("designations in scope: %w", err)
	}
	held := map[string]bool{}
	for _, id := range ids {
		held[id] = true
	}
	var labels, all []string
	for _, d := range s.designations().All() {
		all = append(all, d.Label(c.Lang))
		if held[d.ID] {
			labels = append(labels, d.Label(c.Lang))
		}
	}
	if len(labels) == 0 {
		labels = all
	}
	// Last, a list of phones the coordinator sends instead (audience.chosen).
	labels = append(labels, s.text(c, "audience.send_list", nil))
	return result(OK, "designations", strings.Join(labels, "|")), nil
}

// whoTerm is the filter term for whom new_training invites: the
// designation the coordinator chose (a label, alias or id), or — from a
// flow of before designations — a role key. ok is false when neither
// names anything known.
func (s *Services) whoTerm(designation, role string) (string, bool) {
	if designation = strings.TrimSpace(designation); designation != "" {
		d, ok := s.designations().Lookup(designation)
		if !ok {
			return "", false
		}
		return "designation=" + d.ID, true
	}
	r, ok := roster.ParseRole(role)
	return "role=" + r, ok
}
