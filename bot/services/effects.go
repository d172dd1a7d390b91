package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
)

// One service effect per inbound message.
//
// The dispatcher computes a step again when its commit loses a
// compare-and-set race, and a message whose step failed (Redis down) comes
// back from its channel: the calls of the step run again with the same
// message id. A writing call's result is therefore recorded under the
// message (effectKey) and a second computation gets the recorded result
// back instead of doing the effect again. Refusals (refusal) are not
// recorded: they changed nothing, and asking again is as good.
//
// The remaining window: a handler's effect and the record of its result
// are two writes, so a crash (or a Redis error) between them lets the next
// computation repeat the effect. Every handler is idempotent on its own
// for that case (stable event ids, HSETNX check-ins, decided
// registrations, the created training noted before its invitations go
// out); the one count that is not, the wrong check-in codes, keeps its
// record of the message in the same script as the count.

// writes are the calls with an effect, whose results are recorded.
// (person.lookup and person.link_contact write too, but only what a second
// time writes the same: the chat's link, a token redeemed by the same chat,
// held events released under their ids.)
var writes = map[string]bool{
	"registration.submit":    true,
	"registration.decide":    true,
	"training.answer":        true,
	"checkin.code":           true,
	"checkin.location":       true,
	"feedback.save":          true,
	"coord.create_training":  true,
	"admin.make_coordinator": true,
	"roster.import_document": true,
	"broadcast.send":         true,
	"report.submit":          true,
	"report.nudge":           true,
	"person.optout":          true,
	"attend.mark":            true,
	"file.keep":              true,
	"record.number":          true,
	"record.notify":          true,
	"record.status":          true,
}

// reads are the calls that change nothing at all: a message seen twice may
// reach them, and the engine looks past them when it decides whether a
// message must first be checked for a duplicate (flows.ReadOnly). A call
// goes here only when it writes nothing, not even idempotently.
var reads = map[string]bool{
	"place.match":   true,
	"place.choices": true,
}

// ReadOnly tells the engine which calls only read (flows.ReadOnly).
func (s *Services) ReadOnly(name string) bool { return reads[name] }

// refusal are the statuses by which a writing call says it did nothing.
var refusal = map[string]bool{
	Forbidden: true, NotFound: true, Closed: true, None: true, Invalid: true, NotSHG: true,
	NotInvited: true, Cancelled: true, NotAttended: true, NotOver: true, Unknown: true, NotAttending: true, IsAdmin: true,
	"unverified": true, "token_unknown": true, "token_taken": true, "pending": true, "new_number": true,
	"decided": true, "bad": true, "far": true, "unreadable": true, "unreachable": true, "skipped": true,
}

// effectTTL is how long a call's result is kept for its message: as long
// as the message id is remembered for de-duplication.
func (s *Services) effectTTL() time.Duration {
	if s.EffectTTL > 0 {
		return s.EffectTTL
	}
	return store.DefaultSeenTTL
}

// effectKey names the record of call name for the message c answers: the
// chat, the message id, the call and its arguments (a recomputed step on
// a state changed underneath may call it with others; that is another
// request).
func effectKey(c flows.Call, name string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(c.Args)) {
		h.Write([]byte(k + "=" + c.Args[k] + "\x00"))
	}
	return "saathi:effect:" + c.Channel + ":" + c.User + ":" + c.MsgID + ":" + name + ":" + hex.EncodeToString(h.Sum(nil)[:8])
}

// effectID names the message in a record kept beside an effect (the
// wrong-code count's): the chat and the message id.
func effectID(c flows.Call) string { return c.Channel + ":" + c.User + ":" + c.MsgID }

// once runs a writing call at most once per message: a recorded result
// comes back as it was.
func (s *Services) once(ctx context.Context, name string, c flows.Call, h handler) (flows.CallResult, error) {
	if !writes[name] || c.MsgID == "" {
		return h(s, ctx, c)
	}
	key := effectKey(c, name)
	raw, err := s.Redis.Get(ctx, key).Result()
	switch {
	case err == nil:
		var res flows.CallResult
		if err := json.Unmarshal([]byte(raw), &res); err != nil {
			return flows.CallResult{}, fmt.Errorf("%s: read the result recorded for message %s: %w", name, c.MsgID, err)
		}
		return res, nil
	case !errors.Is(err, redis.Nil):
		return flows.CallResult{}, fmt.Errorf("%s: read the result recorded for message %s: %w", name, c.MsgID, err)
	}
	res, err := h(s, ctx, c)
	if err != nil || refusal[res.Status] {
		return res, err
	}
	enc, err := json.Marshal(res)
	if err != nil {
		return flows.CallResult{}, fmt.Errorf("%s: record the result: %w", name, err)
	}
	if err := s.Redis.Set(ctx, key, enc, s.effectTTL()).Err(); err != nil {
		return flows.CallResult{}, fmt.Errorf("%s: record the result: %w", name, err)
	}
	return res, nil
}
