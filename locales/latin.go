package locales

import (
	"regexp"
	"slices"
)

// latinAllowed are the Latin words a Hindi text may hold: what people at
// the block office really say and write in Latin letters.
var latinAllowed = []string{
	// Scheme and programme names.
	"AMRUT", "NRLM", "JJM", "RGSA", "SHG",
	// Things named as they are: file kinds, apps, codes.
	"OTP", "PDF", "Excel", "CSV", "XLSX", "Telegram", "WhatsApp", "QR", "ID",
	// File sizes as people write them: "5 MB".
	"KB", "MB", "GB",
	// Titles said as they are in the programmes' offices.
	"DMM", "BMM", "EO", "MIS", "IEC",
	// Training institutes said by their initials (RCUES Lucknow).
	"RCUES",
	// The name of the language offered at the language question.
	"English",
}

var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	urlPattern     = regexp.MustCompile(`https?://\S+`)
	slashCommand   = regexp.MustCompile(`(^|[\s(“"'])/[a-z_]+`)
	codeSpan       = regexp.MustCompile("`[^`\n]+`")
	latinWord      = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
)

// LatinWords are the Latin words of a text, with template actions, URLs,
// /commands shown as commands and `code` (a setting's names and values, as
// they are typed: saathi help config) left out.
func LatinWords(text string) []string {
	text = templateAction.ReplaceAllString(text, " ")
	text = codeSpan.ReplaceAllString(text, " ")
	text = urlPattern.ReplaceAllString(text, " ")
	text = slashCommand.ReplaceAllString(text, " ")
	return latinWord.FindAllString(text, -1)
}

// EnglishWords are the Latin words of a Hindi text (LatinWords) that are
// not among those Hindi speakers use as they are (SHG, WhatsApp, ID …) nor
// in also: what a text meant to be Hindi should not hold.
func EnglishWords(text string, also ...string) []string {
	var out []string
	for _, w := range LatinWords(text) {
		if !slices.Contains(latinAllowed, w) && !slices.Contains(also, w) {
			out = append(out, w)
		}
	}
	return out
}
