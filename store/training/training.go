// Package training keeps the training domain in Redis: trainings, who is
// invited, their answers (with a capacity and a first-come waitlist), daily
// check-ins, feedback, the coordinator's views of all that, and the Excel /
// CSV export. It has no chat code: the flows call it.
//
// Every key starts with "saathi:training:". The keys of one training share
// a Redis Cluster hash slot ("saathi:training:{t3k9q2m}:..."), so the Lua
// scripts that change one training stay atomic on a cluster too.
package training

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
)

// DefaultRadius is the check-in radius, in metres, of a training that
// does not set one.
const DefaultRadius = 300

// Errors callers tell apart with errors.Is.
var (
	// ErrNotFound: there is no training with this id.
	ErrNotFound = errors.New("no such training")
	// ErrNotInvited: the phone is not invited to the training.
	ErrNotInvited = errors.New("not invited to this training")
	// ErrClosed: the first day has started, answers are no longer taken.
	ErrClosed = errors.New("answers are closed: the training has started")
	// ErrCancelled: the training is cancelled.
	ErrCancelled = errors.New("the training is cancelled")
	// ErrCheckInClosed: a code or location check-in outside the day's window.
	ErrCheckInClosed = errors.New("check-in is not open for this day")
	// ErrNotAttending: the person declined or is on the waitlist, so has no
	// seat to check in to.
	ErrNotAttending = errors.New("declined or waitlisted: no seat to check in to")
)

// Day is one day of a training, in IST.
type Day struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Training is one training: one or more days at one venue.
type Training struct {
	ID          string   `json:"id"` // "t" and 6 base32 characters, set by Create
	Title       string   `json:"title"`
	Topic       string   `json:"topic,omitempty"`
	Venue       string   `json:"venue"`
	Batch       string   `json:"batch,omitempty"`
	Lat         float64  `json:"lat,omitempty"`
	Lon         float64  `json:"lon,omitempty"`
	HasLocation bool     `json:"has_location,omitempty"` // Lat and Lon are set
	Modules     []string `json:"modules,omitempty"`
	Days        []Day    `json:"days"`
	Capacity    int      `json:"capacity,omitempty"` // 0 = unlimited
	Invite      string   `json:"invite,omitempty"`   // the invite filter text, only kept
	Radius      int      `json:"radius,omitempty"`   // check-in radius in metres
	CreatedBy   string   `json:"created_by,omitempty"`
	Cancelled   bool     `json:"cancelled,omitempty"`
	// Code is the stable code a calendar file gives the training (कोड):
	// importing the file again updates the training of that code. Upper
	// case, as NormalizeCode writes it; empty for a training made otherwise.
	Code string `json:"code,omitempty"`
	// Place is where the training's invitees are: the division, district,
	// block and body they all share (set when they are invited; a level
	// where they differ, and every narrower one, is empty). Moves and
	// cancellations by place, coverage and the list's filters go by it.
	Place roster.Place `json:"place,omitzero"`
	// Reminders is the reminder plan ("2d@10:00", "eve", "2h"; see
	// ParseReminder); empty: the default one.
	Reminders []string `json:"reminders,omitempty"`
	// Note is shown in the reminders: travel, the assembly point.
	Note string `json:"note,omitempty"`
	// Secret derives the daily check-in codes. It is never shown and never
	// marshalled; Create sets it.
	Secret string `json:"-"`
}

// First is the start of the first day, or the zero time without days.
func (t Training) First() time.Time {
	if len(t.Days) == 0 {
		return time.Time{}
	}
	return t.Days[0].Start
}

// Last is the end of the last day, or the zero time without days.
func (t Training) Last() time.Time {
	if len(t.Days) == 0 {
		return time.Time{}
	}
	return t.Days[len(t.Days)-1].End
}

// Validate says what is wrong with a training, naming the field; all
// problems are joined. The ID is not checked (Create sets it).
func (t Training) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(t.Title) == "" {
		bad("title", "is required")
	}
	if strings.TrimSpace(t.Venue) == "" {
		bad("venue", "is required")
	}
	if len(t.Days) == 0 {
		bad("days", "a training needs at least one day")
	}
	for i, d := range t.Days {
		if !d.End.After(d.Start) {
			bad("days", "day %d ends (%s) before it starts (%s)", i+1, d.End.In(locales.IST).Format("2006-01-02 15:04"), d.Start.In(locales.IST).Format("2006-01-02 15:04"))
		}
		if i > 0 && d.Start.Before(t.Days[i-1].End) {
			bad("days", "day %d starts before day %d ends", i+1, i)
		}
	}
	if t.Capacity < 0 {
		bad("capacity", "must be 0 (unlimited) or more, not %d", t.Capacity)
	}
	if t.Radius < 0 {
		bad("radius", "must be 0 (default %d m) or more, not %d", DefaultRadius, t.Radius)
	}
	if t.HasLocation {
		if math.IsNaN(t.Lat) || t.Lat < -90 || t.Lat > 90 {
			bad("lat", "must be between -90 and 90, not %v", t.Lat)
		}
		if math.IsNaN(t.Lon) || t.Lon < -180 || t.Lon > 180 {
			bad("lon", "must be between -180 and 180, not %v", t.Lon)
		}
	}
	errs = append(errs, t.checkReminders()...)
	return errors.Join(errs...)
}

// FieldError is a problem with one field of a training or a spec.
type FieldError struct {
	Field   string // "start", "end", "capacity", ...
	Problem string
	Hindi   string // Problem in plain Hindi, without the field; "" when not written
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// FieldsInHindi is what err (a *FieldError, or several joined) says in
// Hindi, "; " between them; ok is false when one of them has no Hindi.
func FieldsInHindi(err error) (hindi string, ok bool) {
	parts := []error{err}
	if j, joined := err.(interface{ Unwrap() []error }); joined {
		parts = j.Unwrap()
	}
	var hi []string
	for _, p := range parts {
		var fe *FieldError
		if !errors.As(p, &fe) || fe.Hindi == "" {
			return "", false
		}
		hi = append(hi, fe.Hindi)
	}
	return strings.Join(hi, "; "), len(hi) > 0
}

// idAlphabet is Crockford's base32 in lower case: no i, l, o or u, so an
// id read aloud or retyped is not mistaken.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var idPattern = regexp.MustCompile(`^t[0-9a-hjkmnp-tv-z]{6}$`)

// newID makes "t" and 6 random base32 characters (30 bits).
func newID() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make training id: %w", err)
	}
	id := []byte{'t'}
	for _, x := range b {
		id = append(id, idAlphabet[x&31])
	}
	return string(id), nil
}

// ValidID reports whether id has the form Create gives ids. Ids from chat
// callbacks are checked with it before they become part of a Redis key.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// newSecret makes a check-in secret: 16 random bytes in hex.
func newSecret() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make training secret: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

var phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// validPhone reports whether p is in E.164 form.
func validPhone(p string) bool { return phonePattern.MatchString(p) }
