// Package flowstest builds engines for tests in other packages.
package flowstest

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/locales"
)

// Engine returns an engine on the embedded flows and messages, with the
// given overlays (nil for none), or fails the test. Its services are a
// Newcomer; tests that need others use WithServices.
func Engine(t testing.TB, extraFlows, extraMsgs fs.FS) *flows.Engine {
	t.Helper()
	var fl, ms []fs.FS
	if extraFlows != nil {
		fl = append(fl, extraFlows)
	}
	if extraMsgs != nil {
		ms = append(ms, extraMsgs)
	}
	cat, err := locales.Load(ms...)
	if err != nil {
		t.Fatalf("loading messages: %v", err)
	}
	set, err := flows.Load(fl...)
	if err != nil {
		t.Fatalf("loading flows: %v", err)
	}
	if ps := set.CheckMessages(cat); len(ps) > 0 {
		t.Fatalf("flows use missing messages: %v", ps)
	}
	e := flows.NewEngine(set, cat).WithServices(&Newcomer{})
	if _, bench := t.(*testing.B); bench {
		// A benchmark measures the engine: the watch keeps every value
		// typed so far and scans each reply against all of them, a cost
		// that grows with the run (a 20,000-copy broadcast ran at 14 % of
		// its limit with it).
		return e
	}
	return e.WithObserver(englishWatch(t))
}

// englishWatch fails t for English in a Hindi reply of any step the
// engine takes while the test runs (NoEnglish, with every text typed and
// every event's values so far as what may be echoed back).
func englishWatch(t testing.TB) func(before flows.State, in flows.Input, res flows.Result) {
	var (
		mu    sync.Mutex
		typed []string
		done  bool
	)
	t.Cleanup(func() {
		mu.Lock()
		done = true
		mu.Unlock()
	})
	return func(before flows.State, in flows.Input, res flows.Result) {
		mu.Lock()
		defer mu.Unlock()
		if done { // a conversation stepped after the test ended
			return
		}
		typed = append(typed, in.Text, in.Name)
		if in.Event != nil {
			for _, v := range in.Event.Vars {
				typed = append(typed, v)
			}
		}
		for _, e := range EnglishInReplies(before, res, typed) {
			t.Errorf("English in a Hindi reply: %s", e)
		}
	}
}

// Newcomer is an in-memory stand-in for Saathi's services, as they answer
// for people not on the roster: nobody is known, a shared own number is not
// on the roster (so registration follows), no typed place is the roster's,
// and registrations are kept (then the person is "pending"). Engine tests use it; the real services
// are tested on Redis in bot/services.
type Newcomer struct {
	mu         sync.Mutex
	Registered map[string]map[string]string // by channel:user
}

// Call implements flows.Services.
func (n *Newcomer) Call(_ context.Context, name string, c flows.Call) (flows.CallResult, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	chat := c.Channel + ":" + c.User
	switch name {
	case "person.lookup":
		if n.Registered[chat] != nil {
			return flows.CallResult{Status: "pending"}, nil
		}
		return flows.CallResult{Status: "not_found"}, nil
	case "person.link_contact":
		return flows.CallResult{Status: "not_found", Fields: map[string]string{"phone_known": "yes"}}, nil
	case "registration.submit":
		if n.Registered == nil {
			n.Registered = map[string]map[string]string{}
		}
		n.Registered[chat] = c.Args
		return flows.CallResult{Status: "ok"}, nil
	case "place.match":
		// No roster, no places: what was typed is kept as typed.
		return flows.CallResult{Status: "none", Fields: map[string]string{"place_guess": "", "place_choices": ""}}, nil
	}
	return flows.CallResult{}, fmt.Errorf("newcomer services: no call %q", name)
}

// NoEnglish fails t for every English word in the replies of a step of a
// conversation in Hindi (before it and after it): a Latin word that is
// not one people write in Latin letters themselves (locales.EnglishIn).
// What the conversation echoes back is not the bot's language and is left
// out first: the fields and flow variables of the states before and after
// the step, and what the person typed (typed, every input so far).
func NoEnglish(t testing.TB, before flows.State, res flows.Result, typed []string) {
	t.Helper()
	for _, e := range EnglishInReplies(before, res, typed) {
		t.Errorf("English in a Hindi reply: %s", e)
	}
}

// trainingID is the shape of the ids Saathi gives trainings (t and six of
// Crockford's base32), shown in replies to be typed as they are.
var trainingID = regexp.MustCompile(`\bt[0-9a-hjkmnp-tv-z]{6}\b`)

// EnglishInReplies is what NoEnglish finds: each English word with the
// text it is in.
func EnglishInReplies(before flows.State, res flows.Result, typed []string) []string {
	if lang := before.Lang + res.State.Lang; lang != "" && lang != "hi" && lang != "hihi" {
		return nil
	}
	var data []string
	for _, st := range []flows.State{before, res.State} {
		for _, v := range st.Fields {
			data = append(data, v)
		}
		for _, f := range st.Stack {
			for _, v := range f.Vars {
				data = append(data, v)
			}
		}
	}
	data = append(data, typed...)
	// The longest first, so that a value inside another goes with it.
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) })
	var out []string
	for _, r := range res.Replies {
		texts := []string{r.Text, r.RequestLabel}
		for _, o := range r.Options {
			texts = append(texts, o.Label)
		}
		for _, text := range texts {
			for _, v := range data {
				if strings.TrimSpace(v) != "" && strings.IndexFunc(v, isLatin) >= 0 {
					text = strings.ReplaceAll(text, v, " ")
				}
			}
			text = trainingID.ReplaceAllString(text, " ") // an id to type as it is: "स्थिति t8j3dq5"
			if words := locales.EnglishWords(text); len(words) > 0 {
				out = append(out, fmt.Sprintf("%q in %q", words, text))
			}
		}
	}
	return out
}

func isLatin(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }
