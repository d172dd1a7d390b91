package match

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The word tables are data, locales/words/match/*.yaml, read once when the
// program starts (builtin), and again with a coordinator's added words
// (ReadWords). A built-in file that does not read is a broken build, and
// every test fails on it.

// The table files, one type each; the yaml names are the file's keys. A
// field tagged words:"phrase" holds phrases of several words; every other
// list holds single words.

// yesnoFile is locales/words/match/yesno.yaml.
type yesnoFile struct {
	Spellings         map[string][]string `yaml:"spellings"`
	Phrases           map[string][]string `yaml:"phrases" words:"phrase"`
	Words             map[string][]string `yaml:"words"`
	ReasonFillers     []string            `yaml:"reason_fillers"`
	ReasonConnectives []string            `yaml:"reason_connectives"`
	VerbStems         map[string][]string `yaml:"verb_stems"`
	VerbEndings       []string            `yaml:"verb_endings"`
}

// commandsFile is locales/words/match/commands.yaml.
type commandsFile struct {
	Words           map[string][]string `yaml:"words"`
	Verbs           []string            `yaml:"verbs"`
	Fillers         []string            `yaml:"fillers"`
	LanguageMarkers []string            `yaml:"language_markers"`
	LanguageCodes   map[string][]string `yaml:"language_codes"`
	Understand      []string            `yaml:"understand"`
	Negations       []string            `yaml:"negations"`
	Comes           []string            `yaml:"comes"`
	AnswerFillers   []string            `yaml:"answer_fillers"`
}

// checkinFile is locales/words/match/checkin.yaml.
type checkinFile struct {
	Words     []string `yaml:"words"`
	Fillers   []string `yaml:"fillers"`
	CodeWords []string `yaml:"code_words"`
	CodeNames []string `yaml:"code_names"`
}

// numbersFile is locales/words/match/numbers.yaml.
type numbersFile struct {
	Hindi   map[int64][]string `yaml:"hindi"`
	English map[int64][]string `yaml:"english"`
	Scales  map[int64][]string `yaml:"scales"`
	Approx  []string           `yaml:"approx"`
	Vague   []string           `yaml:"vague"`
	More    []string           `yaml:"more"`
	Less    []string           `yaml:"less"`
	Money   []string           `yaml:"money"`
	Zero    []string           `yaml:"zero" words:"phrase"`

	// AfterNumber are spellings of a scale that are one only right after
	// a number ("दो सो"); UnclearAfter may or may not be one there.
	AfterNumber  map[int64][]string `yaml:"after_number"`
	UnclearAfter []string           `yaml:"unclear_after_number"`
	Per          []string           `yaml:"per"`
}

// countingFile is locales/words/match/counting.yaml.
type countingFile struct {
	Fractions    map[string][]string `yaml:"fractions"`
	Modifiers    map[string][]string `yaml:"modifiers"`
	RangeJoiners []string            `yaml:"range_joiners"`
	Imperatives  []string            `yaml:"imperatives"`
	Counted      []string            `yaml:"counted"`
	OutOf        []string            `yaml:"out_of"`
}

// datesFile is locales/words/match/dates.yaml.
type datesFile struct {
	RelativeDays map[int][]string `yaml:"relative_days" words:"phrase"`
	BothWays     []string         `yaml:"both_ways"`
	Yesterday    []string         `yaml:"yesterday"`
	Last         []string         `yaml:"last"`
	Next         []string         `yaml:"next"`
	Weekdays     map[int][]string `yaml:"weekdays"`
	Months       map[int][]string `yaml:"months"`
	On           []string         `yaml:"on"`
	Fillers      []string         `yaml:"fillers"`
	DayOfMonth   []string         `yaml:"day_of_month"`
	Ago          map[int][]string `yaml:"ago"`
	Spans        map[int][]string `yaml:"spans"`
	MonthWords   []string         `yaml:"month_words"`
	Coming       []string         `yaml:"coming"`
	Hours        []string         `yaml:"hours"`
}

// ratingsFile is locales/words/match/ratings.yaml.
type ratingsFile struct {
	Ratings      map[int][]string `yaml:"ratings"`
	Intensifiers []string         `yaml:"intensifiers"`
	Absolute     []string         `yaml:"absolute"`
	NeitherNor   []string         `yaml:"neither_nor" words:"phrase"`
	FullMarks    []string         `yaml:"full_marks" words:"phrase"`
}

// placesFile is locales/words/match/places.yaml.
type placesFile struct {
	Kinds       []string            `yaml:"kinds" words:"phrase"`
	Around      []string            `yaml:"around" words:"phrase"`
	Generic     []string            `yaml:"generic" words:"phrase"`
	FormerNames map[string][]string `yaml:"former_names" words:"phrase"`
}

// namesFile is locales/words/match/names.yaml.
type namesFile struct {
	Frames  []string `yaml:"frames" words:"phrase"`
	Self    []string `yaml:"self" words:"phrase"`
	Padding []string `yaml:"padding" words:"phrase"`
	Endings []string `yaml:"endings" words:"phrase"`
	// Titles before a name ("श्रीमती"), Speaking after it ("बोल रही").
	Titles   []string `yaml:"titles" words:"phrase"`
	Speaking []string `yaml:"speaking" words:"phrase"`
	// Relations end the name ("… w/o …", "… पत्नी …"); NotNames are words
	// no name has (a question word, a role): the reply is asked again.
	Relations []string `yaml:"relations" words:"phrase"`
	NotNames  []string `yaml:"not_names" words:"phrase"`
}

// tableFiles are all the table files, as read and merged.
type tableFiles struct {
	yesno    yesnoFile
	commands commandsFile
	checkin  checkinFile
	numbers  numbersFile
	counting countingFile
	dates    datesFile
	ratings  ratingsFile
	places   placesFile
	names    namesFile
}

// file gives the table named name ("yesno"), to read into, or nil.
func (t *tableFiles) file(name string) any {
	switch name {
	case "yesno":
		return &t.yesno
	case "commands":
		return &t.commands
	case "checkin":
		return &t.checkin
	case "numbers":
		return &t.numbers
	case "counting":
		return &t.counting
	case "dates":
		return &t.dates
	case "ratings":
		return &t.ratings
	case "places":
		return &t.places
	case "names":
		return &t.names
	}
	return nil
}

// tableNames are the names file knows, in the order they are read.
var tableNames = []string{"yesno", "commands", "checkin", "numbers", "counting", "dates", "ratings", "places", "names"}

// Words are the word tables replies are read with: yes and no, the words
// that work anywhere, numbers and the words around them, check-in, dates,
// ratings, the words around place names and places' former names, and the
// words around a person's name. The package's functions
// (YesNo, Command, ReadNumber, …) use the built-in tables; ReadWords adds a
// coordinator's words, and its Words have the same methods. Words are not
// changed once built, and are safe for concurrent use.
type Words struct {
	// wordSpellings maps each known spelling (normalised) to its canonical
	// word; canonical words are Latin and spellings of themselves.
	wordSpellings map[string]string
	// intentPhrases are the phrases whose words mean something else
	// together: "पता नहीं" is not sure, not no; "कोई दिक्कत नहीं" is yes.
	intentPhrases map[string]signal
	// intentWords are what single canonical words say.
	intentWords map[string]signal
	// reasonFillers are dropped at the edges of a reason, and join the
	// negative phrase ("मैं नहीं आ पाऊँगी जी"); reasonConnectives join a
	// reason to the no: "…, क्योंकि …".
	reasonFillers, reasonConnectives map[string]bool

	// commandWords are the words of the commands; commandVerbs the verbs
	// around a command ("करो", "kar do", "बदलें"); commandFillers the words
	// people put around one; languageMarkers say "in" a language ("english
	// mein"); languageCodes are the answers to the language question.
	commandWords                                  map[string]string
	commandVerbs, commandFillers, languageMarkers map[string]bool
	languageCodes                                 map[string]string
	// understandWords, negations and comesWords make "समझ नहीं आया" (a
	// help) and "अंग्रेज़ी नहीं आती" (the other language); languageFillers
	// stand around an answer to the language question ("हिंदी ही ठीक है").
	understandWords, negations, comesWords, languageFillers map[string]bool

	// checkinWords name the check-in, in every common spelling;
	// checkinFillers stand around one ("मेरी हाज़िरी लगा दो"); codeWords
	// introduce a code ("कोड 4821").
	checkinWords, checkinFillers, codeWords map[string]bool
	// codeNames name the code itself ("कोड", "code"): with one of four
	// digits they ask to check in ("कोड 4821").
	codeNames map[string]bool

	// The words of dates: today, tomorrow and the day after (relativeDays;
	// bothWays look back for a past question: कल is yesterday there), the
	// words of yesterday, last and next ("पिछले सोमवार"), weekdays and
	// months, "को" (onWords), the fillers around a date ("30 नवंबर से"),
	// "तारीख" (dayWords), "2 दिन पहले" (agoWords, spanWords) and "10 बजे"
	// (hourWords, left out with its number).
	relativeDays                               map[string]int
	bothWays, yesterdays, lastWords, nextWords map[string]bool
	weekdays                                   map[string]time.Weekday
	months                                     map[string]int
	onWords, dateFillers, dayWords             map[string]bool
	agoWords, spanWords                        map[string]int
	hourWords                                  map[string]bool
	// monthWords say "month" in "अगले महीने 10 तारीख"; comingWords say
	// "the coming" ("आने वाले बुधवार"), the nearest, where अगले may mean
	// the next week's.
	monthWords, comingWords map[string]bool

	// ratingPhrases are the words that say how it was, with their rating;
	// ratingIntensifiers make them stronger ("बहुत अच्छा" is 5), and the
	// absolute ones make "not good" a 1 ("बिल्कुल अच्छा नहीं"); neitherNor
	// say "neither good nor bad", fullMarks the best ("full marks").
	ratingPhrases                       map[string]int
	ratingIntensifiers, ratingAbsolutes map[string]bool
	neitherNor, fullMarks               [][]string

	// The words that make a number approximate ("लगभग 40"), a scale vague
	// ("कई लाख"), a bound ("30 से ज़्यादा", "50 तक"); the money words
	// (currency, "only", "/-"); and the phrases that say none where a
	// count is asked.
	approxWords, vagueWords, moreWords, lessWords, moneyWords map[string]bool
	zeroPhrases                                               [][]string

	// hindiNumbers maps each spelling of a Hindi number word, Devanagari
	// and romanised, to its value; foldedNumbers are the long ones by
	// foldNumberWord (a test checks that no two numbers fold alike).
	// englishNumbers are the English number words; a tens word followed
	// by a unit word adds up ("twenty five"). scaleWords multiply what
	// stands before them: सौ inside a group; the others end a group
	// (हज़ार, लाख, करोड़ in falling order).
	hindiNumbers, foldedNumbers, englishNumbers, scaleWords map[string]int64
	// scalesAfterNumber are scales only right after a number ("दो सो");
	// unclearAfterNumber may be a scale there or another word (Haryanvi
	// "तीन सै" is 300, "12 सै" is "12 है"): the reply is asked again.
	scalesAfterNumber  map[string]int64
	unclearAfterNumber map[string]bool
	// perWords say "each" before what is counted: "हर सदस्य 100".
	perWords map[string]bool

	// Fraction words, in thousandths: डेढ़ (1½) and ढाई (2½) are numbers
	// on their own (wholeFractions); सवा (+¼), साढ़े (+½) and पौने (−¼)
	// change the number after them, and before a scale alone mean 1¼, 1½
	// and ¾ of it ("सवा लाख", "पौने सौ").
	wholeFractions    map[string]int64
	fractionModifiers map[string]struct{ add, alone int64 }
	// rangeJoiners join two numbers into a range ("30 से 35");
	// imperativeBefore are verbs after which दो means "give", not two
	// ("बता दो"); countedWords are what people count ("bees log").
	rangeJoiners, imperativeBefore, countedWords map[string]bool
	// outOfWords say "out of" with से: "5 में से 4" is a rating of 4.
	outOfWords map[string]bool

	// placeWords are the phrases, normalised, that say what kind of place
	// a name is, or stand around it in a reply ("मैं अनपरा ब्लॉक से हूँ").
	placeWords [][]string
	// genericPlaceWords are the keys of the words that end many names
	// and name no place alone ("नगर", "ganj").
	genericPlaceWords map[string]bool
	// formerPlaceNames are the keys of places' former names, by the key
	// of the name each has now, in a fixed order.
	formerPlaceNames []formerName

	// The words around a name (PersonName), normalised: nameFrames say
	// "my name is", nameSelf "I" ("मैं सुनीता हूँ"), namePadding are polite
	// words ("जी", "सर") and nameEndings "है" / "हूँ" after the name;
	// nameTitles go before a name ("श्रीमती"), and nameSpeaking after it
	// ("… बोल रही हूँ") say a name was given.
	// nameRelations end the name ("w/o", "पत्नी"); nameNot are words no
	// name has ("क्या", "प्रधान").
	nameFrames, nameSelf, namePadding, nameEndings, nameTitles, nameSpeaking [][]string
	nameRelations, nameNot                                                   [][]string
}

// builtin are the tables of locales/words/match, as built in.
var builtin = mustBuiltin()

func mustBuiltin() *Words {
	files, problems := readTables(nil)
	if len(problems) > 0 {
		panic(fmt.Sprintf("locales/words/match: %v", problems))
	}
	return files.build()
}

// ReadWords reads the built-in word tables and adds the words of the
// table files of each extra file system: <table>.yaml or
// <table>.<lang>.yaml at its root (yesno.yaml, commands.hi.yaml), in the
// format of the built-in locales/words/match/<table>.yaml. It returns the
// tables, or, when any file has a problem, nil and every problem.
func ReadWords(extra ...fs.FS) (*Words, []Problem) {
	files, problems := readTables(extra)
	if len(problems) > 0 {
		return nil, problems
	}
	return files.build(), nil
}

// BuiltinWords are the built-in tables, which the package's functions use.
func BuiltinWords() *Words { return builtin }

// build makes the lookup tables of the files, which check has found sound.
func (t *tableFiles) build() *Words {
	w := &Words{}
	w.wordSpellings = byWord(t.yesno.Spellings, normWord)
	addVerbForms(w.wordSpellings, t.yesno.VerbStems, t.yesno.VerbEndings)
	addFoldedSpellings(w.wordSpellings)
	canon := func(p string) string { return w.canonPhrase(p) }
	w.intentPhrases = signalsOf(t.yesno.Phrases, canon)
	w.intentWords = signalsOf(t.yesno.Words, canon)
	w.reasonFillers = set(t.yesno.ReasonFillers, canon)
	w.reasonConnectives = set(t.yesno.ReasonConnectives, canon)

	w.commandWords = byWord(t.commands.Words, normWord)
	w.commandVerbs = set(t.commands.Verbs, normWord)
	w.commandFillers = set(t.commands.Fillers, normWord)
	w.languageMarkers = set(t.commands.LanguageMarkers, normWord)
	w.languageCodes = byWord(t.commands.LanguageCodes, normWord)
	w.understandWords = set(t.commands.Understand, normWord)
	w.negations = set(t.commands.Negations, normWord)
	w.comesWords = set(t.commands.Comes, normWord)
	w.languageFillers = set(t.commands.AnswerFillers, normWord)

	w.checkinWords = set(t.checkin.Words, normWord)
	w.checkinFillers = set(t.checkin.Fillers, normWord)
	w.codeWords = set(t.checkin.CodeWords, normWord)
	w.codeNames = set(t.checkin.CodeNames, normWord)

	d := t.dates
	w.relativeDays = byWord(d.RelativeDays, normWord)
	w.bothWays = set(d.BothWays, normWord)
	w.yesterdays = set(d.Yesterday, normWord)
	w.lastWords = set(d.Last, normWord)
	w.nextWords = set(d.Next, normWord)
	w.weekdays = map[string]time.Weekday{}
	for word, day := range byWord(d.Weekdays, normWord) {
		w.weekdays[word] = time.Weekday(day)
	}
	w.months = byWord(d.Months, normWord)
	w.onWords = set(d.On, normWord)
	w.dateFillers = set(d.Fillers, normWord)
	w.dayWords = set(d.DayOfMonth, normWord)
	w.agoWords = byWord(d.Ago, normWord)
	w.spanWords = byWord(d.Spans, normWord)
	w.hourWords = set(d.Hours, normWord)
	w.monthWords = set(d.MonthWords, normWord)
	w.comingWords = set(d.Coming, normWord)

	w.ratingPhrases = byWord(t.ratings.Ratings, normWord)
	w.ratingIntensifiers = set(t.ratings.Intensifiers, normWord)
	w.ratingAbsolutes = set(t.ratings.Absolute, normWord)
	w.neitherNor = phrases(t.ratings.NeitherNor)
	w.fullMarks = phrases(t.ratings.FullMarks)

	n := t.numbers
	w.approxWords = set(n.Approx, normWord)
	w.vagueWords = set(n.Vague, normWord)
	w.moreWords = set(n.More, normWord)
	w.lessWords = set(n.Less, normWord)
	w.moneyWords = set(n.Money, normWord)
	w.zeroPhrases = phrases(n.Zero)
	for _, p := range w.zeroPhrases { // as replies' words are compared: canonical (wordSpellings is set)
		for i, word := range p {
			p[i] = w.canonWord(word)
		}
	}
	w.hindiNumbers = byWord(n.Hindi, normWord)
	w.englishNumbers = byWord(n.English, normWord)
	w.scaleWords = byWord(n.Scales, normWord)
	w.scalesAfterNumber = byWord(n.AfterNumber, normWord)
	w.unclearAfterNumber = set(n.UnclearAfter, normWord)
	w.perWords = set(n.Per, normWord)
	w.foldedNumbers = make(map[string]int64, len(w.hindiNumbers))
	for word, v := range w.hindiNumbers {
		if len([]rune(word)) >= 4 {
			w.foldedNumbers[foldNumberWord(word)] = v
		}
	}

	c := t.counting
	w.wholeFractions = map[string]int64{}
	for word, v := range byWord(c.Fractions, normWord) {
		w.wholeFractions[word], _ = thousandths(v)
	}
	w.fractionModifiers = map[string]struct{ add, alone int64 }{}
	for word, v := range byWord(c.Modifiers, normWord) {
		add, _ := thousandths(v)
		w.fractionModifiers[word] = struct{ add, alone int64 }{add, milli + add}
	}
	w.rangeJoiners = set(c.RangeJoiners, normWord)
	w.imperativeBefore = set(c.Imperatives, normWord)
	w.countedWords = set(c.Counted, normWord)
	w.outOfWords = set(c.OutOf, normWord)

	w.placeWords = placeWordsOf(t.places)
	w.genericPlaceWords = map[string]bool{}
	for _, g := range t.places.Generic {
		for _, word := range words(Normalize(g), false) {
			w.genericPlaceWords[wordKey(word)] = true
		}
	}
	w.formerPlaceNames = w.formerNames(t.places.FormerNames)

	w.nameFrames = phrases(t.names.Frames)
	w.nameSelf = phrases(t.names.Self)
	w.namePadding = phrases(t.names.Padding)
	w.nameEndings = phrases(t.names.Endings)
	w.nameTitles = phrases(t.names.Titles)
	w.nameSpeaking = phrases(t.names.Speaking)
	w.nameRelations = phrases(t.names.Relations)
	w.nameNot = phrases(t.names.NotNames)
	return w
}

// placeWordsOf are the kind words and the words around a place, each
// split into its normalised words.
func placeWordsOf(f placesFile) [][]string {
	var out [][]string
	for _, p := range slices.Concat(f.Kinds, f.Around) {
		out = append(out, words(Normalize(p), false))
	}
	return out
}

// formerName is a place's present name's key and its former names' keys.
type formerName struct {
	present string
	former  []string
}

// formerNames keys the table of former names, in the order of the present
// names. A former name under two present ones is a problem check reports
// first; here the first present name keeps it.
func (wl *Words) formerNames(m map[string][]string) []formerName {
	seen := map[string]bool{}
	out := make([]formerName, 0, len(m))
	for _, present := range sortedKeys(m) {
		f := formerName{present: wl.PlaceKey(present)}
		for _, o := range m[present] {
			if k := wl.PlaceKey(o); !seen[k] {
				seen[k] = true
				f.former = append(f.former, k)
			}
		}
		out = append(out, f)
	}
	return out
}

// normWord is a word of a table as replies are compared with it: after
// Normalize, or as written when Normalize leaves nothing ("-", "/").
func normWord(s string) string {
	if n := Normalize(s); n != "" {
		return n
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// canonPhrase writes a phrase of the yes/no table in canonical words:
// "बिल्कुल जी" is "bilkul ji".
func (wl *Words) canonPhrase(p string) string {
	ws := words(Normalize(p), true)
	for i, w := range ws {
		ws[i] = wl.canonWord(w)
	}
	return strings.Join(ws, " ")
}

// thousandths reads a decimal fraction key ("1.5", "-0.25") in thousandths.
func thousandths(s string) (int64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(f) >= 100 {
		return 0, false
	}
	return int64(math.Round(f * milli)), true
}

// byWord turns "value: its words" into word → value. A word under two
// values is a problem check reports first; here the first value wins.
func byWord[V cmp.Ordered](m map[V][]string, norm func(string) string) map[string]V {
	out := map[string]V{}
	for _, k := range sortedKeys(m) {
		for _, w := range m[k] {
			if _, ok := out[norm(w)]; !ok {
				out[norm(w)] = k
			}
		}
	}
	return out
}

// phrases splits each phrase of a list into its normalised words.
func phrases(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(Normalize(p))
	}
	return out
}

// set turns a list into a set.
func set(ws []string, norm func(string) string) map[string]bool {
	out := make(map[string]bool, len(ws))
	for _, w := range ws {
		out[norm(w)] = true
	}
	return out
}

// signalNames are the names the yes/no tables give their signals.
var signalNames = map[string]signal{
	"yes": sigYes, "weak_yes": sigWeakYes, "come": sigCome, "no": sigNeg, "maybe": sigMaybe, "filler": sigFiller, "unclear": sigUnclear, "go": sigGo, "hedge": sigHedge,
}

// signalsOf reads a table of signal name → phrases.
func signalsOf(m map[string][]string, norm func(string) string) map[string]signal {
	out := map[string]signal{}
	for phrase, name := range byWord(m, norm) {
		out[phrase] = signalNames[name]
	}
	return out
}

// sortedKeys are the keys of m in order: the same table, the same result.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
