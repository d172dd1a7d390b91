package main

import (
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/saathi-bot/saathi/locales"
)

// failure is a command's error as the person at the terminal reads it, in
// --lang: a message of locales/cli.*.yaml with its data, then, when set,
// the technical cause as it came (Redis's, the file system's words), on
// the same line. run renders it; Error is what a log would hold.
type failure struct {
	id    string
	data  map[string]string
	cause error
	usage bool // a command-line mistake: exit status 2
	// enCause: the message says in full what cause says, in English; the
	// cause is shown in English only, for its detail.
	enCause bool
}

// fail is a failure of message id with data (pairs of keys and values).
func fail(id string, cause error, data ...string) error {
	return &failure{id: id, data: pairs(data), cause: cause}
}

// failUsage is fail for a command-line mistake (exit status 2).
func failUsage(id string, data ...string) error {
	return &failure{id: id, data: pairs(data), usage: true}
}

// usageHint is the mistake of a command written wrong: how to write it.
func usageHint(syntax string) error { return failUsage("cli.err_usage", "usage", syntax) }

func pairs(kv []string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// Error is the failure in English, for a log line (run words it in the
// command's --lang instead).
func (f *failure) Error() string {
	cat, err := locales.Load()
	if err != nil {
		s := f.id
		for _, k := range slices.Sorted(maps.Keys(f.data)) {
			s += " " + k + "=" + f.data[k]
		}
		return s
	}
	return f.in(cat, "en")
}

// in is the failure in lang, its cause after it.
func (f *failure) in(cat *locales.Catalog, lang string) string {
	text := cat.Text(lang, f.id, f.data)
	if f.cause != nil && (lang == "en" || !f.enCause) {
		text += ": " + causeIn(lang, f.cause)
	}
	return text
}

func (f *failure) Unwrap() []error {
	var out []error
	if f.usage {
		out = append(out, errUsage)
	}
	if f.cause != nil {
		out = append(out, f.cause)
	}
	return out
}

// rendered is an error in the words of the person at the terminal; it
// wraps the error it renders, so errors.Is still sees errUsage.
type rendered struct {
	text string
	err  error
}

func (r *rendered) Error() string { return r.text }
func (r *rendered) Unwrap() error { return r.err }

// render words err in lang: a failure by its message, a mistake the flag
// package found by ours, anything else after a line that says it failed.
func render(cat *locales.Catalog, lang string, err error) error {
	var f *failure
	if !errors.As(err, &f) {
		f = flagMistake(err)
	}
	if f == nil {
		return &rendered{text: cat.Text(lang, "cli.err_failed", map[string]string{"err": oneLine(err)}), err: err}
	}
	return &rendered{text: f.in(cat, lang), err: err}
}

// flagError is a mistake the flag package found while parsing command's flags.
type flagError struct {
	command string
	err     error
}

func (e *flagError) Error() string   { return e.err.Error() + "; see " + e.command + " --help" }
func (e *flagError) Unwrap() []error { return []error{errUsage, e.err} }

// flagMistake words a flagError by what the flag package said (its
// messages are fixed: flag.go); nil for another error.
func flagMistake(err error) *failure {
	var fe *flagError
	if !errors.As(err, &fe) {
		return nil
	}
	msg := fe.err.Error()
	cut := func(prefix string) (string, bool) { return strings.CutPrefix(msg, prefix) }
	f := func(id string, kv ...string) *failure {
		data := pairs(append(kv, "help", fe.command+" --help", "usage", commandSyntax(fe.command)))
		return &failure{id: id, data: data, usage: true}
	}
	if name, ok := cut("flag provided but not defined: "); ok {
		return f("cli.err_flag_unknown", "flag", name)
	}
	if name, ok := cut("flag needs an argument: "); ok {
		return f("cli.err_flag_needs_value", "flag", name)
	}
	if rest, ok := cut("invalid value "); ok {
		// invalid value "x" for flag -name: reason
		value, rest, _ := strings.Cut(rest, " for flag ")
		name, _, _ := strings.Cut(rest, ":")
		return f("cli.err_flag_bad_value", "flag", name, "value", value)
	}
	if rest, ok := cut("invalid boolean value "); ok {
		value, rest, _ := strings.Cut(rest, " for -")
		name, _, _ := strings.Cut(rest, ":")
		return f("cli.err_flag_bad_value", "flag", "-"+name, "value", value)
	}
	return f("cli.err_flag_other", "err", msg)
}

// argLang is the --lang among a command's arguments (hi when none, or
// not one we have): the language its errors are worded in.
func argLang(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		for _, name := range []string{"--lang", "-lang"} {
			if v, ok := strings.CutPrefix(a, name+"="); ok {
				return knownLang(v)
			}
			if a == name && i+1 < len(args) {
				return knownLang(args[i+1])
			}
		}
	}
	return locales.Default
}

func knownLang(l string) string {
	if l == "en" {
		return "en"
	}
	return locales.Default
}

// commandSyntax is how saathi help writes command (its first line there),
// or command itself when it has none.
func commandSyntax(command string) string {
	for _, c := range commandList {
		if c.syntax == command || strings.HasPrefix(c.syntax, command+" ") {
			return c.syntax
		}
	}
	return command
}
