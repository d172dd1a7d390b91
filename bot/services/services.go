// Package services answers the call steps of Saathi's flows: who a chat
// belongs to, a training's details, an RSVP, a check-in, feedback, and the
// coordinator's views. It is the one place where flows meet the roster,
// the trainings and the event queue; every coordinator call checks scope
// here.
//
// Refusal is not failure: whatever a person can cause (not invited, not
// attended, out of scope, too early, too late, an unknown training) comes
// back as a status the flow branches on; a Go error is only a failure of
// the infrastructure (Redis, the event queue), after which the step is
// void and the message is tried again.
//
// One effect per inbound message: the dispatcher may compute a transition
// again when it loses a compare-and-set race; a writing call's result is
// recorded under the message and given back the second time (effects.go).
//
// Rights are read when they are used: every coordinator or admin call
// reads the caller's roster row at that moment, never a copy kept in the
// conversation.
package services

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot/links"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/match"
	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/events"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/training"
)

// Call statuses shared by many calls.
const (
	OK        = "ok"
	NotFound  = "not_found" // no such training, registration, person
	Forbidden = "forbidden" // not a coordinator (or admin) of the place
	Closed    = "closed"    // too late: answers closed, period over
	None      = "none"
	// Unknown: the chat is nobody on the roster (yet).
	Unknown = "unknown"
	// NotInvited: the caller is not an invitee of the training.
	NotInvited = "not_invited"
	// Cancelled: the training was cancelled.
	Cancelled = "cancelled"
	// NotAttended: the caller checked in on no day of the training.
	NotAttended = "not_attended"
	// NotOver: the training's last day has not ended yet.
	NotOver = "not_over"
	// NotAttending: the caller declined or waits for a seat.
	NotAttending = "not_attending"
	// NoCode: a check-in reply with no code in it (no digits, or two
	// numbers); it uses up no try.
	NoCode = "no_code"
	// IsAdmin: the person is an admin, whom a coordinator's grant would demote.
	IsAdmin = "is_admin"
)

// Services implements flows.Services.
type Services struct {
	Redis      redis.UniversalClient
	Roster     *roster.Roster
	Trainings  *training.Store
	Broadcasts *broadcast.Store
	Reports    *reports.Store
	Identity   *identity.Identity
	Events     *events.Queue
	// OptOut is who asked for no bulk messages ("बंद करो").
	OptOut   *store.OptOut
	Messages *locales.Catalog
	Logger   *slog.Logger
	// MaxWrongCodes bounds wrong check-in codes per person and day (default 3).
	MaxWrongCodes int
	// Files fetches documents people send, by channel.
	Files map[string]Downloader
	// ImportLimits bound a roster file sent in chat (zero: the defaults).
	ImportLimits roster.Limits
	// Designations name what people are (nil: the built-in ones).
	Designations *roster.Designations
	// Words are the word tables typed places are read with (nil: the
	// built-in ones; see match.ReadWords).
	Words *match.Words
	// Posters show broadcasts' progress, by channel.
	Posters map[string]Poster
	// Now is the clock of progress messages; time.Now when nil.
	Now func() time.Time
	// KeptFiles keeps files sent on one channel for sending on others (a
	// broadcast's attachment).
	KeptFiles *store.Files
	// Links is where personal links point (the bot's Telegram username
	// and WhatsApp number); coord.links refuses while both are empty.
	Links links.Bot
	// LinksNow, when set, is asked instead of Links each time: serve's
	// Telegram connects in the background, so its username comes later.
	LinksNow func() links.Bot
	// EffectTTL is how long a writing call's result is kept for the
	// message it answered (default store.DefaultSeenTTL); set it to the
	// store's seen TTL.
	EffectTTL time.Duration

	// places keeps the roster's place names keyed for place.match.
	places placeCache
}

type handler func(s *Services, ctx context.Context, c flows.Call) (flows.CallResult, error)

// calls maps call names to their handlers; read-only.
var calls = map[string]handler{
	"person.lookup":          (*Services).personLookup,
	"person.link_contact":    (*Services).linkContact,
	"registration.submit":    (*Services).registrationSubmit,
	"registration.info":      (*Services).registrationInfo,
	"registration.decide":    (*Services).registrationDecide,
	"training.info":          (*Services).trainingInfo,
	"training.answer":        (*Services).trainingAnswer,
	"training.mine":          (*Services).trainingMine,
	"checkin.find":           (*Services).checkinFind,
	"checkin.code":           (*Services).checkinCode,
	"checkin.location":       (*Services).checkinLocation,
	"feedback.open":          (*Services).feedbackOpen,
	"feedback.save":          (*Services).feedbackSave,
	"person.rights":          (*Services).personRights,
	"coord.code":             (*Services).coordCode,
	"coord.status":           (*Services).coordStatus,
	"coord.coverage":         (*Services).coordCoverage,
	"coord.create_training":  (*Services).coordCreateTraining,
	"admin.make_coordinator": (*Services).adminMakeCoordinator,
	"coord.export":           (*Services).coordExport,
	"coord.links":            (*Services).coordLinks,
	"coord.designations":     (*Services).coordDesignations,
	"coord.pick":             (*Services).coordPick,
	"roster.import_document": (*Services).rosterImportDocument,
	"audience.read_list":     (*Services).audienceReadList,
	"audience.chosen":        (*Services).audienceChosen,
	"broadcast.preview":      (*Services).broadcastPreview,
	"broadcast.send":         (*Services).broadcastSend,
	"report.open":            (*Services).reportOpen,
	"report.check":           (*Services).reportCheck,
	"report.submit":          (*Services).reportSubmit,
	"report.rollup":          (*Services).reportRollup,
	"report.nudge":           (*Services).reportNudge,
	"person.optout":          (*Services).personOptOut,
	"place.match":            (*Services).placeMatch,
	"attend.days":            (*Services).attendDays,
	"attend.find":            (*Services).attendFind,
	"attend.mark":            (*Services).attendMark,
	"place.choices":          (*Services).placeChoices,
	"broadcast.content":      (*Services).broadcastContent,
	"file.keep":              (*Services).fileKeep,
	"record.number":          (*Services).recordNumber,
	"record.notify":          (*Services).recordNotify,
	"record.open":            (*Services).recordOpen,
	"record.status":          (*Services).recordStatus,
}

// Names lists the calls there are, for `saathi flows check`.
func Names() []string {
	out := make([]string, 0, len(calls))
	for n := range calls {
		out = append(out, n)
	}
	return out
}

// Call runs the named call; a writing call once per message.
func (s *Services) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	h, ok := calls[name]
	if !ok {
		return flows.CallResult{}, fmt.Errorf("no such call %q", name)
	}
	return s.once(ctx, name, c, h)
}

// text renders a message in the caller's language.
func (s *Services) text(c flows.Call, id string, data map[string]string) string {
	return s.Messages.Text(c.Lang, id, data)
}

func result(status string, kv ...string) flows.CallResult {
	r := flows.CallResult{Status: status, Fields: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Fields[kv[i]] = kv[i+1]
	}
	return r
}

// verified tells whether a phone given in a chat is surely the sender's: a
// shared own contact, a WhatsApp sender's own number, or the operator's
// terminal.
func verified(c flows.Call, phone string) bool {
	switch {
	case c.Args["own"] == "yes", c.Channel == "console":
		return true
	case c.Channel == "whatsapp":
		return strings.TrimPrefix(phone, "+") == strings.TrimPrefix(c.User, "+")
	}
	return false
}

// maskPhone hides most of a number for logs.
func maskPhone(p string) string {
	if len(p) < 6 {
		return "***"
	}
	return p[:3] + strings.Repeat("*", len(p)-5) + p[len(p)-2:]
}

// New builds the services on one Redis.
func New(rdb redis.UniversalClient, msgs *locales.Catalog, log *slog.Logger) *Services {
	return &Services{
		Redis: rdb, Roster: roster.New(rdb), Trainings: training.New(rdb), Broadcasts: broadcast.New(rdb), Reports: reports.New(rdb), Identity: identity.New(rdb),
		Events: events.New(rdb), OptOut: store.NewOptOut(rdb), Messages: msgs, Logger: log,
		Files: map[string]Downloader{}, Posters: map[string]Poster{}, KeptFiles: store.NewFiles(rdb),
	}
}
