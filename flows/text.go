package flows

import "github.com/saathi-bot/saathi/locales"

// Text renders message id, which takes no data, in lang (Hindi when lang
// is empty or unknown): for a message sent outside any flow, such as the
// dispatcher's apology for a message it could not apply.
func (e *Engine) Text(lang, id string) string {
	if lang == "" {
		lang = locales.Default
	}
	return e.cat.Text(lang, id, nil)
}
