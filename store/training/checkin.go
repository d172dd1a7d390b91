package training

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
)

// CheckInEarly is how long before a day's start its check-in opens.
const CheckInEarly = time.Hour

// Check-in methods.
const (
	MethodCode        = "code"        // the daily code shown at the venue
	MethodLocation    = "location"    // a shared location near the venue
	MethodCoordinator = "coordinator" // marked present by a coordinator
)

// Code is the 4-digit check-in code of day (from 0) of a training: an
// HMAC of the training's secret, its id and the day. It is stable, and two
// days of one training never share a code. A training without a secret
// has no codes: Code gives "".
func Code(t Training, day int) string {
	if t.Secret == "" || day < 0 {
		return ""
	}
	used := make(map[string]bool, day+1)
	var code string
	for d := 0; d <= day; d++ {
		for n := 0; ; n++ {
			code = rawCode(t, d, n)
			if !used[code] {
				used[code] = true
				break
			}
		}
	}
	return code
}

// rawCode is the n-th candidate code of a day.
func rawCode(t Training, day, n int) string {
	mac := hmac.New(sha256.New, []byte(t.Secret))
	fmt.Fprintf(mac, "saathi-checkin:%s:%d:%d", t.ID, day, n)
	v := binary.BigEndian.Uint32(mac.Sum(nil)[:4]) % 10000
	return fmt.Sprintf("%04d", v)
}

// MatchCode reports whether input is day's code. Devanagari digits (१२३४)
// are read as digits; spaces and dashes are ignored.
func MatchCode(t Training, day int, input string) bool {
	want := Code(t, day)
	if want == "" {
		return false
	}
	var b strings.Builder
	for _, r := range input {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '०' && r <= '९':
			b.WriteRune('0' + r - '०')
		case r == ' ' || r == '-':
		default:
			return false
		}
	}
	return hmac.Equal([]byte(b.String()), []byte(want))
}

// DayAt says which day's check-in window now falls in. The window of a day
// runs from CheckInEarly before its start up to (not including) its end.
// When no window is open, day is the next day whose window is still to
// come (len(t.Days) after the last one) and open is false.
func DayAt(t Training, now time.Time) (day int, open bool) {
	for i, d := range t.Days {
		if now.Before(d.Start.Add(-CheckInEarly)) {
			return i, false
		}
		if now.Before(d.End) {
			return i, true
		}
	}
	return len(t.Days), false
}

// earthRadius is the mean radius of the Earth in metres.
const earthRadius = 6371000.0

// Distance is the great-circle (haversine) distance in metres between two
// points given in degrees.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Near reports whether a location is within the training's radius
// (DefaultRadius when it has none) of the venue. A training without a
// venue location is near nothing.
func Near(t Training, lat, lon float64) bool {
	if !t.HasLocation {
		return false
	}
	r := t.Radius
	if r <= 0 {
		r = DefaultRadius
	}
	return Distance(t.Lat, t.Lon, lat, lon) <= float64(r)
}

// CheckIn is one person's check-in on one day.
type CheckIn struct {
	At     time.Time // zero: not checked in
	Method string    // code, location or coordinator
	// By and ByName: who marked it, for a coordinator's entry (a phone or
	// "cli", and their name).
	By, ByName string
}

// checkInRecord is how a check-in is kept.
type checkInRecord struct {
	At     int64  `json:"at"` // unix ms
	Method string `json:"method"`
	By     string `json:"by,omitempty"`
	ByName string `json:"by_name,omitempty"`
}

// checkInScript records the first check-in of a person on a day.
// KEYS: training, status, checkin:{day}. ARGV: phone, record json.
const checkInScript = `
local c = redis.call('HGET', KEYS[1], 'cancelled')
if not c then return 'notfound' end
if c == '1' then return 'cancelled' end
local st = redis.call('HGET', KEYS[2], ARGV[1])
if not st then return 'notinvited' end
if st == 'no' or st == 'waitlist' then return 'notattending' end
if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2]) == 1 then return 'first' end
return 'again'
`

// CheckIn records that an invitee is present on day (from 0). There is one
// record per person per day: a second check-in keeps the first and gives
// first false. Invitees who said yes, maybe or nothing may check in
// (people turn up without answering); those who declined or are
// waitlisted may not (ErrNotAttending). Code and location check-ins must
// fall in the day's window (ErrCheckInClosed); a coordinator may mark
// anyone present at any time. The caller checks the code (MatchCode) or
// the location (Near) first.
func (s *Store) CheckIn(ctx context.Context, id, phone string, day int, method string, now time.Time) (first bool, err error) {
	t, err := s.mustGet(ctx, id)
	if err != nil {
		return false, fmt.Errorf("check in to training %s: %w", id, err)
	}
	if day < 0 || day >= len(t.Days) {
		return false, fmt.Errorf("check in to training %s: day %d: it has days 0 to %d", id, day, len(t.Days)-1)
	}
	switch method {
	case MethodCode, MethodLocation:
		if d, open := DayAt(t, now); !open || d != day {
			return false, fmt.Errorf("check in to training %s, day %d: %w", id, day+1, ErrCheckInClosed)
		}
	case MethodCoordinator:
	default:
		return false, fmt.Errorf("check in to training %s: method %q is not code, location or coordinator", id, method)
	}
	rec, err := json.Marshal(checkInRecord{At: now.UnixMilli(), Method: method})
	if err != nil {
		return false, fmt.Errorf("check in to training %s: %w", id, err)
	}
	keys := []string{trainingKey(id), subKey(id, "status"), checkinKey(id, day)}
	res, err := s.checkIn.Run(ctx, s.rdb, keys, phone, rec).Text()
	if err != nil {
		return false, fmt.Errorf("check in to training %s: %w", id, err)
	}
	if err := scriptError(res); err != nil {
		return false, fmt.Errorf("check in to training %s, day %d: %w", id, day+1, err)
	}
	return res == "first", nil
}

// CheckedIn tells whether phone has checked in to training id on day (from 0).
func (s *Store) CheckedIn(ctx context.Context, id, phone string, day int) (bool, error) {
	if !ValidID(id) {
		return false, nil
	}
	ok, err := s.rdb.HExists(ctx, checkinKey(id, day), phone).Result()
	if err != nil {
		return false, fmt.Errorf("read check-in of training %s: %w", id, err)
	}
	return ok, nil
}

// Correction is a coordinator's entry in a training's attendance: a person
// marked present or absent on a day, by whom and when.
type Correction struct {
	Phone   string    `json:"phone"`
	Day     int       `json:"day"` // from 0
	Present bool      `json:"present"`
	By      string    `json:"by"` // the coordinator's phone, or "cli"
	ByName  string    `json:"by_name,omitempty"`
	At      time.Time `json:"at"`
	// Changed: the attendance was different before (false: it already
	// said so, and only the entry was kept).
	Changed bool `json:"changed"`
}

// markScript sets or clears one person's attendance on a day and keeps the
// entry in the training's list of corrections. A present mark keeps an
// earlier check-in (the person's own, with its time). KEYS: training,
// status, checkin:{day}, corrections. ARGV: phone, present (1|0), record
// json, the entry's json if it changed the attendance, and if it did not.
const markScript = `
local c = redis.call('HGET', KEYS[1], 'cancelled')
if not c then return 'notfound' end
if c == '1' then return 'cancelled' end
if not redis.call('HGET', KEYS[2], ARGV[1]) then return 'notinvited' end
local changed
if ARGV[2] == '1' then
  changed = redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[3]) == 1
else
  changed = redis.call('HDEL', KEYS[3], ARGV[1]) == 1
end
if changed then
  redis.call('RPUSH', KEYS[4], ARGV[4])
  return 'first'
end
redis.call('RPUSH', KEYS[4], ARGV[5])
return 'again'
`

// Mark is a coordinator's correction of the attendance: phone present (or
// absent) on day (from 0), at any time, a day long over too. Whoever is
// invited may be marked present, whatever they answered: people turn up.
// Every mark is kept with who made it and when (Corrections); changed is
// false when the attendance already said so.
func (s *Store) Mark(ctx context.Context, id string, c Correction) (changed bool, err error) {
	t, err := s.mustGet(ctx, id)
	if err != nil {
		return false, fmt.Errorf("correct attendance of training %s: %w", id, err)
	}
	if c.Day < 0 || c.Day >= len(t.Days) {
		return false, fmt.Errorf("correct attendance of training %s: day %d: it has days 1 to %d", id, c.Day+1, len(t.Days))
	}
	if c.By == "" || c.At.IsZero() {
		return false, fmt.Errorf("correct attendance of training %s: who and when are required", id)
	}
	rec, err := json.Marshal(checkInRecord{At: c.At.UnixMilli(), Method: MethodCoordinator, By: c.By, ByName: c.ByName})
	if err != nil {
		return false, fmt.Errorf("correct attendance of training %s: %w", id, err)
	}
	c.Changed = true
	did, err := json.Marshal(c)
	if err != nil {
		return false, fmt.Errorf("correct attendance of training %s: %w", id, err)
	}
	c.Changed = false
	same, err := json.Marshal(c)
	if err != nil {
		return false, fmt.Errorf("correct attendance of training %s: %w", id, err)
	}
	present := "0"
	if c.Present {
		present = "1"
	}
	keys := []string{trainingKey(id), subKey(id, "status"), checkinKey(id, c.Day), subKey(id, "corrections")}
	res, err := s.mark.Run(ctx, s.rdb, keys, c.Phone, present, rec, did, same).Text()
	if err != nil {
		return false, fmt.Errorf("correct attendance of training %s: %w", id, err)
	}
	if err := scriptError(res); err != nil {
		return false, fmt.Errorf("correct attendance of training %s, day %d: %w", id, c.Day+1, err)
	}
	return res == "first", nil
}

// Corrections lists the coordinators' entries in a training's attendance,
// oldest first.
func (s *Store) Corrections(ctx context.Context, id string) ([]Correction, error) {
	if !ValidID(id) {
		return nil, nil
	}
	vals, err := s.rdb.LRange(ctx, subKey(id, "corrections"), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("read attendance corrections of training %s: %w", id, err)
	}
	out := make([]Correction, len(vals))
	for i, v := range vals {
		if err := json.Unmarshal([]byte(v), &out[i]); err != nil {
			return nil, fmt.Errorf("read attendance corrections of training %s: %w", id, err)
		}
		out[i].At = out[i].At.In(locales.IST)
	}
	return out, nil
}
