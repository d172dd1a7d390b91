package match

// maxIntentPhrase is the most words a key of intentPhrases
// (locales/words/match/yesno.yaml, read in tables.go) has.
const maxIntentPhrase = 3
