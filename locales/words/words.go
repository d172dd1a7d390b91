// Package words holds built-in word lists as data, beside the messages:
// match/*.yaml are the tables flows/match reads (yes and no, the words
// that work anywhere, number words and the words around numbers, the
// check-in words, date words, rating words, places' former names, the
// words around a name). The decline reasons of this folder
// (reasons.<lang>.yaml) are read by package locales, with the lists a
// coordinator adds.
package words

import "embed"

// Match holds match/*.yaml: yesno, commands, numbers, checkin, dates,
// ratings, places and names.
//
//go:embed match/*.yaml
var Match embed.FS
