package locales

import (
	"regexp"
	"slices"
)

// latinAllowed are the Latin words a Hindi message may hold: what people
// at the block office really say and write in Latin letters.
var latinAllowed = []string{
	// Scheme and programme names.
	"AMRUT", "NRLM", "JJM", "RGSA", "SHG",
	// Things named as they are: file kinds, apps, codes.
	"OTP", "PDF", "Excel", "CSV", "XLSX", "Telegram", "WhatsApp", "QR", "ID",
	// Titles said as they are in the programmes' offices.
	"DMM", "BMM", "EO", "MIS", "IEC",
	// Training institutes said by their initials (RCUES Lucknow).
	"RCUES",
	// The name of the language offered at the language question.
	"English",
}

var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	url            = regexp.MustCompile(`https?://\S+`)
	slashCommand   = regexp.MustCompile(`(^|[\s(“"'])/[a-z_]+`)
	latinWord      = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
)

// latinWords are the Latin words of a message's text, with template
// actions, URLs and /commands shown as commands left out.
func latinWords(text string) []string {
	text = templateAction.ReplaceAllString(text, " ")
	text = url.ReplaceAllString(text, " ")
	text = slashCommand.ReplaceAllString(text, " ")
	return latinWord.FindAllString(text, -1)
}

// EnglishIn lists the Latin words of a Hindi text that people would not
// write in Latin letters themselves (not a scheme's name, SHG, OTP, PDF,
// Excel …): English leaking into a Hindi message. Template actions, URLs
// and /commands are left out. Tests scan messages and replies with it.
func EnglishIn(text string) []string {
	var out []string
	for _, w := range latinWords(text) {
		if !slices.Contains(latinAllowed, w) {
			out = append(out, w)
		}
	}
	return out
}
