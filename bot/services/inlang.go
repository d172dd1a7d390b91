package services

import (
	"maps"
	"strings"

	"github.com/saathi-bot/saathi/locales"
)

// inLanguage is args with each <field>_msg (a message id lang has) as
// <field>, its text in lang.
func inLanguage(cat *locales.Catalog, lang string, args map[string]string) map[string]string {
	out := maps.Clone(args)
	for k, id := range args {
		if field, ok := strings.CutSuffix(k, "_msg"); ok && field != "" && cat.Has(lang, id) {
			out[field] = cat.Text(lang, id, nil)
		}
	}
	return out
}
