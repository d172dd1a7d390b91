package match

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	wordfiles "github.com/saathi-bot/saathi/locales/words"
)

// The word tables are data, locales/words/match/*.yaml, read once when the
// program starts; a file that does not read is a broken build, and every
// test fails on it.

// yesnoFile is locales/words/match/yesno.yaml.
type yesnoFile struct {
	Spellings         map[string][]string `yaml:"spellings"`
	Phrases           map[string][]string `yaml:"phrases"`
	Words             map[string][]string `yaml:"words"`
	ReasonFillers     []string            `yaml:"reason_fillers"`
	ReasonConnectives []string            `yaml:"reason_connectives"`
}

// commandsFile is locales/words/match/commands.yaml.
type commandsFile struct {
	Words           map[string][]string `yaml:"words"`
	Verbs           []string            `yaml:"verbs"`
	Fillers         []string            `yaml:"fillers"`
	LanguageMarkers []string            `yaml:"language_markers"`
	LanguageCodes   map[string][]string `yaml:"language_codes"`
}

// checkinFile is locales/words/match/checkin.yaml.
type checkinFile struct {
	Words     []string `yaml:"words"`
	Fillers   []string `yaml:"fillers"`
	CodeWords []string `yaml:"code_words"`
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
	Zero    []string           `yaml:"zero"`
}

// datesFile is locales/words/match/dates.yaml.
type datesFile struct {
	RelativeDays map[int][]string `yaml:"relative_days"`
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
	Hours        []string         `yaml:"hours"`
}

// placesFile is locales/words/match/places.yaml.
type placesFile struct {
	FormerNames map[string][]string `yaml:"former_names"`
}

// namesFile is locales/words/match/names.yaml.
type namesFile struct {
	Frames  []string `yaml:"frames"`
	Self    []string `yaml:"self"`
	Padding []string `yaml:"padding"`
	Endings []string `yaml:"endings"`
}

// ratingsFile is locales/words/match/ratings.yaml.
type ratingsFile struct {
	Ratings      map[int][]string `yaml:"ratings"`
	Intensifiers []string         `yaml:"intensifiers"`
	Absolute     []string         `yaml:"absolute"`
	NeitherNor   []string         `yaml:"neither_nor"`
}

var (
	yesnoData    = mustRead[yesnoFile]("yesno.yaml")
	commandsData = mustRead[commandsFile]("commands.yaml")
	numbersData  = mustRead[numbersFile]("numbers.yaml")
	checkinData  = mustRead[checkinFile]("checkin.yaml")
	datesData    = mustRead[datesFile]("dates.yaml")
	ratingsData  = mustRead[ratingsFile]("ratings.yaml")
	placesData   = mustRead[placesFile]("places.yaml")
	namesData    = mustRead[namesFile]("names.yaml")
)

// mustRead reads a table file of locales/words/match.
func mustRead[T any](name string) T {
	var v T
	buf, err := wordfiles.Match.ReadFile("match/" + name)
	if err == nil {
		err = yaml.Unmarshal(buf, &v)
	}
	if err != nil {
		panic(fmt.Sprintf("locales/words/match/%s: %v", name, err))
	}
	return v
}

// byWord turns "value: its words" into word → value; a word under two
// values is a broken table.
func byWord[V comparable](table string, m map[V][]string) map[string]V {
	out := map[string]V{}
	keys := make([]V, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		for _, w := range m[k] {
			if old, ok := out[w]; ok && old != k {
				panic(fmt.Sprintf("locales/words/match: %s: %q is under %v and %v", table, w, old, k))
			}
			out[w] = k
		}
	}
	return out
}

// phrases splits each phrase of a list into its words.
func phrases(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}

// weekdaysOf turns "0 (Sunday) … 6: their words" into word → weekday.
func weekdaysOf(m map[int][]string) map[string]time.Weekday {
	out := map[string]time.Weekday{}
	for w, d := range byWord("weekdays", m) {
		if d < 0 || d > 6 {
			panic(fmt.Sprintf("locales/words/match: weekdays: %d is no day of the week (0 Sunday … 6 Saturday)", d))
		}
		out[w] = time.Weekday(d)
	}
	return out
}

// set turns a list into a set.
func set(ws []string) map[string]bool {
	out := make(map[string]bool, len(ws))
	for _, w := range ws {
		out[w] = true
	}
	return out
}

// signalNames are the names the yes/no tables give their signals.
var signalNames = map[string]signal{
	"yes": sigYes, "weak_yes": sigWeakYes, "come": sigCome, "no": sigNeg, "maybe": sigMaybe, "filler": sigFiller, "unclear": sigUnclear,
}

// signalsOf reads a table of signal name → phrases.
func signalsOf(table string, m map[string][]string) map[string]signal {
	out := map[string]signal{}
	for name, w := range byWord(table, m) {
		s, ok := signalNames[w]
		if !ok {
			panic(fmt.Sprintf("locales/words/match: %s: no signal %q", table, w))
		}
		out[name] = s
	}
	return out
}

var (
	// wordSpellings maps each known spelling (normalised) to its canonical
	// word; canonical words are Latin and spellings of themselves.
	wordSpellings = byWord("spellings", yesnoData.Spellings)
	// intentPhrases are the phrases whose words mean something else
	// together: "पता नहीं" is not sure, not no; "कोई दिक्कत नहीं" is yes.
	intentPhrases = signalsOf("phrases", yesnoData.Phrases)
	// intentWords are what single canonical words say.
	intentWords = signalsOf("words", yesnoData.Words)
	// reasonFillers are dropped at the edges of a reason, and join the
	// negative phrase ("मैं नहीं आ पाऊँगी जी").
	reasonFillers = set(yesnoData.ReasonFillers)
	// reasonConnectives join a reason to the no: "…, क्योंकि …".
	reasonConnectives = set(yesnoData.ReasonConnectives)

	// commandWords are the words of the commands, in normalised spellings.
	commandWords = byWord("words", commandsData.Words)
	// commandVerbs are the verbs around a command: "करो", "kar do", "बदलें".
	commandVerbs = set(commandsData.Verbs)
	// commandFillers are the words people put around a command.
	commandFillers = set(commandsData.Fillers)
	// languageMarkers say "in" a language: "english mein", "in english".
	languageMarkers = set(commandsData.LanguageMarkers)
	// languageCodes are the answers to the language question.
	languageCodes = byWord("language_codes", commandsData.LanguageCodes)

	// checkinWords name the check-in, in every common spelling.
	checkinWords = set(checkinData.Words)
	// checkinFillers are the words around a check-in word: "मेरी हाज़िरी लगा दो".
	checkinFillers = set(checkinData.Fillers)
	// codeWords introduce a code: "कोड 4821", "code no. 4821".
	codeWords = set(checkinData.CodeWords)

	// The words of dates: today, tomorrow and the day after (relativeDays;
	// bothWays look back for a past question: कल is yesterday there), the
	// words of yesterday, last and next ("पिछले सोमवार"), weekdays and
	// months, "को" (onWords), the fillers around a date ("30 नवंबर से"),
	// "तारीख" (dayWords), and "2 दिन पहले" (agoWords, spanWords).
	relativeDays = byWord("relative_days", datesData.RelativeDays)
	bothWays     = set(datesData.BothWays)
	yesterdays   = set(datesData.Yesterday)
	lastWords    = set(datesData.Last)
	nextWords    = set(datesData.Next)
	weekdays     = weekdaysOf(datesData.Weekdays)
	months       = byWord("months", datesData.Months)
	onWords      = set(datesData.On)
	dateFillers  = set(datesData.Fillers)
	dayWords     = set(datesData.DayOfMonth)
	agoWords     = byWord("ago", datesData.Ago)
	spanWords    = byWord("spans", datesData.Spans)
	hourWords    = set(datesData.Hours) // "10 बजे", left out with its number

	// ratingPhrases are the words that say how it was, with their rating;
	// ratingIntensifiers make them stronger ("बहुत अच्छा" is 5), and the
	// absolute ones make "not good" a 1 ("बिल्कुल अच्छा नहीं"); neitherNor
	// say "neither good nor bad".
	ratingPhrases      = byWord("ratings", ratingsData.Ratings)
	ratingIntensifiers = set(ratingsData.Intensifiers)
	ratingAbsolutes    = set(ratingsData.Absolute)
	neitherNor         = phrases(ratingsData.NeitherNor)

	// The words that make a number approximate ("लगभग 40"), a scale vague
	// ("कई लाख"), a bound ("30 से ज़्यादा", "50 तक"); the money words
	// (currency, "only", "/-"); and the phrases that say none where a
	// count is asked.
	approxWords = set(numbersData.Approx)
	vagueWords  = set(numbersData.Vague)
	moreWords   = set(numbersData.More)
	lessWords   = set(numbersData.Less)
	moneyWords  = set(numbersData.Money)
	zeroPhrases = phrases(numbersData.Zero)

	// hindiNumbers maps each spelling of a Hindi number word, Devanagari
	// and romanised, to its value.
	hindiNumbers = byWord("hindi", numbersData.Hindi)
	// englishNumbers are the English number words; a tens word followed
	// by a unit word adds up ("twenty five").
	englishNumbers = byWord("english", numbersData.English)
	// scaleWords multiply what stands before them. सौ is a hundred inside
	// a group; the others end a group (हज़ार, लाख, करोड़ in falling order).
	scaleWords = byWord("scales", numbersData.Scales)

	// formerPlaceNames are the keys of places' former names, by the key
	// of the name each has now, in a fixed order.
	formerPlaceNames = formerNames(placesData.FormerNames)

	// nameData are the words around a name (PersonName), normalised.
	nameData = struct{ frames, self, padding, endings [][]string }{
		normalPhrases(namesData.Frames), normalPhrases(namesData.Self),
		normalPhrases(namesData.Padding), normalPhrases(namesData.Endings),
	}
)

// normalPhrases splits each phrase of a list into its normalised words.
func normalPhrases(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(Normalize(p))
	}
	return out
}

// formerName is a place's present name's key and its former names' keys.
type formerName struct {
	present string
	former  []string
}

// formerNames keys the table of former names; a former name under two
// present ones is a broken table.
func formerNames(m map[string][]string) []formerName {
	seen := map[string]string{}
	out := make([]formerName, 0, len(m))
	for present, olds := range m {
		f := formerName{present: PlaceKey(present)}
		for _, o := range olds {
			k := PlaceKey(o)
			if was, ok := seen[k]; ok && was != present {
				panic(fmt.Sprintf("locales/words/match: places: %q is under %q and %q", o, was, present))
			}
			seen[k] = present
			f.former = append(f.former, k)
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].present < out[j].present })
	return out
}
