// Package services answers the call steps of Saathi's flows: who a chat
// belongs to, a training's details, an RSVP, a check-in, feedback, and the
// coordinator's views. It is the one place where flows meet the roster,
// the trainings and the event queue; every coordinator call checks scope
// here.
//
// Calls are idempotent: the dispatcher may compute a transition twice when
// it loses a compare-and-set race.
package services

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
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
	NotFound  = "not_found"
	Forbidden = "forbidden"
	Closed    = "closed"
	None      = "none"
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
	Messages   *locales.Catalog
	Logger     *slog.Logger
	// MaxWrongCodes bounds wrong check-in codes per person and day (default 3).
	MaxWrongCodes int
	// Files fetches documents people send, by channel.
	Files map[string]Downloader
	// ImportLimits bound a roster file sent in chat (zero: the defaults).
	ImportLimits roster.Limits
	// Posters show broadcasts' progress, by channel.
	Posters map[string]Poster
	// Now is the clock of progress messages; time.Now when nil.
	Now func() time.Time
	// KeptFiles keeps files sent on one channel for sending on others (a
	// broadcast's attachment).
	KeptFiles *store.Files
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
	"feedback.save":          (*Services).feedbackSave,
	"coord.code":             (*Services).coordCode,
	"coord.status":           (*Services).coordStatus,
	"coord.create_training":  (*Services).coordCreateTraining,
	"admin.make_coordinator": (*Services).adminMakeCoordinator,
	"coord.export":           (*Services).coordExport,
	"roster.import_document": (*Services).rosterImportDocument,
	"broadcast.preview":      (*Services).broadcastPreview,
	"broadcast.send":         (*Services).broadcastSend,
	"report.open":            (*Services).reportOpen,
	"report.check":           (*Services).reportCheck,
	"report.submit":          (*Services).reportSubmit,
	"report.rollup":          (*Services).reportRollup,
	"report.nudge":           (*Services).reportNudge,
}

// Names lists the calls there are, for `saathi flows check`.
func Names() []string {
	out := make([]string, 0, len(calls))
	for n := range calls {
		out = append(out, n)
	}
	return out
}

// Call runs the named call.
func (s *Services) Call(ctx context.Context, name string, c flows.Call) (flows.CallResult, error) {
	h, ok := calls[name]
	if !ok {
		return flows.CallResult{}, fmt.Errorf("no such call %q", name)
	}
	return h(s, ctx, c)
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
		Events: events.New(rdb), Messages: msgs, Logger: log,
		Files: map[string]Downloader{}, Posters: map[string]Poster{}, KeptFiles: store.NewFiles(rdb),
	}
}
