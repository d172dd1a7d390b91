// Package reports keeps the monthly progress reports of self-help groups
// (SHGs) and rolls them up SHG → cluster → block → district for the
// coordinators: "मैथा: 4 में से 3 समूहों ने रिपोर्ट दी · खाते 9/12 (75%)".
//
// A coordinator opens a reporting period (a month) for a scope (everyone,
// a division, a district or a block); SHG members inside that scope submit
// one report per SHG; a later report of the same SHG replaces the earlier
// one and every version is kept. RollUp, Filter, Text and Export are pure:
// they take the reports and the roster and read nothing else.
//
// Redis layout (the braces keep one period in one Redis Cluster hash slot):
//
//	saathi:report:periods                     hash: "<id>|<level>|<value folded>" -> period JSON
//	saathi:report:{<period>}:current          hash: SHG name folded -> report JSON (the current one)
//	saathi:report:{<period>}:history:<shg>    list of report JSON, oldest first (every version)
//	saathi:report:{<period>}:targets          hash: "<indicator>|<level>|<value folded>" -> target JSON
package reports

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Report is one SHG's progress report for one month.
type Report struct {
	SHG         string    `json:"shg"`                    // the SHG's name as in the roster
	Period      string    `json:"period"`                 // the month, "2026-12"
	Members     int       `json:"members"`                // members of the SHG
	Meetings    int       `json:"meetings"`               // meetings held this month
	LastMeeting string    `json:"last_meeting,omitempty"` // the day of the last, "2006-01-02"; "" for none or not given
	Savings     int64     `json:"savings"`                // ₹ saved this month
	Accounts    int       `json:"accounts"`               // members with a bank account
	LoansCount  int       `json:"loans_count"`            // loans taken this month
	LoansAmount int64     `json:"loans_amount"`           // ₹ lent this month, all loans together
	Nutrition   bool      `json:"nutrition"`              // पोषण वाटिका (nutrition garden) started
	Problem     string    `json:"problem,omitempty"`
	By          string    `json:"by"` // the reporter's phone, E.164
	At          time.Time `json:"at"` // when it was submitted
}

// Limits of a report's numbers.
const (
	MaxMembers     = 50
	MaxMeetings    = 31
	MaxSavings     = 10_00_000 // ₹10 lakh saved in one month
	MaxLoansAmount = 50_00_000 // ₹50 lakh lent in one month
	MaxProblem     = 1000      // characters of the problem text
)

// FieldError is one thing wrong with a report: Field is the Go name of
// the field ("Members"), Reason says what is wrong, in English.
type FieldError struct {
	Field, Reason string
}

func (e *FieldError) Error() string { return strings.ToLower(e.Field) + ": " + e.Reason }

// Validate checks a report: an SHG name, a period (YYYY-MM), 1–50
// members, 0–31 meetings, savings of ₹0–10,00,000, at most as many
// accounts and loans as members, a loan amount of ₹0–50,00,000 that is 0
// exactly when there are no loans, and a problem of at most 1000
// characters. Every problem comes back, each a *FieldError naming its
// field (errors.As finds the first; the message lists them all).
func (r Report) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(r.SHG) == "" {
		bad("SHG", "the SHG's name is missing")
	}
	if err := checkPeriodID(r.Period); err != nil {
		bad("Period", "%v", err)
	}
	if r.Members < 1 || r.Members > MaxMembers {
		bad("Members", "must be 1–%d, not %d", MaxMembers, r.Members)
	}
	if r.Meetings < 0 || r.Meetings > MaxMeetings {
		bad("Meetings", "must be 0–%d, not %d", MaxMeetings, r.Meetings)
	}
	if r.Savings < 0 || r.Savings > MaxSavings {
		bad("Savings", "must be ₹0–%s, not %d", Rupees(MaxSavings), r.Savings)
	}
	switch {
	case r.Accounts < 0:
		bad("Accounts", "cannot be negative (%d)", r.Accounts)
	case r.Accounts > r.Members:
		bad("Accounts", "%d accounts is more than the %d members", r.Accounts, r.Members)
	}
	switch {
	case r.LoansCount < 0:
		bad("LoansCount", "cannot be negative (%d)", r.LoansCount)
	case r.LoansCount > r.Members:
		bad("LoansCount", "%d loans is more than the %d members", r.LoansCount, r.Members)
	}
	switch {
	case r.LoansAmount < 0 || r.LoansAmount > MaxLoansAmount:
		bad("LoansAmount", "must be ₹0–%s, not %d", Rupees(MaxLoansAmount), r.LoansAmount)
	case r.LoansCount > 0 && r.LoansAmount == 0:
		bad("LoansAmount", "%d loans but no amount", r.LoansCount)
	case r.LoansCount == 0 && r.LoansAmount > 0:
		bad("LoansAmount", "an amount of %d but no loans", r.LoansAmount)
	}
	if r.LastMeeting != "" {
		if _, err := time.Parse(time.DateOnly, r.LastMeeting); err != nil || r.Meetings == 0 {
			bad("LastMeeting", "%q is no date of a meeting held (%d meetings)", r.LastMeeting, r.Meetings)
		}
	}
	if n := utf8.RuneCountInString(r.Problem); n > MaxProblem {
		bad("Problem", "%d characters, at most %d", n, MaxProblem)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("report of %q for %s: %w", r.SHG, r.Period, errors.Join(errs...))
}

// checkPeriodID checks a period's id: a month as YYYY-MM.
func checkPeriodID(id string) error {
	if _, err := time.Parse("2006-01", id); err != nil || len(id) != len("2006-01") {
		return fmt.Errorf("period %q is not a month as YYYY-MM (e.g. 2026-12)", id)
	}
	return nil
}

// fold is a name for comparison, as the roster compares names: lower case,
// spaces trimmed and collapsed, without nukta (ज़ = ज), chandrabindu as
// anusvara (ँ = ं), without zero-width joiners, Devanagari digits as Latin.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == '\u093C', r == '\u200C', r == '\u200D', r == '\uFEFF':
			continue
		case r == '\u0901':
			r = '\u0902'
		case r >= '०' && r <= '९':
			r = '0' + (r - '०')
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}
