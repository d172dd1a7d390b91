// Package flows holds Saathi's conversations as data and the engine that runs them.
//
// A flow is a YAML file: an id, a few settings and a list of steps. The first
// step is where the flow starts. User-facing text is referenced by message id
// from the locales package, so a new survey needs a flow file and its
// translations, not Go code.
//
// The engine (Engine.Step) is a pure function: (state, input, now) ->
// (new state, replies, records). It reads no clock, no network and no store.
package flows

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/saathi-bot/saathi/flows/match"
)

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the flow files built into the binary.
func Embedded() fs.FS { return embedded }

// Defaults for flows that do not set them.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxTries    = 3
	// EntryFlow is the flow started for a user with no conversation going on.
	EntryFlow = "main"
	// LanguageFlow is the flow started by the /language command.
	LanguageFlow = "language"
)

// Flow is one conversation.
type Flow struct {
	ID          string
	File        string
	IdleTimeout time.Duration
	MaxTries    int
	// Local flows keep their fields in their own frame (an invitation keeps
	// its training apart from another invitation's).
	Local bool
	// Key names the field that tells instances of a local flow apart; their
	// buttons carry it, so an old button reopens the flow for that key.
	Key string
	// Commands are words that start this flow at any point ("/code", "हाज़िरी").
	Commands []string
	// OnDocument: a document sent when no question waits for one starts
	// this flow, with file_id and file_name.
	OnDocument bool
	// NumberArg: a command word with a number after it starts this flow
	// with the number as arg ("हाज़िरी 4821").
	NumberArg bool
	// OnCheckin: a reply that asks to check in, in any common form
	// (match.IsCheckin: "मेरी हाज़िरी लगा दो", "haazri laga do 4821"),
	// starts this flow as its command words do, a code in it as arg.
	OnCheckin bool
	Steps     []Step
	index     map[string]Step
}

// Start is the id of the flow's first step.
func (f *Flow) Start() string { return f.Steps[0].ID() }

// Step returns the step with id, or nil.
func (f *Flow) Step(id string) Step { return f.index[id] }

// Set is every flow the engine can run, by id.
type Set struct {
	flows    map[string]*Flow
	commands map[string]string // normalised command word -> flow id
	document string            // the flow a document starts ("" for none)
	checkin  string            // the flow a request to check in starts ("" for none)
}

// command recognises a word that starts a flow, and what follows it.
func (s *Set) command(text string, tables *match.Words) (flow, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", "", false
	}
	if strings.HasPrefix(text, "/") {
		word, rest, _ := strings.Cut(text, " ")
		word, _, _ = strings.Cut(strings.ToLower(word), "@")
		flow, ok = s.commands[word]
		return flow, strings.TrimSpace(rest), ok
	}
	// A word command is the whole message: "प्रशिक्षण शिविर" is a title, not a command.
	n := match.Normalize(text)
	if flow, ok = s.commands[n]; ok {
		return flow, "", true
	}
	// Or the command and an id after it: "स्थिति t8j3dq5".
	if i := strings.LastIndexByte(text, ' '); i > 0 && looksLikeID(text[i+1:]) {
		if flow, ok = s.commands[match.Normalize(text[:i])]; ok {
			return flow, strings.ToLower(text[i+1:]), true
		}
	}
	// …or, for a flow with number_arg, the word with a number after it,
	// which is its argument: "हाज़िरी 4821" starts check-in with the code.
	head := strings.TrimRight(n, "0123456789")
	num := strings.TrimSpace(n[len(head):])
	head = strings.TrimSpace(head)
	if num != "" && head != "" {
		if flow, ok = s.commands[head]; ok && s.flows[flow] != nil && s.flows[flow].NumberArg {
			return flow, num, true
		}
	}
	return s.checkinCommand(text, tables)
}

// checkinCommand reads text as a request to check in, for the on_checkin
// flow: the check-in word in any spelling with the words around it, and
// perhaps the code. A short number ("12 present", an answer to how many
// came) is no code, and then no request.
func (s *Set) checkinCommand(text string, tables *match.Words) (flow, arg string, ok bool) {
	if s.checkin == "" || !tables.IsCheckin(text) {
		return "", "", false
	}
	switch code, kind := match.CheckinCode(text); kind {
	case match.NoCode:
		return s.checkin, "", true
	case match.CodeGiven:
		if len(code) >= minCheckinCode {
			return s.checkin, code, true
		}
	}
	return "", "", false
}

// minCheckinCode is the fewest digits a check-in code typed with the word
// has; fewer are a count.
const minCheckinCode = 4

// looksLikeID tells whether a word is shaped like the ids Saathi gives
// trainings (t8j3dq5: t and six of Crockford's base32, in any case), so
// that a title typed after a command word ("प्रशिक्षण 2026", "मदद
// please") is not taken for one.
func looksLikeID(w string) bool { return idShape.MatchString(strings.ToLower(w)) }

var idShape = regexp.MustCompile(`^t[0-9a-hjkmnp-tv-z]{6}$`)

// Flow returns the flow with id, or nil.
func (s *Set) Flow(id string) *Flow { return s.flows[id] }

// IDs lists the flow ids, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.flows))
	for id := range s.flows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Problem is one thing wrong with a flow file.
type Problem struct {
	File, Flow, Step string
	Msg              string
}

func (p Problem) String() string {
	where := p.File
	if p.Step != "" {
		where += ": step " + p.Step
	}
	return where + ": " + p.Msg
}

// Problems is a list of problems; as an error it names the first few.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps))
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// Load reads the embedded flows, then the *.yaml flow files of dirs in order;
// a flow in a later file replaces one with the same id. It reports every
// structural problem (unknown kinds and targets, unreachable steps, bad
// settings, steps that loop without asking) as Problems.
func Load(dirs ...fs.FS) (*Set, error) {
	set := &Set{flows: map[string]*Flow{}, commands: map[string]string{}}
	var problems Problems
	for _, fsys := range append([]fs.FS{embedded}, dirs...) {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return nil, fmt.Errorf("list flow files: %w", err)
		}
		for _, name := range names {
			buf, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("read flow file %s: %w", name, err)
			}
			f, ps := parseFlow(path.Base(name), buf)
			problems = append(problems, ps...)
			if f != nil {
				set.flows[f.ID] = f
			}
		}
	}
	problems = append(problems, set.checkLinks()...)
	problems = append(problems, set.checkLoops()...)
	for _, fid := range set.IDs() {
		f := set.flows[fid]
		if f.OnDocument {
			if set.document != "" {
				problems = append(problems, Problem{File: f.File, Flow: fid, Msg: fmt.Sprintf("on_document is taken by flow %q", set.document)})
			}
			set.document = fid
		}
		if f.OnCheckin {
			if set.checkin != "" {
				problems = append(problems, Problem{File: f.File, Flow: fid, Msg: fmt.Sprintf("on_checkin is taken by flow %q", set.checkin)})
			}
			set.checkin = fid
		}
		for _, c := range f.Commands {
			w := strings.ToLower(c)
			if !strings.HasPrefix(w, "/") {
				w = match.Normalize(c)
			}
			if other, dup := set.commands[w]; dup && other != fid {
				problems = append(problems, Problem{File: f.File, Flow: fid, Msg: fmt.Sprintf("command %q is taken by flow %q", c, other)})
			}
			if _, global := slashCommands[w]; global || builtinCommand(c) {
				problems = append(problems, Problem{File: f.File, Flow: fid, Msg: fmt.Sprintf("command %q is a built-in command", c)})
			}
			set.commands[w] = fid
		}
	}
	if len(problems) > 0 {
		return set, problems
	}
	return set, nil
}

// flowSpec is a flow file as written.
type flowSpec struct {
	ID          string     `yaml:"id"`
	IdleTimeout string     `yaml:"idle_timeout"`
	MaxTries    int        `yaml:"max_tries"`
	Local       bool       `yaml:"local"`
	Key         string     `yaml:"key"`
	Commands    []string   `yaml:"commands"`
	OnDocument  bool       `yaml:"on_document"`
	NumberArg   bool       `yaml:"number_arg"`
	OnCheckin   bool       `yaml:"on_checkin"`
	Steps       []stepSpec `yaml:"steps"`
}

func parseFlow(file string, buf []byte) (*Flow, Problems) {
	var spec flowSpec
	dec := yaml.NewDecoder(bytes.NewReader(buf))
	dec.KnownFields(true)
	if err := dec.Decode(&spec); err != nil && !errors.Is(err, io.EOF) {
		return nil, Problems{{File: file, Msg: "not a valid flow file: " + err.Error()}}
	}
	var ps Problems
	bad := func(step, format string, args ...any) {
		ps = append(ps, Problem{File: file, Flow: spec.ID, Step: step, Msg: fmt.Sprintf(format, args...)})
	}
	if spec.ID == "" {
		bad("", "flow has no id")
		return nil, ps
	}
	f := &Flow{ID: spec.ID, File: file, IdleTimeout: DefaultIdleTimeout, MaxTries: DefaultMaxTries, index: map[string]Step{},
		Local: spec.Local, Key: spec.Key, Commands: spec.Commands, OnDocument: spec.OnDocument, NumberArg: spec.NumberArg,
		OnCheckin: spec.OnCheckin}
	if f.Key != "" && !f.Local {
		bad("", "key needs local: true")
	}
	if spec.IdleTimeout != "" {
		d, err := time.ParseDuration(spec.IdleTimeout)
		if err != nil || d <= 0 {
			bad("", "idle_timeout %q is not a duration like 30m", spec.IdleTimeout)
		} else {
			f.IdleTimeout = d
		}
	}
	if spec.MaxTries < 0 {
		bad("", "max_tries must be positive")
	} else if spec.MaxTries > 0 {
		f.MaxTries = spec.MaxTries
	}
	if len(spec.Steps) == 0 {
		bad("", "flow has no steps")
		return nil, ps
	}
	for i, ss := range spec.Steps {
		if ss.ID == "" {
			bad(fmt.Sprintf("#%d", i+1), "step has no id")
			continue
		}
		if _, dup := f.index[ss.ID]; dup {
			bad(ss.ID, "step id used twice")
			continue
		}
		st, err := ss.build(f.ID)
		if err != nil {
			bad(ss.ID, "%v", err)
			continue
		}
		f.Steps = append(f.Steps, st)
		f.index[ss.ID] = st
	}
	if len(f.Steps) == 0 {
		return nil, ps
	}
	ps = append(ps, f.checkSteps()...)
	return f, ps
}

// checkSteps reports unknown step targets and steps no path reaches.
func (f *Flow) checkSteps() Problems {
	var ps Problems
	reached := map[string]bool{}
	queue := []string{f.Start()}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if reached[id] {
			continue
		}
		reached[id] = true
		for _, t := range f.index[id].Targets() {
			if f.index[t] == nil {
				ps = append(ps, Problem{File: f.File, Flow: f.ID, Step: id, Msg: fmt.Sprintf("goes to unknown step %q", t)})
				continue
			}
			queue = append(queue, t)
		}
	}
	for _, st := range f.Steps {
		if !reached[st.ID()] {
			ps = append(ps, Problem{File: f.File, Flow: f.ID, Step: st.ID(), Msg: "unreachable: no step leads here"})
		}
	}
	return ps
}

// checkLinks reports start_flow steps naming unknown flows, and missing
// built-in flows.
func (s *Set) checkLinks() Problems {
	var ps Problems
	for _, id := range []string{EntryFlow, LanguageFlow} {
		if s.flows[id] == nil {
			ps = append(ps, Problem{File: id + ".yaml", Flow: id, Msg: "required flow is missing"})
		}
	}
	for _, fid := range s.IDs() {
		f := s.flows[fid]
		for _, st := range f.Steps {
			if sf, ok := st.(*startFlow); ok && s.flows[sf.Flow] == nil {
				ps = append(ps, Problem{File: f.File, Flow: f.ID, Step: st.ID(), Msg: fmt.Sprintf("starts unknown flow %q", sf.Flow)})
			}
		}
	}
	return ps
}

// MessageChecker tells whether a message id exists in a language; *locales.Catalog is one.
type MessageChecker interface {
	Languages() []string
	Has(lang, id string) bool
}

// CheckMessages reports every message id a flow uses that is missing from a language.
func (s *Set) CheckMessages(cat MessageChecker) Problems {
	var ps Problems
	for _, fid := range s.IDs() {
		f := s.flows[fid]
		for _, st := range f.Steps {
			for _, id := range st.Messages() {
				for _, lang := range cat.Languages() {
					if !cat.Has(lang, id) {
						ps = append(ps, Problem{File: f.File, Flow: f.ID, Step: st.ID(), Msg: fmt.Sprintf("message %q is missing in %q", id, lang)})
					}
				}
			}
		}
	}
	return ps
}

// RecordFields lists the fields a save_record step of kind saves, in its
// order, for exports ("" fields first seen win).
func (s *Set) RecordFields(kind string) []string {
	var out []string
	seen := map[string]bool{}
	for _, fid := range s.IDs() {
		for _, st := range s.flows[fid].Steps {
			if rec, ok := st.(*saveRecord); ok && rec.kind == kind {
				for _, f := range rec.fields {
					if !seen[f] {
						seen[f] = true
						out = append(out, f)
					}
				}
			}
		}
	}
	return out
}

// builtinCommand tells whether the word tables take word as one of the
// engine's commands (help, cancel, language), which a flow cannot take.
func builtinCommand(word string) bool {
	_, ok := match.BuiltinWords().Command(word)
	return ok
}
