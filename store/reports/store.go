package reports

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/roster"
)

const (
	prefix     = "saathi:report:"
	periodsKey = prefix + "periods"
)

func currentKey(period string) string { return prefix + "{" + period + "}:current" }
func historyKey(period, shg string) string {
	return prefix + "{" + period + "}:history:" + fold(shg)
}

// Grace is how long after its due date a period still takes reports.
const Grace = 7 * 24 * time.Hour

// Period is a month that reports are asked for, in one scope.
type Period struct {
	ID       string    `json:"id"`  // the month, YYYY-MM
	Due      time.Time `json:"due"` // reports are due by then (and taken for Grace after)
	Level    string    `json:"level"`
	Value    string    `json:"value,omitempty"` // scope: roster.LevelAll and "", or division, district or block and its name
	OpenedBy string    `json:"opened_by"`       // who opened it: a phone, or "cli"
	At       time.Time `json:"at"`              // when it was opened
}

// Scope is the geography p is open for.
func (p Period) Scope() roster.Scope { return roster.Scope{Level: p.Level, Value: p.Value} }

// Validate checks a period: a month as YYYY-MM, a due time, and a scope
// that is all, or a division, district or block with a name.
func (p Period) Validate() error {
	if err := checkPeriodID(p.ID); err != nil {
		return err
	}
	if p.Due.IsZero() {
		return fmt.Errorf("period %s has no due date", p.ID)
	}
	switch p.Level {
	case roster.LevelAll:
		if p.Value != "" {
			return fmt.Errorf("period %s: scope all takes no value, not %q", p.ID, p.Value)
		}
	case roster.LevelDivision, roster.LevelDistrict, roster.LevelBlock:
		if strings.TrimSpace(p.Value) == "" {
			return fmt.Errorf("period %s: scope %s needs a name", p.ID, p.Level)
		}
	default:
		return fmt.Errorf("period %s: scope level %q is not all, division, district or block", p.ID, p.Level)
	}
	return nil
}

// field is p's field in the periods hash: one per (ID, Level, Value).
func (p Period) field() string { return p.ID + "|" + p.Level + "|" + fold(p.Value) }

// Store keeps periods and reports in Redis.
type Store struct {
	rdb    redis.UniversalClient
	submit *redis.Script
}

// New returns the store of reports kept in rdb.
func New(rdb redis.UniversalClient) *Store {
	return &Store{rdb: rdb, submit: redis.NewScript(submitScript)}
}

// OpenPeriod opens a period for reports. It is idempotent per (ID, Level,
// Value): opening the same month for the same scope again changes
// nothing, and the first opening (its due date, OpenedBy and At) stays.
// A zero At is taken as now.
func (s *Store) OpenPeriod(ctx context.Context, p Period) error {
	p.Value = strings.TrimSpace(p.Value)
	if err := p.Validate(); err != nil {
		return fmt.Errorf("open period: %w", err)
	}
	if p.At.IsZero() {
		p.At = time.Now()
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("open period %s: %w", p.ID, err)
	}
	if err := s.rdb.HSetNX(ctx, periodsKey, p.field(), data).Err(); err != nil {
		return fmt.Errorf("open period %s for %s: %w", p.ID, p.Scope(), err)
	}
	return nil
}

// Periods returns every period opened, latest month first, then by due
// date (latest first), level and name.
func (s *Store) Periods(ctx context.Context) ([]Period, error) {
	vals, err := s.rdb.HVals(ctx, periodsKey).Result()
	if err != nil {
		return nil, fmt.Errorf("list report periods: %w", err)
	}
	ps := make([]Period, 0, len(vals))
	for _, v := range vals {
		var p Period
		if err := json.Unmarshal([]byte(v), &p); err != nil {
			return nil, fmt.Errorf("list report periods: %w", err)
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Period) int {
		return cmp.Or(strings.Compare(b.ID, a.ID), b.Due.Compare(a.Due),
			strings.Compare(a.Level, b.Level), strings.Compare(a.Value, b.Value))
	})
	return ps, nil
}

// OpenFor returns the period person should report for at now: of the
// periods whose scope contains the person (by division, district or
// block) and that are not more than Grace past their due date — or not
// past the date of a target of theirs that reaches the person (a group
// below it may still correct its report) — the one due last (of equal due
// dates, the later month). ok is false when none is.
func (s *Store) OpenFor(ctx context.Context, person roster.Person, now time.Time) (p Period, ok bool, err error) {
	ps, err := s.Periods(ctx)
	if err != nil {
		return Period{}, false, err
	}
	targets := map[string][]Target{}
	for _, q := range ps {
		if !q.Scope().Contains(person) {
			continue
		}
		if now.After(q.Due.Add(Grace)) {
			ts, seen := targets[q.ID]
			if !seen {
				if ts, err = s.Targets(ctx, q.ID); err != nil {
					return Period{}, false, err
				}
				targets[q.ID] = ts
			}
			if _, running := TargetFor(ts, person, now); !running {
				continue
			}
		}
		if !ok || q.Due.After(p.Due) || (q.Due.Equal(p.Due) && q.ID > p.ID) {
			p, ok = q, true
		}
	}
	return p, ok, nil
}

// submitScript makes a report the current one of its SHG and appends it
// to the SHG's history. KEYS: current, history. ARGV: SHG (folded), JSON.
// It returns 1 when it replaced an earlier report.
const submitScript = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[2])
if old then return 1 end
return 0
`

// Submit validates a report and stores it as the current one of its SHG
// for its period; replaced says whether an earlier one was there. Every
// version stays in the SHG's history. Both happen in one Lua script. SHG
// names compare as in the roster (ज़ = ज, spaces, case); the name is kept
// with its spaces trimmed and collapsed. A zero At is taken as now. Submit does not check that the period is open: ask
// OpenFor first.
func (s *Store) Submit(ctx context.Context, r Report) (replaced bool, err error) {
	r.SHG = strings.Join(strings.Fields(r.SHG), " ")
	r.Problem = strings.TrimSpace(r.Problem)
	if err := r.Validate(); err != nil {
		return false, fmt.Errorf("submit: %w", err)
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	data, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("submit report of %q: %w", r.SHG, err)
	}
	n, err := s.submit.Run(ctx, s.rdb, []string{currentKey(r.Period), historyKey(r.Period, r.SHG)}, fold(r.SHG), data).Int()
	if err != nil {
		return false, fmt.Errorf("submit report of %q for %s: %w", r.SHG, r.Period, err)
	}
	return n == 1, nil
}

// Get returns the current report of an SHG for a period; ok is false when
// there is none.
func (s *Store) Get(ctx context.Context, period, shg string) (r Report, ok bool, err error) {
	data, err := s.rdb.HGet(ctx, currentKey(period), fold(shg)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Report{}, false, nil
	}
	if err != nil {
		return Report{}, false, fmt.Errorf("get report of %q for %s: %w", shg, period, err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return Report{}, false, fmt.Errorf("get report of %q for %s: %w", shg, period, err)
	}
	return r, true, nil
}

// History returns every report an SHG submitted for a period, oldest first.
func (s *Store) History(ctx context.Context, period, shg string) ([]Report, error) {
	vals, err := s.rdb.LRange(ctx, historyKey(period, shg), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("history of %q for %s: %w", shg, period, err)
	}
	rs, err := decodeReports(vals)
	if err != nil {
		return nil, fmt.Errorf("history of %q for %s: %w", shg, period, err)
	}
	return rs, nil
}

// Reports returns the current report of every SHG that reported for a
// period, sorted by SHG name.
func (s *Store) Reports(ctx context.Context, period string) ([]Report, error) {
	vals, err := s.rdb.HVals(ctx, currentKey(period)).Result()
	if err != nil {
		return nil, fmt.Errorf("reports for %s: %w", period, err)
	}
	rs, err := decodeReports(vals)
	if err != nil {
		return nil, fmt.Errorf("reports for %s: %w", period, err)
	}
	slices.SortFunc(rs, func(a, b Report) int { return strings.Compare(a.SHG, b.SHG) })
	return rs, nil
}

// ReportsOf returns the current reports of the SHGs named (names compare
// as in the roster) for a period, those that reported, in no order: a
// coordinator's area reads as many reports as it has SHGs, whatever the
// state's. One HMGET a thousand names.
func (s *Store) ReportsOf(ctx context.Context, period string, shgs []string) ([]Report, error) {
	fields := make([]string, 0, len(shgs))
	seen := map[string]bool{}
	for _, name := range shgs {
		if k := fold(name); k != "" && !seen[k] {
			seen[k] = true
			fields = append(fields, k)
		}
	}
	var out []Report
	for page := range slices.Chunk(fields, reportPage) {
		vals, err := s.rdb.HMGet(ctx, currentKey(period), page...).Result()
		if err != nil {
			return nil, fmt.Errorf("reports for %s: %w", period, err)
		}
		for _, v := range vals {
			str, ok := v.(string)
			if !ok {
				continue // no report
			}
			var r Report
			if err := json.Unmarshal([]byte(str), &r); err != nil {
				return nil, fmt.Errorf("reports for %s: %w", period, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// reportPage is how many reports one HSCAN of EachReport asks for.
const reportPage = 1000

// EachReport calls fn with the current report of every SHG that reported
// for a period, a page at a time (HSCAN), in no order; a report may come
// twice (Builder does not mind).
func (s *Store) EachReport(ctx context.Context, period string, fn func(page []Report) error) error {
	var cursor uint64
	for {
		kv, next, err := s.rdb.HScan(ctx, currentKey(period), cursor, "", reportPage).Result()
		if err != nil {
			return fmt.Errorf("reports for %s: %w", period, err)
		}
		vals := make([]string, 0, len(kv)/2)
		for i := 1; i < len(kv); i += 2 { // field, value, field, value …
			vals = append(vals, kv[i])
		}
		rs, err := decodeReports(vals)
		if err != nil {
			return fmt.Errorf("reports for %s: %w", period, err)
		}
		if err := fn(rs); err != nil {
			return err
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}

func decodeReports(vals []string) ([]Report, error) {
	rs := make([]Report, len(vals))
	for i, v := range vals {
		if err := json.Unmarshal([]byte(v), &rs[i]); err != nil {
			return nil, err
		}
	}
	return rs, nil
}
