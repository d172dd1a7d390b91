package flows

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"text/template"
)

// Step is one step of a flow. Each kind is a small type in this package;
// actions run and move on, asks send a question and wait for the answer.
type Step interface {
	ID() string
	// Targets lists the step ids this step can go to.
	Targets() []string
	// Messages lists the message ids this step shows.
	Messages() []string
}

// action is a step that runs at once and names the next step ("" ends the flow).
type action interface {
	Step
	run(r *run) string
}

// asker is a step that asks the user and waits.
type asker interface {
	Step
	// question renders the question with its options.
	question(r *run) Reply
	// answer reads in: it saves what it understood and returns the next step,
	// or returns a retry naming the message that explains what to send.
	answer(r *run, in Input) (next string, retry *retry)
	// saves names the field the answer is saved in ("" for none).
	saves() string
}

// retry is a re-prompt: the message to show before the question again.
type retry struct {
	msg  string
	data map[string]string
}

// stepSpec is a step as written in a flow file; build turns it into its kind.
type stepSpec struct {
	ID   string `yaml:"id"`
	Type string `yaml:"type"`
	Next string `yaml:"next"`

	Message string       `yaml:"message"` // send, end
	Tag     string       `yaml:"tag"`     // send: a template naming what the message belongs to, for counting its delivery
	Buttons []buttonSpec `yaml:"buttons"` // send: buttons that start a flow by its command, without waiting for an answer
	Prompt  string       `yaml:"prompt"`  // asks
	Error   string       `yaml:"error"`   // asks: message shown before the question on bad input
	Save    string       `yaml:"save"`    // asks: field the answer goes in

	Options []optionSpec `yaml:"options"` // ask_choice
	Return  string       `yaml:"return"`  // ask_choice: after the chosen step is answered, come back here
	Words   string       `yaml:"words"`   // ask_choice: a word list (locales/words) naming option values in typed answers
	Rating  bool         `yaml:"rating"`  // ask_choice: options valued 1..5 also take a rating typed as words or stars ("अच्छा लगा", "4/5")
	Prefill string       `yaml:"prefill"` // ask_choice: a field whose text, when set, answers the step without asking
	Other   string       `yaml:"other"`   // ask_choice with prefill: the option for a prefilled text the word list does not name
	Note    string       `yaml:"note"`    // ask_choice with prefill: the field that keeps the prefilled text

	Maybe   bool              `yaml:"maybe"`    // ask_yesno: offer "not sure"
	Labels  map[string]string `yaml:"labels"`   // ask_yesno: message ids for yes, no, maybe
	OnYes   string            `yaml:"on_yes"`   // ask_yesno
	OnNo    string            `yaml:"on_no"`    // ask_yesno
	OnMaybe string            `yaml:"on_maybe"` // ask_yesno

	Min    *int64 `yaml:"min"`     // ask_number
	Max    *int64 `yaml:"max"`     // ask_number
	MaxLen int    `yaml:"max_len"` // ask_text
	Future bool   `yaml:"future"`  // ask_date: today or later only
	Past   bool   `yaml:"past"`    // ask_date: today or earlier only (something that happened)
	Button string `yaml:"button"`  // ask_phone, ask_location: label of the share button

	// ask_text: the answer is a name, place or reason, so it needs a letter.
	// (An ask_text of max_len DefaultMaxLen or more keeps line breaks.)
	Letters bool `yaml:"letters"`
	// ask_text: a file (a voice note, a photo) answers too (<save>_file_id, <save>_file_name).
	OrFile bool `yaml:"or_file"`
	// ask_text: the answer is a person's name; the words around it ("मेरा
	// नाम … है") are left out (match.PersonName).
	PersonName bool `yaml:"person_name"`

	Field   string            `yaml:"field"`   // branch, set_language
	Cases   map[string]string `yaml:"cases"`   // branch: value -> step
	Default string            `yaml:"default"` // branch
	Set     map[string]string `yaml:"set"`     // set: field -> value
	Flow    string            `yaml:"flow"`    // start_flow
	Record  string            `yaml:"record"`  // save_record: kind of record
	Fields  []string          `yaml:"fields"`  // save_record
	Key     string            `yaml:"key"`     // save_record: the record's key, a template ("{{.phone}}")
	Global  bool              `yaml:"global"`  // set: write the conversation's fields even from a local flow

	Call string            `yaml:"call"` // call: the service to call
	Args map[string]string `yaml:"args"` // call: arguments, templates over the fields
	On   map[string]string `yaml:"on"`   // call: result status -> step

	From string `yaml:"from"` // ask_list: field holding the items, separated by "|"

	File     string `yaml:"file"`     // send_file: field holding the file, base64
	FileID   string `yaml:"file_id"`  // send_file: instead, the channel's id of a file sent before (a template)
	Optional bool   `yaml:"optional"` // ask_file, ask_date: "no" ("पता नहीं" too, for a date) goes on without one
	Document bool   `yaml:"document"` // ask_file: a document only (a sheet): a photo or a voice note is asked for again
	Name     string `yaml:"name"`     // send_file: file name, a template

	OrText string `yaml:"or_text"` // ask_location: field for typed text instead
	OnText string `yaml:"on_text"` // ask_location: step after typed text
}

// buttonSpec is an action button of a send step: pressing it is like
// typing the command.
type buttonSpec struct {
	Label   string `yaml:"label"`   // message id
	Command string `yaml:"command"` // e.g. "/checkin"
}

type optionSpec struct {
	Value   string   `yaml:"value"`
	Label   string   `yaml:"label"`   // message id
	Aliases []string `yaml:"aliases"` // more words that pick this option
	Next    string   `yaml:"next"`
}

// maxChoiceData is Telegram's limit on callback data.
const maxChoiceData = 64

func (s stepSpec) build(flowID string) (Step, error) {
	b := base{id: s.ID, next: s.Next}
	a := askBase{base: b, prompt: s.Prompt, errMsg: s.Error, save: s.Save}
	var st Step
	switch s.Type {
	case "send":
		snd := &send{base: b, message: s.Message, buttons: s.Buttons}
		for _, bt := range s.Buttons {
			if bt.Label == "" || !strings.HasPrefix(bt.Command, "/") {
				return nil, fmt.Errorf("a button needs a label and a /command")
			}
		}
		if s.Tag != "" {
			tag, err := parseTemplate(s.Tag)
			if err != nil {
				return nil, fmt.Errorf("tag: %w", err)
			}
			snd.tag = tag
		}
		st = snd
	case "end":
		st = &end{base: base{id: s.ID}, message: s.Message}
	case "branch":
		st = &branch{base: b, field: s.Field, cases: s.Cases, otherwise: s.Default}
	case "set":
		st = &set{base: b, values: s.Set, global: s.Global}
	case "set_language":
		st = &setLanguage{base: b, field: s.Field}
	case "start_flow":
		st = &startFlow{base: b, Flow: s.Flow}
	case "save_record":
		rec := &saveRecord{base: b, kind: s.Record, fields: s.Fields}
		if s.Key != "" {
			k, err := parseTemplate(s.Key)
			if err != nil {
				return nil, fmt.Errorf("key: %w", err)
			}
			rec.key = k
		}
		st = rec
	case "call":
		c, err := newCallStep(b, s)
		if err != nil {
			return nil, err
		}
		st = c
	case "send_file":
		if (s.File == "") == (s.FileID == "") || s.Name == "" {
			return nil, fmt.Errorf("send_file needs a name, and file or file_id")
		}
		sf := &sendFile{base: b, message: s.Message, field: s.File}
		for _, t := range []struct {
			text string
			to   **template.Template
		}{{s.Name, &sf.name}, {s.FileID, &sf.fileID}, {s.Tag, &sf.tag}} {
			if t.text == "" {
				continue
			}
			tpl, err := parseTemplate(t.text)
			if err != nil {
				return nil, err
			}
			*t.to = tpl
		}
		st = sf
	case "ask_file":
		st = &askFile{askBase: a, optional: s.Optional, document: s.Document}
	case "ask_list":
		st = &askList{askBase: a, from: s.From}
	case "ask_choice":
		c := &askChoice{askBase: a, ret: s.Return, words: s.Words, rating: s.Rating, prefill: s.Prefill, other: s.Other, note: s.Note}
		for _, o := range s.Options {
			c.options = append(c.options, choiceOption{value: o.Value, label: o.Label, aliases: o.Aliases, next: o.Next})
		}
		st = c
	case "ask_yesno":
		if s.OnMaybe != "" && !s.Maybe {
			return nil, fmt.Errorf("on_maybe needs maybe: true")
		}
		st = newAskYesNo(a, s)
	case "ask_number":
		st = &askNumber{askBase: a, min: s.Min, max: s.Max}
	case "ask_text":
		st = &askText{askBase: a, maxLen: s.MaxLen, letters: s.Letters, orFile: s.OrFile, name: s.PersonName}
	case "ask_date":
		st = &askDate{askBase: a, future: s.Future, past: s.Past, optional: s.Optional}
	case "ask_phone":
		st = &askPhone{askBase: a, button: s.Button}
	case "ask_location":
		st = &askLocation{askBase: a, button: s.Button, orText: s.OrText, onText: s.OnText}
	case "":
		return nil, fmt.Errorf("step has no type")
	default:
		return nil, fmt.Errorf("unknown step type %q", s.Type)
	}
	if v, ok := st.(interface{ validate(flowID string) error }); ok {
		if err := v.validate(flowID); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// base is what every step has.
type base struct {
	id   string
	next string
}

func (b *base) ID() string { return b.id }

func (b *base) Targets() []string { return nonEmpty(b.next) }

func nonEmpty(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

// send shows a message and goes on.
type send struct {
	base
	message string
	tag     *template.Template
	buttons []buttonSpec
}

func (s *send) Messages() []string {
	out := nonEmpty(s.message)
	for _, b := range s.buttons {
		out = append(out, b.Label)
	}
	return out
}
func (s *send) validate(string) error {
	if s.message == "" {
		return fmt.Errorf("send needs a message")
	}
	return nil
}
func (s *send) run(r *run) string {
	r.say(s.message, nil)
	for _, b := range s.buttons {
		last := &r.out[len(r.out)-1]
		last.Options = append(last.Options, Option{Data: commandChoice + b.Command, Label: r.label(b.Label)})
	}
	if s.tag != nil {
		r.out[len(r.out)-1].Tag = render(s.tag, r.fieldData())
	}
	return s.next
}

// end shows an optional message and ends the flow.
type end struct {
	base
	message string
}

func (s *end) Messages() []string { return nonEmpty(s.message) }
func (s *end) run(r *run) string {
	if s.message != "" {
		r.say(s.message, nil)
	}
	return ""
}

// branch goes to the step named for a saved field's value.
type branch struct {
	base
	field     string
	cases     map[string]string
	otherwise string
}

func (s *branch) Messages() []string { return nil }
func (s *branch) Targets() []string {
	keys := make([]string, 0, len(s.cases))
	for k := range s.cases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		out = append(out, s.cases[k])
	}
	return append(out, nonEmpty(s.otherwise, s.next)...)
}
func (s *branch) validate(string) error {
	if s.field == "" || len(s.cases) == 0 {
		return fmt.Errorf("branch needs a field and cases")
	}
	return nil
}
func (s *branch) run(r *run) string {
	if to, ok := s.cases[r.get(s.field)]; ok {
		return to
	}
	if s.otherwise != "" {
		return s.otherwise
	}
	return s.next
}

// set writes fixed values into fields.
type set struct {
	base
	values map[string]string
	global bool
}

func (s *set) Messages() []string { return nil }
func (s *set) run(r *run) string {
	for k, v := range s.values {
		if s.global {
			r.setGlobal(k, v)
		} else {
			r.setField(k, v)
		}
	}
	return s.next
}

// setLanguage switches the conversation to the language saved in a field.
type setLanguage struct {
	base
	field string
}

func (s *setLanguage) Messages() []string { return nil }
func (s *setLanguage) run(r *run) string {
	if lang := r.get(s.field); r.e.hasLanguage(lang) {
		r.st.Lang = lang
		r.data = nil // labels and kept texts in the new language
	}
	return s.next
}

// startFlow runs another flow; when it ends, this flow goes on at next.
type startFlow struct {
	base
	Flow string
}

func (s *startFlow) Messages() []string { return nil }
func (s *startFlow) validate(string) error {
	if s.Flow == "" {
		return fmt.Errorf("start_flow needs a flow")
	}
	return nil
}
func (s *startFlow) run(r *run) string {
	r.push(s.Flow, s.next)
	return r.e.set.Flow(s.Flow).Start()
}

// saveRecord emits a record of saved fields for the store to keep.
type saveRecord struct {
	base
	kind   string
	fields []string
	key    *template.Template // nil: the conversation's channel:user
}

func (s *saveRecord) Messages() []string { return nil }
func (s *saveRecord) validate(string) error {
	if s.kind == "" || len(s.fields) == 0 {
		return fmt.Errorf("save_record needs a record kind and fields")
	}
	return nil
}
func (s *saveRecord) run(r *run) string {
	rec := Record{Kind: s.kind, Key: r.in.Channel + ":" + r.in.User, Fields: map[string]string{}}
	if s.key != nil {
		rec.Key = render(s.key, r.fieldData())
	}
	data := r.fieldData() // fields, and the labels of chosen options (<field>_label)
	for _, f := range s.fields {
		rec.Fields[f] = data[f]
	}
	r.records = append(r.records, rec)
	return s.next
}

// sendFile sends a document a call produced (a field holding it, base64),
// with a message as its caption.
type sendFile struct {
	base
	message string
	field   string             // base64 data
	fileID  *template.Template // or a file id
	name    *template.Template
	tag     *template.Template
}

func (s *sendFile) Messages() []string { return nonEmpty(s.message) }

// run sends the file with the message as caption; without a file (an
// empty field or id), the message alone.
func (s *sendFile) run(r *run) string {
	data := r.fieldData()
	reply := Reply{}
	if s.message != "" {
		reply.Text = r.text(s.message, nil)
	}
	switch {
	case s.fileID != nil:
		if id := render(s.fileID, data); id != "" {
			reply.File = &File{ID: id, Name: render(s.name, data)}
		}
	default:
		if raw, err := base64.StdEncoding.DecodeString(r.get(s.field)); err == nil && len(raw) > 0 {
			reply.File = &File{Name: render(s.name, data), Data: raw}
		}
		r.setField(s.field, "") // the file goes out with the reply, not into the state
	}
	if s.tag != nil {
		reply.Tag = render(s.tag, data)
	}
	if reply.File != nil || reply.Text != "" {
		r.out = append(r.out, reply)
	}
	return s.next
}
