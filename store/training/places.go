package training

import (
	"cmp"
	"slices"

	"github.com/saathi-bot/saathi/store/roster"
)

// PlaceCount is one place's line of a breakdown: the counts of Status for
// the invitees at that place.
type PlaceCount struct {
	Place    string // "" for invitees with no place at the level (or not on the roster)
	Invited  int
	Yes      int
	No       int
	Maybe    int
	NoAnswer int
	Waitlist int
	Attended []int // per day
}

// ByPlace breaks a training's rows down by the level (division, district,
// block or body: see roster.Person.At) of each invitee's first place,
// people giving them by phone. Places come by name, the invitees of no
// place last.
func ByPlace(t Training, rows []Row, people map[string]roster.Person, level string) []PlaceCount {
	idx := map[string]int{}
	var out []PlaceCount
	for _, r := range rows {
		place := people[r.Phone].At(level)
		i, ok := idx[place]
		if !ok {
			i = len(out)
			idx[place] = i
			out = append(out, PlaceCount{Place: place, Attended: make([]int, len(t.Days))})
		}
		pc := &out[i]
		pc.Invited++
		switch r.Status {
		case StatusYes:
			pc.Yes++
		case StatusNo:
			pc.No++
		case StatusMaybe:
			pc.Maybe++
		case StatusWaitlist:
			pc.Waitlist++
		default:
			pc.NoAnswer++
		}
		for d, c := range r.CheckIns {
			if d < len(pc.Attended) && !c.At.IsZero() {
				pc.Attended[d]++
			}
		}
	}
	slices.SortFunc(out, func(a, b PlaceCount) int {
		if (a.Place == "") != (b.Place == "") {
			if a.Place == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Place, b.Place)
	})
	return out
}

// Bodies counts the bodies a training reaches: of the invitees' bodies
// (every body a person holds), how many have someone invited, someone
// coming (yes) and someone who checked in on some day.
func Bodies(rows []Row, people map[string]roster.Person) (invited, coming, attended int) {
	type reach struct{ coming, attended bool }
	bodies := map[string]*reach{}
	for _, r := range rows {
		p, ok := people[r.Phone]
		if !ok {
			continue
		}
		came := slices.ContainsFunc(r.CheckIns, func(c CheckIn) bool { return !c.At.IsZero() })
		for _, b := range append([]string{p.Body}, alsoBodies(p)...) {
			if b == "" {
				continue
			}
			x := bodies[b]
			if x == nil {
				x = &reach{}
				bodies[b] = x
			}
			x.coming = x.coming || r.Status == StatusYes
			x.attended = x.attended || came
		}
	}
	for _, x := range bodies {
		invited++
		if x.coming {
			coming++
		}
		if x.attended {
			attended++
		}
	}
	return invited, coming, attended
}

func alsoBodies(p roster.Person) []string {
	out := make([]string, 0, len(p.Also))
	for _, pl := range p.Also {
		out = append(out, pl.Body)
	}
	return out
}
