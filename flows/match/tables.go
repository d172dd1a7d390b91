package match

import (
	"fmt"
	"sort"

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
}

var (
	yesnoData    = mustRead[yesnoFile]("yesno.yaml")
	commandsData = mustRead[commandsFile]("commands.yaml")
	numbersData  = mustRead[numbersFile]("numbers.yaml")
	checkinData  = mustRead[checkinFile]("checkin.yaml")
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

	// hindiNumbers maps each spelling of a Hindi number word, Devanagari
	// and romanised, to its value.
	hindiNumbers = byWord("hindi", numbersData.Hindi)
	// englishNumbers are the English number words; a tens word followed
	// by a unit word adds up ("twenty five").
	englishNumbers = byWord("english", numbersData.English)
	// scaleWords multiply what stands before them. सौ is a hundred inside
	// a group; the others end a group (हज़ार, लाख, करोड़ in falling order).
	scaleWords = byWord("scales", numbersData.Scales)
)
