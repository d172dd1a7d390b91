package main

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/store/training"
)

// The command-line mistakes several commands make alike, each a usage
// failure worded in --lang (locales/commands.*.yaml).

// badValue is flag's value that is not right; cause, from below, says why.
func badValue(flag, value string, cause error) error {
	return &failure{id: "cli.err_bad_value", data: map[string]string{"flag": flag, "value": strconv.Quote(value)}, cause: cause, usage: true}
}

// badChoice is flag's value that is none of choices.
func badChoice(flag, value string, choices ...string) error {
	return failUsage("cli.err_bad_choice", "flag", flag, "value", strconv.Quote(value), "choices", strings.Join(choices, "|"))
}

// badDate is flag's value that is not a date YYYY-MM-DD.
func badDate(flag, value string) error {
	return failUsage("cli.err_bad_date", "flag", flag, "value", strconv.Quote(value))
}

// badMonth is flag's value that is not a month YYYY-MM.
func badMonth(flag, value string) error {
	return failUsage("cli.err_bad_month", "flag", flag, "value", strconv.Quote(value))
}

// checkMonth refuses flag's value unless it is a month YYYY-MM.
func checkMonth(flag, value string) error {
	if _, err := time.Parse("2006-01", value); err != nil || len(value) != len("2006-01") {
		return badMonth(flag, value)
	}
	return nil
}

// badDateTime is flag's value that is not a date and time.
func badDateTime(flag, value string) error {
	return failUsage("cli.err_bad_datetime", "flag", flag, "value", strconv.Quote(value), "example", "2026-12-12T10:00")
}

// causeIn is a failure's cause as the person at the terminal reads it:
// when lang is not English and every problem it joins has its Hindi (a
// training's field problem, after the flag that sets the field; a filter's,
// a row's …), that Hindi; else the cause as it came, on one line.
func causeIn(lang string, cause error) string {
	if lang != "en" {
		parts := []error{cause}
		if j, ok := cause.(interface{ Unwrap() []error }); ok {
			parts = j.Unwrap()
		}
		var hi []string
		for _, p := range parts {
			var fe *training.FieldError
			var b bilingual
			switch {
			case errors.As(p, &fe) && fe.Hindi != "":
				hi = append(hi, "--"+fe.Field+": "+fe.Hindi)
			case errors.As(p, &b) && b.Hindi() != "":
				hi = append(hi, b.Hindi())
			default:
				return oneLine(cause)
			}
		}
		if len(hi) > 0 {
			return strings.Join(hi, "; ")
		}
	}
	return oneLine(cause)
}
