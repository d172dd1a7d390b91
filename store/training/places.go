package training

import (
	"cmp"
	"slices"

	"github.com/saathi-bot/saathi/store/identity"
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
	// Reach is who of them can be written to now, by channel: counted
	// by ByPlaceReach and an export with channels, else zero.
	Reach identity.Reach
	Came  int // invitees who checked in on some day
	// Feedback is how many gave feedback; Ratings their ratings (Ratings[0]
	// the 1s, … [4] the 5s); Modules the modules they found most useful,
	// the most named first (nil without any).
	Feedback int
	Ratings  [5]int
	Modules  []ModuleCount
}

// RatingAvg is the average of pc's ratings, 0 without any.
func (pc PlaceCount) RatingAvg() float64 {
	return ratingAvg(pc.Ratings)
}

// ratingAvg is the average of a distribution of 1 to 5 stars, 0 when empty.
func ratingAvg(dist [5]int) float64 {
	n, sum := 0, 0
	for i, c := range dist {
		n += c
		sum += c * (i + 1)
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// ByPlace breaks a training's rows down by the level (division, district,
// block or body: see roster.Person.At) of each invitee's first place,
// people giving them by phone. Places come by name, the invitees of no
// place last.
func ByPlace(t Training, rows []Row, people map[string]roster.Person, level string) []PlaceCount {
	return ByPlaceReach(t, rows, people, nil, level)
}

// ByPlaceReach is ByPlace with each place's Reach counted too, by the
// invitees' channels (chans: identity.Identity.Channels of their
// phones). A nil chans counts no reach.
func ByPlaceReach(t Training, rows []Row, people map[string]roster.Person, chans map[string][]string, level string) []PlaceCount {
	tl := newTally(t, level)
	tl.reach = chans != nil
	for _, r := range rows {
		p, ok := people[r.Phone]
		tl.add(r, p, ok, chans[r.Phone])
	}
	return tl.places()
}

// Bodies counts the bodies a training reaches: of the invitees' bodies
// (every body a person holds), how many have someone invited, someone
// coming (yes) and someone who checked in on some day.
func Bodies(rows []Row, people map[string]roster.Person) (invited, coming, attended int) {
	tl := newTally(Training{}, roster.LevelBody)
	for _, r := range rows {
		p, ok := people[r.Phone]
		tl.add(r, p, ok, nil)
	}
	return tl.bodyCounts()
}

// Tally adds a training's rows up by place one at a time, for a caller
// that reads its people a page at a time (a broadcast's preview): what
// ByPlaceReach counts, without holding every person at once.
type Tally struct{ tl *tally }

// NewTally is an empty Tally by level; reach: count each place's Reach.
func NewTally(t Training, level string, reach bool) Tally {
	tl := newTally(t, level)
	tl.reach = reach
	return Tally{tl}
}

// Add counts r, whose invitee is p (known: on the roster) with chats on
// channels.
func (x Tally) Add(r Row, p roster.Person, known bool, channels []string) {
	x.tl.add(r, p, known, channels)
}

// Places are the counts by place so far, as ByPlace orders them.
func (x Tally) Places() []PlaceCount { return x.tl.places() }

// tally adds rows up, one at a time, for ByPlace and Bodies: what an
// export that reads its people a page at a time keeps instead of them.
type tally struct {
	days   int
	level  string
	reach  bool // count each place's Reach
	idx    map[string]int
	out    []PlaceCount
	mods   []map[string]int // the modules named at out[i], nil until one is
	bodies map[string]*bodyReach
}

type bodyReach struct{ coming, attended bool }

func newTally(t Training, level string) *tally {
	return &tally{days: len(t.Days), level: level, idx: map[string]int{}, bodies: map[string]*bodyReach{}}
}

// add counts r, whose invitee is p (known: on the roster) with chats on
// channels.
func (tl *tally) add(r Row, p roster.Person, known bool, channels []string) {
	place := p.At(tl.level)
	i, ok := tl.idx[place]
	if !ok {
		i = len(tl.out)
		tl.idx[place] = i
		tl.out = append(tl.out, PlaceCount{Place: place, Attended: make([]int, tl.days)})
		tl.mods = append(tl.mods, nil)
	}
	pc := &tl.out[i]
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
	if tl.reach {
		pc.Reach.Add(channels)
	}
	came := r.Attended()
	if came {
		pc.Came++
	}
	if f := r.Feedback; f != nil {
		pc.Feedback++
		if f.Rating >= 1 && f.Rating <= 5 {
			pc.Ratings[f.Rating-1]++
		}
		if f.Module != "" {
			if tl.mods[i] == nil {
				tl.mods[i] = map[string]int{}
			}
			tl.mods[i][f.Module]++
		}
	}
	if !known {
		return
	}
	for _, b := range append([]string{p.Body}, alsoBodies(p)...) {
		if b == "" {
			continue
		}
		x := tl.bodies[b]
		if x == nil {
			x = &bodyReach{}
			tl.bodies[b] = x
		}
		x.coming = x.coming || r.Status == StatusYes
		x.attended = x.attended || came
	}
}

// places are the counts by place, by name, the invitees of no place last.
func (tl *tally) places() []PlaceCount {
	out := slices.Clone(tl.out)
	for i, m := range tl.mods {
		if m != nil {
			out[i].Modules = rankModules(m)
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

// bodyCounts are the bodies with someone invited, coming and attending.
func (tl *tally) bodyCounts() (invited, coming, attended int) {
	for _, x := range tl.bodies {
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
