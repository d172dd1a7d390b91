// Package words holds built-in word lists as data, beside the messages:
// match/*.yaml are the tables flows/match reads (yes and no, the words
// that work anywhere, number words, the check-in words). The decline reasons of this folder
// (reasons.<lang>.yaml) are read by package locales, with the lists a
// coordinator adds.
package words

import "embed"

// Match holds match/yesno.yaml, match/commands.yaml, match/numbers.yaml and
// match/checkin.yaml.
//
//go:embed match/*.yaml
var Match embed.FS
