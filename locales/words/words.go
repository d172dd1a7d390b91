// Package words holds built-in word lists as data, beside the messages:
// match/*.yaml are the tables flows/match reads (yes and no, the words
// that work anywhere, number words and the words around numbers, the
// fraction words and range joiners, the check-in words, date words, rating
// words, the words around place names and places' former names, the words
// around a person's name). The decline reasons of this folder
// (reasons.<lang>.yaml) are read by package locales. A coordinator adds to
// both in SAATHI_FLOWS_DIR/locales/words, in the same format.
package words

import "embed"

// Match holds match/*.yaml: yesno, commands, checkin, numbers, counting,
// dates, ratings, places and names.
//
//go:embed match/*.yaml
var Match embed.FS
