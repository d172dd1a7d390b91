package flows

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/saathi-bot/saathi/flows/clean"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
)

// State is one user's conversation: where they are and what they have said.
type State struct {
	// Version counts committed transitions; the store uses it for compare-and-set.
	Version int64             `json:"v"`
	Lang    string            `json:"lang,omitempty"`
	Stack   []Frame           `json:"stack,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Seen is when the user last wrote, in Unix seconds.
	Seen int64 `json:"seen,omitempty"`
	// Reopen holds the options of the last keyed question answered (an
	// invitation's), so that "1" or "हाँ" typed later, with nothing else
	// waiting, changes that answer — buttons do it on Telegram; on a channel
	// of numbered options, this does.
	Reopen []Option `json:"reopen,omitempty"`
}

// Frame is one running flow. The top of the stack is the flow being
// answered; a frame below it waits at Step, the step it goes on at when the
// flows above it end ("" ends it too).
type Frame struct {
	Flow   string `json:"f"`
	Step   string `json:"s"`
	Tries  int    `json:"t,omitempty"`
	Return string `json:"r,omitempty"` // after the next answer, go here (correcting one answer from a summary)
	// Vars are the fields of a local flow (one started by an event, such as
	// an invitation to one training): they live and die with the frame.
	Vars map[string]string `json:"vars,omitempty"`
}

// Record is data a flow asks the store to keep beside the conversation,
// committed in the same transition.
type Record struct {
	Kind   string            `json:"kind"`
	Key    string            `json:"key"`
	Fields map[string]string `json:"fields"`
}

// Result is what one input did.
type Result struct {
	State   State
	Replies []Reply
	Records []Record
}

// Engine runs flows. It is safe for concurrent use. Step reads no clock,
// store or network of its own: what a flow needs from outside it asks of
// the Services the engine was given, through call steps.
type Engine struct {
	set      *Set
	cat      *locales.Catalog
	services Services
	// optionLabels holds, per choice step, every label of each option in
	// every language plus its aliases, for matching typed answers.
	optionLabels map[*askChoice][][]string
	// savedBy maps a flow and field ("flow\x00field"), and a field alone,
	// to the choice or date step that saves it, to show a saved value by its
	// label.
	savedBy map[string]asker
	// calls marks the flows that may reach a call step; callsAfter, the
	// questions whose answer may lead to one.
	calls      map[string]bool
	callsAfter map[string]map[string]reach
	// words are the word lists typed answers are matched against
	// (locales/words): the decline reasons, …
	words match.Lexicon
	// tables are the word tables replies are read with (yes and no,
	// commands, numbers, dates, …): the built-in ones, or with a
	// coordinator's words added (WithTables).
	tables *match.Words
	// observe, when set, is shown every step's input and result (tests
	// scan the replies of every conversation for English).
	observe func(before State, in Input, res Result)
	// plain are the channels that show no buttons: their options come as
	// numbered lines and a contact or location is typed or attached.
	plain map[string]bool
	// rendered keeps option and button labels as rendered: they depend only
	// on the language, the id and the person's gender, and a step shows or
	// names many of them (every saved choice has its _label).
	rendered *sync.Map // labelKey → string
}

// labelKey is a rendered label's language, message id and gender.
type labelKey struct{ lang, id, gender string }

// maxStepsPerInput stops a flow that loops without asking anything.
const maxStepsPerInput = 200

// NewEngine prepares an engine for set, with texts from cat.
func NewEngine(set *Set, cat *locales.Catalog) *Engine {
	e := &Engine{set: set, cat: cat, optionLabels: map[*askChoice][][]string{}, savedBy: map[string]asker{}, calls: flowsThatCall(set, anyCall), rendered: &sync.Map{}, tables: match.BuiltinWords()}
	if words, err := locales.LoadWords(); err == nil { // the built-in lists load (a locales test checks it)
		e.words = words
	}
	e.callsAfter = callsAfterAsks(set, e.calls, anyCall)
	for _, fid := range set.IDs() {
		for _, st := range set.Flow(fid).Steps {
			var c *askChoice
			switch s := st.(type) {
			case *askChoice:
				c = s
			case *askYesNo:
				c = &s.askChoice
			case *askDate:
				e.remember(fid, s.save, s)
			case *askPhone:
				e.remember(fid, s.save, s)
			}
			if c == nil {
				continue
			}
			e.remember(fid, c.save, st.(asker))
			labels := make([][]string, len(c.options))
			for i, o := range c.options {
				for _, lang := range cat.Languages() {
					for _, g := range genderForms {
						if l := cat.Text(lang, o.label, g); !slices.Contains(labels[i], l) {
							labels[i] = append(labels[i], l)
						}
					}
				}
				labels[i] = append(labels[i], o.aliases...)
			}
			e.optionLabels[c] = labels
		}
	}
	return e
}

// WithServices returns a copy of the engine whose call steps go to s.
// When s says which of its calls only read (ReadOnly), MayCall looks past
// those.
func (e *Engine) WithServices(s Services) *Engine {
	c := *e
	c.services = s
	effect := anyCall
	if ro, ok := s.(ReadOnly); ok {
		effect = func(name string) bool { return !ro.ReadOnly(name) }
	}
	c.calls = flowsThatCall(c.set, effect)
	c.callsAfter = callsAfterAsks(c.set, c.calls, effect)
	return &c
}

// WithWords returns a copy of e that matches typed answers against words
// (locales.LoadWords with a coordinator's own lists) instead of the
// built-in lists.
func (e *Engine) WithWords(words match.Lexicon) *Engine {
	c := *e
	c.words = words
	return &c
}

// WithTables returns a copy of e that reads replies with tables
// (locales.LoadTables with a coordinator's own words) instead of the
// built-in tables.
func (e *Engine) WithTables(tables *match.Words) *Engine {
	c := *e
	c.tables = tables
	return &c
}

// WithPlainChannels returns a copy of the engine that renders messages for
// chats on these channels with the template field "plain" set, so that a
// text can say "type your number" there instead of "press the button below":
// {{if .plain}}…{{else}}…{{end}}. The flows stay the same on every channel.
func (e *Engine) WithPlainChannels(channels ...string) *Engine {
	c := *e
	c.plain = make(map[string]bool, len(channels))
	for _, ch := range channels {
		c.plain[ch] = true
	}
	return &c
}

// Set is the engine's flows.
func (e *Engine) Set() *Set { return e.set }

// remember that a saves field in flow fid: under the flow and field, and
// under the field alone for the first flow that saves it.
func (e *Engine) remember(fid, field string, a asker) {
	if field == "" {
		return
	}
	e.savedBy[fid+"\x00"+field] = a
	if e.savedBy[field] == nil {
		e.savedBy[field] = a
	}
}

// saverOf is the step that saves field k, in flow fid if it has one (two
// flows may save the same field with other options), else in any flow.
func (e *Engine) saverOf(fid, k string) asker {
	if a, ok := e.savedBy[fid+"\x00"+k]; ok {
		return a
	}
	return e.savedBy[k]
}

func (e *Engine) labels(s any) [][]string {
	switch c := s.(type) {
	case *askChoice:
		return e.optionLabels[c]
	case *askYesNo:
		return e.optionLabels[&c.askChoice]
	}
	return nil
}

func (e *Engine) hasLanguage(lang string) bool {
	for _, l := range e.cat.Languages() {
		if l == lang {
			return true
		}
	}
	return false
}

// Step applies one input to a state at time now. Its only error is a failed
// call to the engine's services; then nothing of the step may be kept.
func (e *Engine) Step(ctx context.Context, st State, in Input, now time.Time) (Result, error) {
	r := &run{ctx: ctx, e: e, st: st, in: cleanInput(in), now: now}
	r.st.Stack = make([]Frame, len(st.Stack))
	for i, f := range st.Stack {
		f.Vars = maps.Clone(f.Vars)
		r.st.Stack[i] = f
	}
	r.st.Fields = maps.Clone(st.Fields)
	if r.st.Fields == nil {
		r.st.Fields = map[string]string{}
	}
	if r.st.Lang == "" && in.Lang != "" && e.hasLanguage(in.Lang) {
		r.st.Lang = in.Lang
	}
	r.handle()
	if r.err != nil {
		return Result{}, r.err
	}
	r.st.Seen = now.Unix()
	res := Result{State: r.st, Replies: r.out, Records: r.records}
	if e.observe != nil {
		e.observe(st, r.in, res)
	}
	return res, nil
}

// WithObserver returns a copy of e that shows observe every step it takes:
// the state before, the input and the result (nil for none). Tests use it
// to read every reply of every conversation.
func (e *Engine) WithObserver(observe func(before State, in Input, res Result)) *Engine {
	c := *e
	c.observe = observe
	return &c
}

// cleanInput cleans what a person typed or named (see package clean)
// before any step reads it: text (line breaks kept; an ask_text decides
// whether its answer may have them), display name and file name.
func cleanInput(in Input) Input {
	in.Text = clean.Text(in.Text, true)
	in.Name = clean.Text(in.Name, false)
	if in.File != nil {
		f := *in.File
		f.Name = clean.Text(f.Name, false)
		in.File = &f
	}
	return in
}

// run is one input being applied.
type run struct {
	ctx     context.Context
	err     error // a failed service call: the step is void
	e       *Engine
	st      State
	in      Input
	now     time.Time
	out     []Reply
	records []Record
	data    map[string]string
	pending string // a reopened flow's button, to answer when its step is reached
}

func (r *run) handle() {
	if cmd, arg, ok := r.e.command(r.in.Text); ok && r.in.Choice == "" && r.in.Event == nil {
		r.command(cmd, arg)
		return
	}
	if r.in.Event != nil {
		r.event(r.in.Event)
		return
	}
	if cmd, ok := strings.CutPrefix(r.in.Choice, commandChoice); ok {
		// An action button: as if the command were typed.
		r.in.Choice, r.in.Text = "", cmd
		if c, arg, ok := r.e.command(cmd); ok {
			r.command(c, arg)
			return
		}
		if fid, arg, ok := r.e.set.command(cmd, r.e.tables); ok {
			r.startOnTop(fid, map[string]string{"arg": arg})
			return
		}
		r.say("common.stale_button", nil)
		r.reask()
		return
	}
	if fid, arg, ok := r.e.set.command(r.in.Text, r.e.tables); ok && r.in.Choice == "" && !r.expects(r.in.Text) {
		r.startOnTop(fid, map[string]string{"arg": arg})
		return
	}
	if r.in.Choice != "" && r.reopen() {
		return
	}
	if len(r.st.Stack) == 0 && r.in.Choice == "" && r.in.Text != "" && len(r.st.Reopen) > 0 {
		if data, ok := r.reopenByText(); ok {
			text := r.in.Text
			r.in.Choice, r.in.Text = data, ""
			if r.reopen() {
				return
			}
			r.in.Choice, r.in.Text = "", text
		}
	}
	// A photo (a File on WhatsApp) is for a question that asks for a file
	// only; elsewhere it is media where text was expected.
	if f := r.in.File; f != nil && r.in.Media == "document" && r.e.set.document != "" && !r.waitsForFile() {
		r.startOnTop(r.e.set.document, map[string]string{"file_id": f.ID, "file_name": f.Name})
		return
	}
	if r.expired() {
		r.st.Stack = nil
		r.say("common.expired", nil)
		r.startEntry()
		return
	}
	if len(r.st.Stack) == 0 {
		r.startEntry()
		return
	}
	top := r.top()
	ask, ok := r.e.set.Flow(top.Flow).stepOrNil(top.Step).(asker)
	if !ok {
		// The flow changed under a waiting user: start afresh rather than fail.
		r.st.Stack = nil
		r.startEntry()
		return
	}
	if r.in.Choice != "" && !r.choiceIsFor(top) {
		if !r.raiseFrameOf(r.in.Choice) {
			r.say("common.stale_button", nil)
			r.reask()
			return
		}
		top = r.top()
		ask = r.e.set.Flow(top.Flow).stepOrNil(top.Step).(asker)
	}
	// Media where a file is asked for is the question's to answer (and to
	// ask again for, in its own words: "a sheet, not a photo").
	_, asksFile := ask.(*askFile)
	if r.in.Media != "" && r.in.Text == "" && r.in.Choice == "" && r.in.Contact == nil && r.in.Location == nil &&
		!(r.in.File != nil && r.waitsForFile()) && !asksFile {
		r.say("common.media_hint", map[string]string{"what": r.label("media." + r.in.Media)})
		r.reask()
		return
	}
	offer := r.offerOf(top, ask)
	next, bad := ask.answer(r, r.in)
	if bad == nil {
		r.st.Reopen = offer
	}
	if bad != nil {
		top.Tries++
		if top.Tries >= r.e.set.Flow(top.Flow).MaxTries {
			r.st.Stack = nil
			r.say("common.gave_up", nil)
			return
		}
		r.say(bad.msg, bad.data)
		if left := r.e.set.Flow(top.Flow).MaxTries - top.Tries; left == 1 {
			last := &r.out[len(r.out)-1]
			last.Text += " " + r.e.cat.Plural(r.lang(), "common.tries_left", left, nil)
		}
		r.reask()
		return
	}
	ret := top.Return
	top.Return = ""
	if c, ok := ask.(*askChoice); ok && c.ret != "" {
		top.Return = c.ret
	} else if ret != "" {
		next = ret
	}
	r.goTo(next)
}

// goTo enters step next of the top flow and runs until a question waits or
// every flow has ended.
func (r *run) goTo(next string) {
	for range maxStepsPerInput {
		if len(r.st.Stack) == 0 {
			return
		}
		if next == "" { // this flow is done: the one below goes on
			r.st.Stack = r.st.Stack[:len(r.st.Stack)-1]
			r.data = nil // the fields in view change with the frame
			if len(r.st.Stack) == 0 {
				return
			}
			next = r.top().Step
			continue
		}
		top := r.top()
		top.Step, top.Tries = next, 0
		switch st := r.e.set.Flow(top.Flow).Step(next).(type) {
		case asker:
			if l, ok := st.(interface{ empty(*run) bool }); ok && l.empty(r) {
				// No possible answer: go on as if answered with nothing.
				next, _ = st.answer(r, Input{})
				continue
			}
			if p, ok := st.(interface{ prefilled(*run) (string, bool) }); ok {
				// Answered already, in an earlier reply ("नहीं आ पाऊँगी,
				// बेटी की शादी है" answers the reason too).
				if n, done := p.prefilled(r); done {
					next = n
					continue
				}
			}
			if r.pending != "" && r.choiceIsFor(top) {
				// A button of a flow that was reopened: answer it at once.
				r.pending = ""
				n, bad := st.answer(r, r.in)
				if bad == nil {
					next = n
					continue
				}
			}
			r.pending = ""
			r.out = append(r.out, st.question(r))
			return
		case action:
			next = st.run(r)
			if r.err != nil {
				return
			}
		}
	}
	// A loop without questions: Load refuses flows that have one, so this
	// is a last guard, not the check.
	r.st.Stack = nil
	r.say("common.gave_up", nil)
}

func (r *run) top() *Frame { return &r.st.Stack[len(r.st.Stack)-1] }

// push starts flow id above the current one, which goes on at cont when it ends.
func (r *run) push(id, cont string) {
	if len(r.st.Stack) > 0 {
		r.top().Step = cont
	}
	r.st.Stack = append(r.st.Stack, Frame{Flow: id})
	r.data = nil
}

// waitsForFile tells whether the waiting question asks for a document.
func (r *run) waitsForFile() bool {
	if len(r.st.Stack) == 0 {
		return false
	}
	top := r.top()
	switch s := r.e.set.Flow(top.Flow).stepOrNil(top.Step).(type) {
	case *askFile:
		return true
	case *askText:
		return s.orFile
	}
	return false
}

// startOnTop starts flow id with vars above whatever is waiting; the
// waiting question is asked again when it ends.
func (r *run) startOnTop(id string, vars map[string]string) {
	f := r.e.set.Flow(id)
	if f == nil {
		return
	}
	if r.expired() {
		r.st.Stack = nil
	}
	if len(r.st.Stack) > 0 && r.top().Flow == id {
		// Started again while it waits ("हाज़िरी 4821" at the check-in's
		// own question): afresh, not above itself to be asked again after.
		r.st.Stack = r.st.Stack[:len(r.st.Stack)-1]
		r.data = nil
	}
	cont := ""
	if len(r.st.Stack) > 0 {
		cont = r.top().Step
	}
	r.push(id, cont)
	if f.Local {
		r.top().Vars = maps.Clone(vars)
		r.data = nil
	} else {
		for k, v := range vars {
			if v != "" {
				r.setField(k, v)
			}
		}
	}
	r.goTo(f.Start())
}

// event starts the flow an event names: an invitation, a reminder, a
// coordinator's prompt. A flow keyed like the event that is already waiting
// is replaced, not stacked twice.
func (r *run) event(ev *Event) {
	f := r.e.set.Flow(ev.Flow)
	if f == nil {
		return
	}
	if f.Key != "" {
		for i := len(r.st.Stack) - 1; i >= 0; i-- {
			fr := r.st.Stack[i]
			if fr.Flow == ev.Flow && fr.Vars[f.Key] == ev.Vars[f.Key] {
				r.st.Stack = append(r.st.Stack[:i], r.st.Stack[i+1:]...)
			}
		}
	}
	r.startOnTop(ev.Flow, ev.Vars)
}

// offerOf is what to keep as Reopen after ask is answered: the options of
// a keyed yes/no question; for a keyed flow's other questions (the reason
// of a "no") what was kept; for anything else, nothing.
func (r *run) offerOf(top *Frame, ask asker) []Option {
	f := r.e.set.Flow(top.Flow)
	if f == nil || f.Key == "" {
		return nil
	}
	if _, ok := ask.(*askYesNo); ok { // the flow's main question (an invitation's), not a follow-up
		return ask.question(r).Options
	}
	return r.st.Reopen
}

// reopenByText reads typed text as one of the Reopen options: its number,
// its label, or (for yes/no/maybe options) any way of saying so.
func (r *run) reopenByText() (string, bool) {
	labels := make([][]string, len(r.st.Reopen))
	for i, o := range r.st.Reopen {
		labels[i] = []string{o.Label}
	}
	if i, ok := match.Option(r.in.Text, labels); ok {
		return r.st.Reopen[i].Data, true
	}
	want := map[match.Answer]string{match.Yes: AnswerYes, match.No: AnswerNo, match.Maybe: AnswerMaybe}[r.e.tables.YesNo(r.in.Text)]
	for _, o := range r.st.Reopen {
		if want != "" && r.choiceValue(Input{Choice: o.Data}) == want {
			return o.Data, true
		}
	}
	return "", false
}

// raiseFrameOf moves the waiting frame a pressed button belongs to on top,
// so an answer to an earlier question still counts after another flow
// (an invitation, say) came in on top of it.
func (r *run) raiseFrameOf(choice string) bool {
	for i := len(r.st.Stack) - 2; i >= 0; i-- {
		f := r.st.Stack[i]
		if r.choiceIsFor(&f) {
			r.st.Stack = append(append(r.st.Stack[:i:i], r.st.Stack[i+1:]...), f)
			r.data = nil
			return true
		}
	}
	return false
}

// reopen handles a button of a keyed flow whose frame is gone (an
// invitation answered yesterday, answered again today): the flow starts
// afresh for that key and the button answers its question.
func (r *run) reopen() bool {
	flowStep, rest, ok := strings.Cut(r.in.Choice, ":")
	_, key, keyed := strings.Cut(rest, "@")
	fid, _, _ := strings.Cut(flowStep, ".")
	f := r.e.set.Flow(fid)
	if !ok || !keyed || f == nil || f.Key == "" || !f.Local {
		return false
	}
	for _, fr := range r.st.Stack {
		if r.choiceIsFor(&fr) {
			return false
		}
	}
	r.pending = r.in.Choice
	r.event(&Event{Flow: fid, Vars: map[string]string{f.Key: key}})
	return true
}

func (r *run) startEntry() {
	r.push(EntryFlow, "")
	r.goTo(r.e.set.Flow(EntryFlow).Start())
}

// reask shows the waiting question again.
func (r *run) reask() {
	if len(r.st.Stack) == 0 {
		return
	}
	top := r.top()
	if ask, ok := r.e.set.Flow(top.Flow).stepOrNil(top.Step).(asker); ok {
		r.out = append(r.out, ask.question(r))
	}
}

// expects tells whether the question waiting takes text as one of its
// options: word for word (a label or an alias, in any language), or as the
// step's option reader takes it ("present ji" at a question offering
// "present"). Then a flow's word command that reads the same ("बंद करो" as
// an option, "present ji" as a check-in) is that answer, not the command.
// A /command is always the command.
func (r *run) expects(text string) bool {
	if len(r.st.Stack) == 0 || strings.HasPrefix(strings.TrimSpace(text), "/") || r.expired() {
		return false
	}
	top := r.top()
	f := r.e.set.Flow(top.Flow)
	if f == nil {
		return false
	}
	want := match.Normalize(text)
	options := r.e.labels(f.stepOrNil(top.Step))
	for _, labels := range options {
		for _, l := range labels {
			if match.Normalize(l) == want {
				return true
			}
		}
	}
	_, ok := match.Option(text, options)
	return ok
}

func (r *run) expired() bool {
	if len(r.st.Stack) == 0 || r.st.Seen == 0 {
		return false
	}
	f := r.e.set.Flow(r.top().Flow)
	if f == nil {
		return true
	}
	return r.now.Sub(time.Unix(r.st.Seen, 0)) > f.IdleTimeout
}

// Global commands, understood at any step.
const (
	cmdStart    = "start"
	cmdHelp     = "help"
	cmdCancel   = "cancel"
	cmdLanguage = "language"
)

// slashCommands are the channels' commands ("/help"); the words people
// type for them ("मदद", "help karo") are the word tables' (commands.yaml).
var slashCommands = map[string]string{
	"/start": cmdStart, "/help": cmdHelp, "/cancel": cmdCancel, "/language": cmdLanguage, "/lang": cmdLanguage,
}

// command recognises a global command and its argument ("/start abc").
func (e *Engine) command(text string) (cmd, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", "", false
	}
	word, rest, _ := strings.Cut(text, " ")
	if strings.HasPrefix(word, "/") {
		word, _, _ = strings.Cut(strings.ToLower(word), "@")
		cmd, ok = slashCommands[word]
		return cmd, strings.TrimSpace(rest), ok
	}
	// A command word, in any common form: "help karo", "मदद चाहिए", "बस करो", "english mein".
	switch c, ok := e.tables.Command(text); {
	case !ok:
		return "", "", false
	case c == match.CmdEnglish:
		return cmdLanguage, "en", true
	case c == match.CmdHindi:
		return cmdLanguage, "hi", true
	default:
		return c, "", true // match's help, cancel and language are the engine's
	}
}

func (r *run) command(cmd, arg string) {
	switch cmd {
	case cmdStart:
		r.st.Stack = nil
		if arg != "" {
			r.setField("start", arg)
		}
		r.startEntry()
	case cmdHelp:
		r.say("common.help", nil)
		r.reask()
	case cmdCancel:
		if len(r.st.Stack) == 0 {
			r.say("common.nothing_to_cancel", nil)
			return
		}
		r.st.Stack = nil
		r.say("common.cancelled", nil)
	case cmdLanguage:
		if arg != "" && r.e.hasLanguage(arg) { // "english mein": switch at once
			r.st.Lang = arg
			r.say("language.changed", nil)
			if len(r.st.Stack) > 0 && r.top().Flow == LanguageFlow {
				r.goTo("") // it answers the language question: the one below goes on
				return
			}
			r.reask()
			return
		}
		cont := ""
		if len(r.st.Stack) > 0 {
			cont = r.top().Step
		}
		r.push(LanguageFlow, cont)
		r.goTo(r.e.set.Flow(LanguageFlow).Start())
	}
}

// call asks the engine's services for something; a failure voids the step.
func (r *run) call(name string, args map[string]string) (CallResult, bool) {
	if r.e.services == nil {
		r.err = fmt.Errorf("call %s: the engine has no services", name)
		return CallResult{}, false
	}
	res, err := r.e.services.Call(r.ctx, name, Call{
		Channel: r.in.Channel, User: r.in.User, MsgID: r.in.ID, Lang: r.lang(), Now: r.now, Args: args,
	})
	if err != nil {
		r.err = fmt.Errorf("call %s: %w", name, err)
		return CallResult{}, false
	}
	return res, true
}

// say renders message id in the user's language and queues it.
func (r *run) say(id string, data map[string]string) {
	r.out = append(r.out, Reply{Text: r.text(id, data)})
}

// text renders message id with the saved fields plus data.
func (r *run) text(id string, data map[string]string) string {
	d := r.fieldData()
	if len(data) > 0 {
		d = maps.Clone(d)
		maps.Copy(d, data)
	}
	return r.e.cat.Text(r.lang(), id, d)
}

// label renders a short message such as an option's label. It may speak
// of the person in their grammatical gender ({{if eq .gender "f"}}आऊँगी…).
func (r *run) label(id string) string {
	gender := r.get("gender")
	if gender != "" && gender != "f" && gender != "m" {
		return r.e.cat.Text(r.lang(), id, map[string]string{"gender": gender}) // not kept: any value could come
	}
	k := labelKey{r.lang(), id, gender}
	if s, ok := r.e.rendered.Load(k); ok {
		return s.(string)
	}
	s := r.e.cat.Text(k.lang, id, map[string]string{"gender": gender})
	r.e.rendered.Store(k, s)
	return s
}

// genderForms are the data an option's label is rendered with to know
// every form it may be shown in: neutral, a woman's, a man's (the field
// gender, from the roster or registration: f, m, or empty).
var genderForms = []map[string]string{nil, {"gender": "f"}, {"gender": "m"}}

func (r *run) lang() string {
	if r.st.Lang == "" {
		return locales.Default
	}
	return r.st.Lang
}

// fieldData is the template data of the saved fields: each field, and for a
// field saved from options or as a date, <field>_label in the user's language.
func (r *run) fieldData() map[string]string {
	if r.data != nil {
		return r.data
	}
	d := make(map[string]string, 2*len(r.st.Fields))
	all := r.st.Fields
	if len(r.st.Stack) > 0 && len(r.top().Vars) > 0 {
		all = maps.Clone(r.st.Fields)
		maps.Copy(all, r.top().Vars)
	}
	if r.e.plain[r.in.Channel] {
		d["plain"] = "1"
	}
	fid := ""
	if len(r.st.Stack) > 0 {
		fid = r.top().Flow
	}
	for k, v := range all {
		d[k] = v
		switch s := r.e.saverOf(fid, k).(type) {
		case *askChoice:
			d[k+"_label"] = s.labelOf(r, v)
		case *askYesNo:
			d[k+"_label"] = s.labelOf(r, v)
		case *askPhone:
			d[k+"_label"] = locales.Phone(v)
		case *askDate:
			if t, err := time.ParseInLocation(DateLayout, v, locales.IST); err == nil && s.past {
				// What happened is shown with its year, so that a misread
				// year can be seen before it is sent.
				d[k+"_label"] = locales.DateWithYear(r.lang(), t)
			} else if err == nil {
				d[k+"_label"] = locales.Date(r.lang(), t, r.now)
			}
		}
	}
	// A field kept in every language (k@en, k@hi: what a service wrote for
	// each) is k in the conversation's language now.
	for k, v := range all {
		if base, lang, ok := strings.Cut(k, "@"); ok && lang == r.lang() {
			d[base] = v
		}
	}
	r.data = d
	return d
}

// setField saves a field: in the frame of a local flow, else in the
// conversation's fields.
func (r *run) setField(k, v string) {
	if len(r.st.Stack) > 0 {
		if f := r.e.set.Flow(r.top().Flow); f != nil && f.Local {
			top := r.top()
			if top.Vars == nil {
				top.Vars = map[string]string{}
			}
			top.Vars[k] = v
			r.data = nil
			return
		}
	}
	r.setGlobal(k, v)
}

// setGlobal saves a field in the conversation's fields, from any flow.
func (r *run) setGlobal(k, v string) {
	r.st.Fields[k] = v
	r.data = nil
}

// get reads a field: the local flow's own first, then the conversation's.
func (r *run) get(k string) string {
	if len(r.st.Stack) > 0 {
		if v, ok := r.top().Vars[k]; ok {
			return v
		}
	}
	return r.st.Fields[k]
}

// choiceData is the button data of value at the top step:
// "flow.step:value", and "@key" for a keyed flow.
func (r *run) choiceData(value string) string {
	top := r.top()
	d := choiceData(top.Flow, top.Step, value)
	if f := r.e.set.Flow(top.Flow); f != nil && f.Key != "" {
		d += "@" + top.Vars[f.Key]
	}
	return d
}

func choiceData(flow, step, value string) string { return flow + "." + step + ":" + value }

// ChoiceValue is the option value an Option's Data carries: "yes" for the
// invitation's "invite.ask:yes@T1"; "" for an action button ("cmd:/checkin").
func ChoiceValue(data string) string {
	if strings.HasPrefix(data, commandChoice) {
		return ""
	}
	_, v, ok := strings.Cut(data, ":")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, "@")
	return v
}

// commandChoice starts the data of an action button: "cmd:/checkin".
const commandChoice = "cmd:"

// choiceIsFor tells whether a pressed button belongs to the step frame f waits at.
func (r *run) choiceIsFor(f *Frame) bool {
	rest, ok := strings.CutPrefix(r.in.Choice, f.Flow+"."+f.Step+":")
	if !ok {
		return false
	}
	_, key, keyed := strings.Cut(rest, "@")
	if fl := r.e.set.Flow(f.Flow); fl != nil && fl.Key != "" {
		return keyed && key == f.Vars[fl.Key]
	}
	return !keyed
}

// choiceValue is the option value of a pressed button.
func (r *run) choiceValue(in Input) string {
	_, v, _ := strings.Cut(in.Choice, ":")
	v, _, _ = strings.Cut(v, "@")
	return v
}

func (f *Flow) stepOrNil(id string) Step {
	if f == nil {
		return nil
	}
	return f.index[id]
}
