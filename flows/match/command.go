package match

// The commands Command recognises.
const (
	CmdHelp     = "help"     // मदद, help karo, मदद चाहिए
	CmdCancel   = "cancel"   // रद्द करो, बस करो, ruk jao, छोड़ो
	CmdLanguage = "language" // भाषा, language change
	CmdEnglish  = "english"  // english mein, अंग्रेज़ी में: switch to English
	CmdHindi    = "hindi"    // hindi mein, हिंदी में: switch to Hindi
)

// Command recognises a word that works anywhere, mid-flow, when it is the
// whole reply, in any common form: "help", "help karo", "मदद कीजिए", "मुझे
// मदद चाहिए", "रद्द करो", "cancel kar do", "बस करो", "ruk jao", "छोड़ो",
// "रहने दो", "भाषा बदलें", "english mein", "in english please",
// "अंग्रेज़ी में बात करें", "hindi mein", "हिंदी में". Slash commands are the
// engine's own.
//
// A bare language name ("English", "हिंदी") is not a command here (it may
// be the answer to a question); Language reads it at the language question.
func Command(s string) (string, bool) {
	cmd, verb, langMarker := "", false, false
	for _, w := range words(Normalize(s), false) {
		switch {
		case commandFillers[w]:
		case commandVerbs[w]:
			verb = true
		case languageMarkers[w]:
			langMarker = true
		default:
			c, ok := commandWords[w]
			if !ok || (cmd != "" && c != cmd) {
				return "", false
			}
			cmd = c
		}
	}
	switch cmd {
	case "":
		return "", false
	case cmdBas:
		if !verb {
			return "", false // "बस" alone may answer a question
		}
		return CmdCancel, true
	case CmdEnglish, CmdHindi:
		if !langMarker && !verb {
			return "", false
		}
	}
	return cmd, true
}

// Language reads the answer to the language question: "hi", "en", the
// language's name in either script, or "… में".
func Language(s string) (string, bool) {
	if cmd, ok := Command(s); ok && (cmd == CmdEnglish || cmd == CmdHindi) {
		return langOf[cmd], true
	}
	ws := words(Normalize(s), false)
	var found string
	for _, w := range ws {
		switch {
		case commandFillers[w], languageMarkers[w], commandVerbs[w], commandWords[w] == CmdLanguage:
		case languageCodes[w] != "":
			if found != "" && found != languageCodes[w] {
				return "", false
			}
			found = languageCodes[w]
		default:
			return "", false
		}
	}
	return found, found != ""
}

var langOf = map[string]string{CmdEnglish: "en", CmdHindi: "hi"}

// cmdBas is बस, a cancel only with a verb ("बस करो").
const cmdBas = "bas"

// commandWords are the words of the commands, in normalised spellings.
var commandWords = map[string]string{
	"मदद": CmdHelp, "सहायता": CmdHelp, "हेल्प": CmdHelp, "help": CmdHelp, "madad": CmdHelp, "madat": CmdHelp,
	"sahayata": CmdHelp, "sahayta": CmdHelp, "sahyata": CmdHelp, "helpp": CmdHelp,
	"रद्द": CmdCancel, "रद": CmdCancel, "cancel": CmdCancel, "radd": CmdCancel, "rad": CmdCancel, "कैंसल": CmdCancel,
	"cancle": CmdCancel, "छोडो": CmdCancel, "छोडिए": CmdCancel, "छोडिये": CmdCancel, "chhodo": CmdCancel, "chodo": CmdCancel,
	"chhodiye": CmdCancel, "छोड": CmdCancel, "chhod": CmdCancel, "chod": CmdCancel, "रुको": CmdCancel, "रुक": CmdCancel, "रुकिए": CmdCancel, "ruko": CmdCancel, "ruk": CmdCancel,
	"rukiye": CmdCancel, "रहने": CmdCancel, "rehne": CmdCancel, "rahne": CmdCancel,
	"exit": CmdCancel, "quit": CmdCancel,
	// "stop", "बंद (करो)" and "band karo" are not here: they stop broadcasts (flows/optout.yaml).
	"बस": cmdBas, "bas": cmdBas, "bass": cmdBas,
	"भाषा": CmdLanguage, "language": CmdLanguage, "bhasha": CmdLanguage, "bhasa": CmdLanguage, "lang": CmdLanguage,
	"english": CmdEnglish, "अंग्रेजी": CmdEnglish, "इंग्लिश": CmdEnglish, "angrezi": CmdEnglish, "angreji": CmdEnglish,
	"inglish": CmdEnglish, "eng": CmdEnglish,
	"हिंदी": CmdHindi, "हिन्दी": CmdHindi, "hindi": CmdHindi,
}

// commandVerbs are the verbs around a command: "करो", "kar do", "बदलें".
var commandVerbs = map[string]bool{
	"करो": true, "कर": true, "करें": true, "करिए": true, "करिये": true, "कीजिए": true, "कीजिये": true, "karo": true,
	"kar": true, "karen": true, "kariye": true, "kijiye": true, "kro": true, "kr": true, "krdo": true, "kardo": true,
	"जाओ": true, "जाइए": true, "jao": true, "jaiye": true, "jaao": true,
	"बदलो": true, "बदलें": true, "बदलिए": true, "बदलना": true, "badlo": true, "badle": true, "badlen": true, "badliye": true,
	"करना": true, "karna": true, "krna": true, "बदलनी": true, "badalni": true, "badalna": true,
	"change": true, "बात": true, "baat": true, "bolo": true, "बोलो": true, "likho": true, "लिखो": true,
}

// commandFillers are the words people put around a command.
var commandFillers = map[string]bool{
	"please": true, "plz": true, "pls": true, "plis": true, "कृपया": true, "kripya": true, "जी": true, "ji": true,
	"भाई": true, "bhai": true, "मुझे": true, "mujhe": true, "muje": true, "हमें": true, "hume": true, "humein": true,
	"चाहिए": true, "चाहिये": true, "chahiye": true, "chaiye": true, "chahie": true, "दो": true, "do": true, "दीजिए": true,
	"dijiye": true, "दें": true, "है": true, "hai": true, "i": true, "want": true, "need": true, "sir": true,
	"सर": true, "madam": true, "मैडम": true, "the": true, "this": true, "it": true, "यह": true, "ये": true, "ye": true,
	"सब": true, "sab": true, "अब": true, "ab": true, "कुछ": true, "kuch": true, "थोडी": true, "thodi": true,
}

// languageMarkers say "in" a language: "english mein", "in english".
var languageMarkers = map[string]bool{
	"में": true, "मे": true, "me": true, "mein": true, "mai": true, "main": true, "mei": true, "in": true, "into": true,
}

// languageCodes are the answers to the language question.
var languageCodes = map[string]string{
	"hi": "hi", "hin": "hi", "hindi": "hi", "हिंदी": "hi", "हिन्दी": "hi", "हि": "hi",
	"en": "en", "eng": "en", "english": "en", "अंग्रेजी": "en", "इंग्लिश": "en", "angrezi": "en", "angreji": "en", "inglish": "en",
}
