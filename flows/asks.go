package flows

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saathi-bot/saathi/flows/clean"
	"github.com/saathi-bot/saathi/flows/match"
)

// askBase is what every ask has: a question, an optional custom error
// message, and the field the answer is saved in.
type askBase struct {
	base
	prompt string
	errMsg string
	save   string
}

func (a *askBase) saves() string { return a.save }

func (a *askBase) Messages() []string { return nonEmpty(a.prompt, a.errMsg) }

func (a *askBase) validate(string) error {
	if a.prompt == "" {
		return fmt.Errorf("an ask needs a prompt")
	}
	return nil
}

// store saves value in the step's field, if it has one.
func (a *askBase) store(r *run, value string) {
	if a.save != "" {
		r.setField(a.save, value)
	}
}

// retryWith is the retry for a bad answer: the flow's own error message if
// it set one, else the kind's.
func (a *askBase) retryWith(msg string, data map[string]string) *retry {
	if a.errMsg != "" {
		msg = a.errMsg
	}
	return &retry{msg: msg, data: data}
}

// choiceOption is one option of an ask_choice.
type choiceOption struct {
	value, label string
	aliases      []string
	next         string
}

// askChoice offers options as buttons (numbered lines where a channel has none).
type askChoice struct {
	askBase
	options []choiceOption
	ret     string
	// words names a word list whose values are option values: "कटाई चल
	// रही है" picks work. prefill names a field whose text answers the
	// step when it is reached (the reason typed with a no), as the option
	// the words name or else as other, keeping the text in note; with a
	// note, a typed answer that names no option is other too, kept as typed.
	words, prefill, other, note string
	// rating reads a typed rating ("बहुत बढ़िया", "5 में से 4", "⭐⭐⭐⭐👍")
	// as the option valued 1..5.
	rating bool
}

func (s *askChoice) Targets() []string {
	out := nonEmpty(s.next, s.ret)
	for _, o := range s.options {
		out = append(out, nonEmpty(o.next)...)
	}
	return out
}

func (s *askChoice) Messages() []string {
	out := append(s.askBase.Messages(), "common.retry_choice", "common.retry_yesno")
	for _, o := range s.options {
		out = append(out, o.label)
	}
	return out
}

func (s *askChoice) validate(flowID string) error {
	if err := s.askBase.validate(flowID); err != nil {
		return err
	}
	if len(s.options) == 0 {
		return fmt.Errorf("ask_choice needs options")
	}
	seen := map[string]bool{}
	for i, o := range s.options {
		if o.value == "" || o.label == "" {
			return fmt.Errorf("option %d needs a value and a label", i+1)
		}
		if seen[o.value] {
			return fmt.Errorf("option value %q used twice", o.value)
		}
		seen[o.value] = true
		if n := len(choiceData(flowID, s.id, o.value)); n > maxChoiceData {
			return fmt.Errorf("option %q: flow, step and value are %d bytes, more than %d", o.value, n, maxChoiceData)
		}
		if o.next == "" && s.next == "" {
			return fmt.Errorf("option %q has no next step, and the step has none", o.value)
		}
	}
	if s.other != "" && !seen[s.other] {
		return fmt.Errorf("other %q is not an option", s.other)
	}
	if s.other != "" && s.prefill == "" && s.note == "" {
		return fmt.Errorf("other goes with prefill or note")
	}
	if s.note != "" && s.other == "" {
		return fmt.Errorf("note needs other, the option a kept text answers")
	}
	if (s.prefill != "" || s.note != "") && s.next == "" {
		return fmt.Errorf("prefill and note need the step's next, where a text answer goes on")
	}
	return nil
}

func (s *askChoice) question(r *run) Reply {
	reply := Reply{Text: r.text(s.prompt, nil)}
	for _, o := range s.options {
		reply.Options = append(reply.Options, Option{Data: r.choiceData(o.value), Label: r.label(o.label)})
	}
	return reply
}

func (s *askChoice) answer(r *run, in Input) (string, *retry) {
	i, ok := -1, false
	if in.Choice != "" {
		i, ok = s.index(r.choiceValue(in))
	} else if in.Text != "" {
		i, ok = match.Option(in.Text, r.e.labels(s))
		if !ok {
			i, ok = s.byWords(r, in.Text)
		}
		if !ok && s.rating {
			if v, rated := r.e.tables.Rating(in.Text); rated {
				i, ok = s.index(strconv.Itoa(v))
			}
		}
		if !ok && s.note != "" && r.reasonLike(in.Text) {
			// A reason no list names ("उस दिन गाँव में मेला है") is the
			// reason itself: "something else", kept as typed.
			if i, ok = s.index(s.other); ok {
				s.store(r, s.other)
				r.setField(s.note, strings.TrimSpace(in.Text))
				return s.next, nil
			}
		}
	}
	if !ok {
		return "", s.retryWith("common.retry_choice", nil)
	}
	o := s.options[i]
	s.store(r, o.value)
	if o.next != "" {
		return o.next, nil
	}
	return s.next, nil
}

// reasonLike reports whether text may be a reason in its own words: it has
// letters, asks nothing ("कब है?") and is no yes, no or not sure, or it is
// a no with words besides ("टाइम नहीं है").
func (r *run) reasonLike(text string) bool {
	answer, reason := r.e.tables.YesNoReason(text)
	return strings.IndexFunc(text, unicode.IsLetter) >= 0 && !strings.ContainsAny(text, "?؟") &&
		(answer == match.Unknown || (answer == match.No && reason != ""))
}

// byWords picks the option the step's word list names in text.
func (s *askChoice) byWords(r *run, text string) (int, bool) {
	if s.words == "" {
		return -1, false
	}
	v, ok := r.e.words.Match(s.words, text)
	if !ok {
		return -1, false
	}
	return s.index(v)
}

// prefilled answers the step from its prefill field, if that holds text:
// the option the words name, else other; the text is kept in note, and
// the flow goes on at the step's next (the text is the reason, so other's
// own question for one is not asked).
func (s *askChoice) prefilled(r *run) (string, bool) {
	if s.prefill == "" {
		return "", false
	}
	text := strings.TrimSpace(r.get(s.prefill))
	if text == "" {
		return "", false
	}
	i, ok := s.byWords(r, text)
	if !ok {
		if i, ok = s.index(s.other); !ok {
			return "", false
		}
	}
	s.store(r, s.options[i].value)
	if s.note != "" {
		r.setField(s.note, text)
	}
	if o := s.options[i]; o.next != "" && o.value != s.other {
		return o.next, true
	}
	return s.next, true
}

func (s *askChoice) index(value string) (int, bool) {
	for i, o := range s.options {
		if o.value == value {
			return i, true
		}
	}
	return -1, false
}

// label is the shown label of a saved value, in lang.
func (s *askChoice) labelOf(r *run, value string) string {
	if i, ok := s.index(value); ok {
		return r.label(s.options[i].label)
	}
	return value
}

// Answers of ask_yesno, as saved.
const (
	AnswerYes   = "yes"
	AnswerNo    = "no"
	AnswerMaybe = "maybe"
)

// askYesNo asks yes / no (/ not sure) and understands the many ways people say them.
type askYesNo struct {
	askChoice
}

func newAskYesNo(a askBase, s stepSpec) *askYesNo {
	label := func(answer, def string) string {
		if id := s.Labels[answer]; id != "" {
			return id
		}
		return def
	}
	opts := []choiceOption{
		{value: AnswerYes, label: label(AnswerYes, "common.yes"), next: s.OnYes},
		{value: AnswerNo, label: label(AnswerNo, "common.no"), next: s.OnNo},
	}
	if s.Maybe {
		opts = append(opts, choiceOption{value: AnswerMaybe, label: label(AnswerMaybe, "common.maybe"), next: s.OnMaybe})
	}
	return &askYesNo{askChoice{askBase: a, options: opts}}
}

func (s *askYesNo) Messages() []string {
	return append(s.askChoice.Messages(), "common.retry_yesno_maybe")
}

// retryMessage names every option the question has: yes, no (and not sure).
func (s *askYesNo) retryMessage() string {
	if len(s.options) > 2 {
		return "common.retry_yesno_maybe"
	}
	return "common.retry_yesno"
}

// ReasonSuffix names the field where ask_yesno keeps the reason typed with
// a no ("नहीं आ पाऊँगा, उस दिन बैठक है"): the step's save field plus it.
const ReasonSuffix = "_reason"

func (s *askYesNo) answer(r *run, in Input) (string, *retry) {
	if in.Choice != "" {
		if s.save != "" {
			r.setField(s.save+ReasonSuffix, "") // a button gives no reason; forget an earlier one
		}
		return s.askChoice.answer(r, in)
	}
	// Words first: "पता नहीं" contains the label "नहीं" but means not sure.
	value := ""
	answer, reason := r.e.tables.YesNoReason(in.Text)
	switch answer {
	case match.Yes:
		value = AnswerYes
	case match.No:
		value = AnswerNo
		if s.save != "" {
			r.setField(s.save+ReasonSuffix, reason)
		}
	case match.Maybe:
		if len(s.options) < 3 {
			return "", s.retryWith("common.retry_yesno", nil)
		}
		value = AnswerMaybe
	default: // the option's number or its label
		next, bad := s.askChoice.answer(r, in)
		if bad != nil {
			return "", s.retryWith(s.retryMessage(), nil)
		}
		return next, nil
	}
	in.Choice = r.choiceData(value)
	return s.askChoice.answer(r, in)
}

// askNumber asks for a whole number within optional bounds.
type askNumber struct {
	askBase
	min, max *int64
}

func (s *askNumber) validate(flowID string) error {
	if err := s.askBase.validate(flowID); err != nil {
		return err
	}
	if s.min != nil && s.max != nil && *s.min > *s.max {
		return fmt.Errorf("min %d is more than max %d", *s.min, *s.max)
	}
	return nil
}

func (s *askNumber) Messages() []string {
	return append(s.askBase.Messages(), "common.retry_number", "common.retry_number_min", "common.retry_number_max",
		"common.retry_number_any", "common.retry_number_exact", "common.retry_number_total")
}

func (s *askNumber) question(r *run) Reply { return Reply{Text: r.text(s.prompt, nil)} }

func (s *askNumber) answer(r *run, in Input) (string, *retry) {
	n, ok := r.e.tables.Int(in.Text)
	if !ok {
		// "लगभग 40", "30-35", "30 से ज़्यादा": ask for the exact number;
		// "हर सदस्य 100": for the total.
		got := r.e.tables.ReadNumber(in.Text)
		if got.Kind == match.Each {
			return "", s.retryWith("common.retry_number_total", nil)
		}
		if got.Kind != match.NoNumber && got.Kind != match.Exact {
			return "", s.retryWith("common.retry_number_exact", map[string]string{"n": strconv.FormatInt(got.Value, 10)})
		}
	}
	if !ok || (s.min != nil && n < *s.min) || (s.max != nil && n > *s.max) {
		return "", s.retryWith(s.rangeMessage())
	}
	s.store(r, strconv.FormatInt(n, 10))
	return s.next, nil
}

// rangeMessage explains which numbers are wanted.
func (s *askNumber) rangeMessage() (string, map[string]string) {
	data := map[string]string{}
	if s.min != nil {
		data["min"] = strconv.FormatInt(*s.min, 10)
	}
	if s.max != nil {
		data["max"] = strconv.FormatInt(*s.max, 10)
	}
	switch {
	case s.min != nil && s.max != nil:
		return "common.retry_number", data
	case s.min != nil:
		return "common.retry_number_min", data
	case s.max != nil:
		return "common.retry_number_max", data
	}
	return "common.retry_number_any", data
}

// DefaultMaxLen is the longest free-text answer an ask_text takes unless it says otherwise.
const DefaultMaxLen = 300

// askText asks for free text of bounded length. The answer is cleaned
// (see package clean): an answer allowed DefaultMaxLen characters or more
// keeps its line breaks, a shorter one (a name, a place) is one line. With
// letters, an answer needs a letter: a name, place or reason of only
// digits, punctuation or emoji is asked again.
type askText struct {
	askBase
	maxLen  int
	letters bool
	// orFile: a file (a voice note, a photo, a document) answers too; it is
	// saved as <save>_file_id and <save>_file_name, with the text empty.
	orFile bool
	// name: the answer is a person's name, taken out of the words around it.
	name bool
}

func (s *askText) Messages() []string {
	return append(s.askBase.Messages(), "common.retry_text", "common.retry_text_long", "input.retry_letters")
}

func (s *askText) question(r *run) Reply { return Reply{Text: r.text(s.prompt, nil)} }

func (s *askText) answer(r *run, in Input) (string, *retry) {
	if s.orFile {
		id, name := "", ""
		if in.File != nil && in.File.ID != "" {
			id, name = in.File.ID, in.File.Name
		}
		r.setField(s.save+"_file_id", id)
		r.setField(s.save+"_file_name", name)
		if id != "" {
			s.store(r, clean.Text(in.Text, false)) // a caption, if any
			return s.next, nil
		}
	}
	limit := s.maxLen
	if limit <= 0 {
		limit = DefaultMaxLen
	}
	text := clean.Text(in.Text, limit >= DefaultMaxLen)
	if s.name {
		text = r.e.tables.PersonName(text)
	}
	if text == "" {
		return "", s.retryWith("common.retry_text", nil)
	}
	if s.letters && !clean.HasLetter(text) {
		return "", s.retryWith("input.retry_letters", nil)
	}
	if n := utf8.RuneCountInString(text); n > limit {
		return "", s.retryWith("common.retry_text_long", map[string]string{"max": strconv.Itoa(limit), "len": strconv.Itoa(n)})
	}
	s.store(r, text)
	return s.next, nil
}

// askDate asks for a calendar date ("6 दिसंबर", "06/12/2026", "कल"). A
// future one reads a day and month as the next such date; a past one (of
// something that happened) as the last, and कल as yesterday. An optional
// one takes a no or a "पता नहीं" as no date: the field is left empty.
type askDate struct {
	askBase
	future, past, optional bool
}

func (s *askDate) validate(flowID string) error {
	if err := s.askBase.validate(flowID); err != nil {
		return err
	}
	if s.future && s.past {
		return fmt.Errorf("an ask_date is future or past, not both")
	}
	return nil
}

func (s *askDate) Messages() []string {
	return append(s.askBase.Messages(), "common.retry_date", "common.retry_date_past", "common.retry_date_future")
}

func (s *askDate) question(r *run) Reply { return Reply{Text: r.text(s.prompt, nil)} }

func (s *askDate) answer(r *run, in Input) (string, *retry) {
	dir := match.Future
	if s.past {
		dir = match.Past
	}
	d, ok := r.e.tables.DateIn(in.Text, r.now, dir)
	if !ok && s.optional {
		if a := r.e.tables.YesNo(in.Text); a == match.No || a == match.Maybe {
			s.store(r, "")
			return s.next, nil
		}
	}
	if !ok {
		return "", s.retryWith("common.retry_date", nil)
	}
	today, _ := r.e.tables.Date("आज", r.now)
	switch {
	case s.future && d.Before(today):
		return "", s.retryWith("common.retry_date_past", nil)
	case s.past && d.After(today):
		return "", s.retryWith("common.retry_date_future", nil)
	}
	s.store(r, d.Format(DateLayout))
	return s.next, nil
}

// DateLayout is how ask_date saves a date.
const DateLayout = "2006-01-02"

// askPhone asks for the user's own phone number: the share-contact button, or typed.
type askPhone struct {
	askBase
	button string
}

func (s *askPhone) Messages() []string {
	return append(s.askBase.Messages(), s.buttonLabel(), "common.retry_phone", "common.retry_phone_not_own")
}

func (s *askPhone) buttonLabel() string {
	if s.button != "" {
		return s.button
	}
	return "common.phone_button"
}

func (s *askPhone) question(r *run) Reply {
	return Reply{Text: r.text(s.prompt, nil), Request: RequestContact, RequestLabel: r.label(s.buttonLabel())}
}

func (s *askPhone) answer(r *run, in Input) (string, *retry) {
	raw := in.Text
	if in.Contact != nil {
		if !in.Contact.Own {
			return "", s.retryWith("common.retry_phone_not_own", nil)
		}
		raw = in.Contact.Phone
		if !strings.HasPrefix(raw, "+") && len(raw) > 10 {
			raw = "+" + raw // Telegram sends the number without its plus
		}
	}
	phone, ok := match.Phone(raw)
	if !ok {
		return "", s.retryWith("common.retry_phone", nil)
	}
	s.store(r, phone)
	if s.save != "" {
		// <field>_own tells a shared own contact from a typed number, which
		// anyone could type.
		own := ""
		if in.Contact != nil {
			own = "yes"
		}
		r.setField(s.save+"_own", own)
	}
	return s.next, nil
}

// askLocation asks the user to share a location.
type askLocation struct {
	askBase
	button string
	// orText, when set, takes typed text instead of a location (a check-in
	// code) into that field and goes on at onText.
	orText, onText string
}

func (s *askLocation) Targets() []string { return nonEmpty(s.next, s.onText) }

func (s *askLocation) validate(flowID string) error {
	if err := s.askBase.validate(flowID); err != nil {
		return err
	}
	if (s.orText == "") != (s.onText == "") {
		return fmt.Errorf("or_text and on_text go together")
	}
	return nil
}

func (s *askLocation) Messages() []string {
	return append(s.askBase.Messages(), s.buttonLabel(), "common.retry_location")
}

func (s *askLocation) buttonLabel() string {
	if s.button != "" {
		return s.button
	}
	return "common.location_button"
}

func (s *askLocation) question(r *run) Reply {
	return Reply{Text: r.text(s.prompt, nil), Request: RequestLocation, RequestLabel: r.label(s.buttonLabel())}
}

func (s *askLocation) answer(r *run, in Input) (string, *retry) {
	if text := clean.Text(in.Text, false); in.Location == nil && s.orText != "" && text != "" {
		r.setField(s.orText, text)
		return s.onText, nil
	}
	if in.Location == nil {
		return "", s.retryWith("common.retry_location", nil)
	}
	s.store(r, strconv.FormatFloat(in.Location.Lat, 'f', 6, 64)+","+strconv.FormatFloat(in.Location.Lon, 'f', 6, 64))
	return s.next, nil
}

// askList offers the items of a field ("जल आपूर्ति|सीवेज|बजट") as options,
// for choices that come with the data (a training's modules), and saves
// the chosen item.
type askList struct {
	askBase
	from string
}

func (s *askList) Messages() []string {
	return append(s.askBase.Messages(), "common.retry_choice")
}

func (s *askList) validate(flowID string) error {
	if err := s.askBase.validate(flowID); err != nil {
		return err
	}
	if s.from == "" || s.next == "" {
		return fmt.Errorf("ask_list needs from and next")
	}
	return nil
}

func (s *askList) items(r *run) []string {
	var out []string
	for _, it := range strings.Split(r.get(s.from), "|") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

func (s *askList) question(r *run) Reply {
	reply := Reply{Text: r.text(s.prompt, nil)}
	for i, it := range s.items(r) {
		reply.Options = append(reply.Options, Option{Data: r.choiceData(strconv.Itoa(i + 1)), Label: it})
	}
	return reply
}

// empty tells whether the list has nothing to offer (a training made
// without modules): then the question is not asked, and its answer is empty.
func (s *askList) empty(r *run) bool { return len(s.items(r)) == 0 }

func (s *askList) answer(r *run, in Input) (string, *retry) {
	items := s.items(r)
	if len(items) == 0 { // asked before its field was emptied: nothing to choose
		s.store(r, "")
		return s.next, nil
	}
	i, ok := -1, false
	if in.Choice != "" {
		n, err := strconv.Atoi(r.choiceValue(in))
		i, ok = n-1, err == nil && n >= 1 && n <= len(items)
	} else if in.Text != "" {
		labels := make([][]string, len(items))
		for j, it := range items {
			labels[j] = []string{it}
		}
		i, ok = match.Option(in.Text, labels)
	}
	if !ok {
		return "", s.retryWith("common.retry_choice", nil)
	}
	s.store(r, items[i])
	return s.next, nil
}

// askFile asks for a document (a schedule, a list): it saves the
// channel's file id in <save>_id and its name in <save>_name. With
// optional, "no" goes on without one. With document, only a document
// answers: a photo or a voice note (files too, on some channels) is
// asked for again.
type askFile struct {
	askBase
	optional bool
	document bool
}

func (s *askFile) Messages() []string {
	return append(s.askBase.Messages(), "common.retry_file")
}

func (s *askFile) answer(r *run, in Input) (string, *retry) {
	if in.File != nil && in.File.ID != "" && (!s.document || in.Media == "document") {
		r.setField(s.save+"_id", in.File.ID)
		r.setField(s.save+"_name", in.File.Name)
		return s.next, nil
	}
	if s.optional && in.Choice == "" && r.e.tables.YesNo(in.Text) == match.No {
		r.setField(s.save+"_id", "")
		r.setField(s.save+"_name", "")
		return s.next, nil
	}
	return "", s.retryWith("common.retry_file", nil)
}

func (s *askFile) question(r *run) Reply { return Reply{Text: r.text(s.prompt, nil)} }
