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
func (wl *Words) Command(s string) (string, bool) {
	ws := words(Normalize(s), false)
	if cmd, ok := wl.notFollowing(ws); ok {
		return cmd, true
	}
	cmd, verb, langMarker := "", false, false
	for _, w := range ws {
		switch {
		case wl.commandFillers[w]:
		case wl.commandVerbs[w]:
			verb = true
		case wl.languageMarkers[w]:
			langMarker = true
		default:
			c, ok := wl.commandWords[w]
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

// notFollowing reads "I don't follow" ("समझ नहीं आया", "kuch samajh nahi
// aa raha") as a help, and "I don't know this language" ("मुझे अंग्रेज़ी
// नहीं आती", "hindi samajh nahi aati") as the other language, when that
// is the whole reply. "मदद नहीं चाहिए" is neither.
func (wl *Words) notFollowing(ws []string) (string, bool) {
	lang, understand, negated, comes := "", false, false, false
	for _, w := range ws {
		c := wl.commandWords[w]
		switch {
		case wl.understandWords[w]:
			understand = true
		case wl.negations[w]:
			negated = true
		case wl.comesWords[w]:
			comes = true
		case c == CmdEnglish || c == CmdHindi:
			if lang != "" && lang != c {
				return "", false
			}
			lang = c
		case c == CmdHelp, wl.commandFillers[w], wl.commandVerbs[w], wl.languageMarkers[w]:
		default:
			return "", false
		}
	}
	switch {
	case !negated:
		return "", false
	case lang != "" && (comes || understand):
		return otherLanguage[lang], true
	case lang == "" && understand:
		return CmdHelp, true
	}
	return "", false
}

var otherLanguage = map[string]string{CmdEnglish: CmdHindi, CmdHindi: CmdEnglish}

// Language reads the answer to the language question: "hi", "en", the
// language's name in either script, or "… में".
func (wl *Words) Language(s string) (string, bool) {
	if cmd, ok := wl.Command(s); ok && (cmd == CmdEnglish || cmd == CmdHindi) {
		return langOf[cmd], true
	}
	ws := words(Normalize(s), false)
	var found string
	for _, w := range ws {
		switch {
		case wl.languageCodes[w] != "": // first: "hi" is Hindi here, not ही
			if found != "" && found != wl.languageCodes[w] {
				return "", false
			}
			found = wl.languageCodes[w]
		case wl.commandFillers[w], wl.languageMarkers[w], wl.commandVerbs[w], wl.languageFillers[w], wl.commandWords[w] == CmdLanguage:
		default:
			return "", false
		}
	}
	return found, found != ""
}

var langOf = map[string]string{CmdEnglish: "en", CmdHindi: "hi"}

// cmdBas is बस, a cancel only with a verb ("बस करो").
const cmdBas = "bas"
