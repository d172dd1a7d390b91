package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/store/roster"
)

// Indicators a target can be set on: the numbers of a report, per SHG.
const (
	IndicatorAccounts  = "accounts"  // members with a bank account
	IndicatorMeetings  = "meetings"  // meetings held
	IndicatorSavings   = "savings"   // ₹ saved
	IndicatorLoans     = "loans"     // loans taken
	IndicatorNutrition = "nutrition" // a पोषण वाटिका started: 1, else 0
)

// GoalMembers is the goal "as many as the group has members" (every
// member has a bank account).
const GoalMembers = "members"

// Target is a goal a period sets for the SHGs of a scope: an indicator
// that every group's report should reach by a date ("accounts opened =
// members by 2026-12-08"). Groups below it are reminded until By and
// listed as behind.
type Target struct {
	Period    string    `json:"period"`
	Indicator string    `json:"indicator"`       // one of the Indicator constants
	Goal      string    `json:"goal"`            // GoalMembers or a whole number
	Level     string    `json:"level"`           // the scope, as a Period's
	Value     string    `json:"value,omitempty"` // …
	By        time.Time `json:"by"`              // reminders run until then; reports are taken until then
	SetBy     string    `json:"set_by"`          // a phone, or "cli"
	At        time.Time `json:"at"`
}

// Scope is the geography t is for.
func (t Target) Scope() roster.Scope { return roster.Scope{Level: t.Level, Value: t.Value} }

// indicatorWords are the words for the indicators, English and Hindi.
var indicatorWords = map[string]string{
	"accounts": IndicatorAccounts, "account": IndicatorAccounts, "खाते": IndicatorAccounts, "खाता": IndicatorAccounts, "बैंक खाते": IndicatorAccounts,
	"meetings": IndicatorMeetings, "बैठक": IndicatorMeetings, "बैठकें": IndicatorMeetings,
	"savings": IndicatorSavings, "बचत": IndicatorSavings,
	"loans": IndicatorLoans, "loan": IndicatorLoans, "ऋण": IndicatorLoans, "कर्ज": IndicatorLoans, "लोन": IndicatorLoans,
	"nutrition": IndicatorNutrition, "पोषण वाटिका": IndicatorNutrition, "वाटिका": IndicatorNutrition,
}

// ParseGoal reads "accounts=members", "खाते=सदस्य", "meetings=2": an
// indicator and its goal.
func ParseGoal(s string) (indicator, goal string, err error) {
	k, v, ok := strings.Cut(s, "=")
	indicator, known := indicatorWords[fold(k)]
	v = fold(v)
	if !ok || !known {
		return "", "", fmt.Errorf("target %q: want an indicator (accounts, meetings, savings, loans, nutrition) = a goal, e.g. accounts=members", s)
	}
	switch v {
	case GoalMembers, "सदस्य", "सभी सदस्य", "all":
		if indicator != IndicatorAccounts && indicator != IndicatorLoans {
			return "", "", fmt.Errorf("target %q: only accounts or loans can be as many as the members", s)
		}
		return indicator, GoalMembers, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return "", "", fmt.Errorf("target %q: the goal is members or a whole number of 1 or more", s)
	}
	return indicator, strconv.FormatInt(n, 10), nil
}

// Validate checks a target: a period, a known indicator and goal, a
// scope as a period's, a date.
func (t Target) Validate() error {
	if err := checkPeriodID(t.Period); err != nil {
		return err
	}
	if _, _, err := ParseGoal(t.Indicator + "=" + t.Goal); err != nil {
		return err
	}
	if t.By.IsZero() {
		return fmt.Errorf("target of %s: no date", t.Period)
	}
	return Period{ID: t.Period, Due: t.By, Level: t.Level, Value: t.Value}.Validate()
}

// field is t's field in the period's targets hash: one per indicator and scope.
func (t Target) field() string { return t.Indicator + "|" + t.Level + "|" + fold(t.Value) }

func targetsKey(period string) string { return prefix + "{" + period + "}:targets" }

// SetTarget sets (or replaces) the target of an indicator for a scope in
// a period. A zero At is taken as now.
func (s *Store) SetTarget(ctx context.Context, t Target) error {
	t.Value = strings.TrimSpace(t.Value)
	if err := t.Validate(); err != nil {
		return fmt.Errorf("set target: %w", err)
	}
	if t.At.IsZero() {
		t.At = time.Now()
	}
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("set target: %w", err)
	}
	if err := s.rdb.HSet(ctx, targetsKey(t.Period), t.field(), data).Err(); err != nil {
		return fmt.Errorf("set target of %s for %s: %w", t.Period, t.Scope(), err)
	}
	return nil
}

// Targets lists a period's targets, by indicator, then scope.
func (s *Store) Targets(ctx context.Context, period string) ([]Target, error) {
	vals, err := s.rdb.HVals(ctx, targetsKey(period)).Result()
	if err != nil {
		return nil, fmt.Errorf("targets of %s: %w", period, err)
	}
	out := make([]Target, len(vals))
	for i, v := range vals {
		if err := json.Unmarshal([]byte(v), &out[i]); err != nil {
			return nil, fmt.Errorf("targets of %s: %w", period, err)
		}
	}
	slices.SortFunc(out, func(a, b Target) int {
		return strings.Compare(a.field(), b.field())
	})
	return out, nil
}

// Value is an SHG row's number for an indicator.
func Value(r Row, indicator string) int64 {
	switch indicator {
	case IndicatorAccounts:
		return int64(r.Accounts)
	case IndicatorMeetings:
		return int64(r.Meetings)
	case IndicatorSavings:
		return r.Savings
	case IndicatorLoans:
		return int64(r.LoansCount)
	case IndicatorNutrition:
		return int64(r.NutritionGroups)
	}
	return 0
}

// GoalOf is what t asks of an SHG row: its members, or the number.
func GoalOf(t Target, r Row) int64 {
	if t.Goal == GoalMembers {
		return int64(r.Members)
	}
	n, _ := strconv.ParseInt(t.Goal, 10, 64)
	return n
}

// Behind is an SHG below a target: its row (Reported 0 when it has not
// reported), what it has and what the target asks.
type Behind struct {
	Row       Row
	Has, Goal int64
}

// BehindOf lists the SHGs of a roll-up inside t's scope that are below
// it: those that have not reported, and those whose report's number is
// under the goal; by name. It is pure.
func BehindOf(t Target, tables Tables) []Behind {
	sc := t.Scope()
	var out []Behind
	for _, r := range tables.SHG {
		if !sc.Contains(roster.Person{Division: r.Division, District: r.District, Block: r.Block, Cluster: r.Cluster}) {
			continue
		}
		has, goal := Value(r, t.Indicator), GoalOf(t, r)
		if r.Reported == 0 || has < goal {
			out = append(out, Behind{Row: r, Has: has, Goal: goal})
		}
	}
	slices.SortFunc(out, func(a, b Behind) int { return strings.Compare(a.Row.Name, b.Row.Name) })
	return out
}

// TargetFor tells whether a target of the period reaches person and is
// still running at now (not past its date); the one with the latest date.
func TargetFor(ts []Target, person roster.Person, now time.Time) (Target, bool) {
	var best Target
	ok := false
	for _, t := range ts {
		if t.Scope().Contains(person) && !now.After(t.By) && (!ok || t.By.After(best.By)) {
			best, ok = t, true
		}
	}
	return best, ok
}

// RowOf is one report as its SHG's row of a roll-up.
func RowOf(r Report) Row {
	row := Row{Level: LevelSHG, Name: r.SHG, Expected: 1, Reported: 1, Members: r.Members, Meetings: r.Meetings, Savings: r.Savings,
		Accounts: r.Accounts, LoansCount: r.LoansCount, LoansAmount: r.LoansAmount, Problem: r.Problem, At: r.At}
	if r.Nutrition {
		row.NutritionGroups = 1
	}
	row.percentages()
	return row
}

// SHGKey is an SHG's name as reports compare names (ज़ = ज, case, spaces).
func SHGKey(name string) string { return fold(name) }
