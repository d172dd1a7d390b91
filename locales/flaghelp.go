package locales

import (
	"embed"
	"fmt"

	"gopkg.in/yaml.v3"
)

// flagHelp holds what each command-line flag is for, in the languages
// other than English: flaghelp/<lang>.yaml maps the flag's English usage
// text, as the code gives it, to its translation (as gettext keys by the
// source text), so a flag whose English changes is found untranslated.
//
//go:embed flaghelp/*.yaml
var flagHelp embed.FS

// FlagHelp is the translation of the flags' usage texts into lang, keyed
// by the English text; nil for English.
func FlagHelp(lang string) (map[string]string, error) {
	if lang == "en" {
		return nil, nil
	}
	data, err := flagHelp.ReadFile("flaghelp/" + lang + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("flag help in %s: %w", lang, err)
	}
	var m map[string]string
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("flag help in %s: %w", lang, err)
	}
	return m, nil
}
