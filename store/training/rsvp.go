package training

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// inviteScript adds phones as invitees, in order, leaving those already
// invited alone. KEYS: training, status, order. ARGV: phones.
// Returns {"ok", added...} or {"notfound"} / {"cancelled"}.
const inviteScript = `
local c = redis.call('HGET', KEYS[1], 'cancelled')
if not c then return {'notfound'} end
if c == '1' then return {'cancelled'} end
local n = redis.call('ZCARD', KEYS[3])
local out = {'ok'}
for _, p in ipairs(ARGV) do
  if redis.call('HSETNX', KEYS[2], p, 'invited') == 1 then
    n = n + 1
    redis.call('ZADD', KEYS[3], n, p)
    out[#out + 1] = p
  end
end
return out
`

// Invite invites phones (E.164) to a training. Inviting someone again
// changes nothing: added holds only the phones that were not invited yet,
// in the order given. A cancelled training takes no invitations.
func (s *Store) Invite(ctx context.Context, id string, phones []string) (added []string, err error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("invite to training %q: %w", id, ErrNotFound)
	}
	args := make([]any, 0, len(phones))
	for i, p := range phones {
		if !validPhone(p) {
			return nil, fmt.Errorf("invite to training %s: phone number %d of %d is not in E.164 form (+91XXXXXXXXXX)", id, i+1, len(phones))
		}
		args = append(args, p)
	}
	if len(args) == 0 {
		return nil, nil
	}
	res, err := s.invite.Run(ctx, s.rdb, []string{trainingKey(id), subKey(id, "status"), subKey(id, "order")}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("invite to training %s: %w", id, err)
	}
	if err := scriptError(res[0]); err != nil {
		return nil, fmt.Errorf("invite to training %s: %w", id, err)
	}
	// The per-person index is written for everyone asked for, not only the
	// new ones, so a failure here heals when the invitation is repeated.
	// It lives in other hash slots, so it is not part of the script.
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, phone := range phones {
			p.SAdd(ctx, personKey(phone), id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index invitations to training %s: %w", id, err)
	}
	return res[1:], nil
}

// scriptError turns a script's status word into an error.
func scriptError(code string) error {
	switch code {
	case "ok", "first", "again":
		return nil
	case "notfound":
		return ErrNotFound
	case "cancelled":
		return ErrCancelled
	case "notinvited":
		return ErrNotInvited
	case "closed":
		return ErrClosed
	case "notattending":
		return ErrNotAttending
	}
	return fmt.Errorf("unexpected script result %q", code)
}

// Outcome is what an answer did.
type Outcome struct {
	Status   string // the person's status now: yes, no, maybe or waitlist
	Promoted string // the phone moved from the waitlist to yes by this answer, or ""
	Changed  bool   // the status changed (false for a repeated answer)
}

// answerScript applies one answer atomically.
// KEYS: training, status, reason, at, yes, waitlist, promotedby.
// ARGV: phone, answer (yes|no|maybe), reason, now (unix ms).
// Returns {"ok", status, promoted, changed} or {error word}.
const answerScript = `
local t = redis.call('HMGET', KEYS[1], 'capacity', 'start', 'cancelled')
if not t[1] then return {'notfound'} end
if t[3] == '1' then return {'cancelled'} end
local now = tonumber(ARGV[4])
if now >= tonumber(t[2]) then return {'closed'} end
local phone, answer, reason = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('HGET', KEYS[2], phone)
if not cur then return {'notinvited'} end
local cap = tonumber(t[1])
if cur == answer or (answer == 'yes' and cur == 'waitlist') then
  if answer == 'no' and reason ~= '' then redis.call('HSET', KEYS[3], phone, reason) end
  local again = redis.call('HGET', KEYS[7], phone) or ''
  return {'ok', cur, again, '0'}
end
local function free() return cap == 0 or redis.call('SCARD', KEYS[5]) < cap end
local status = answer
if answer == 'yes' then
  if free() then
    redis.call('SADD', KEYS[5], phone)
  else
    status = 'waitlist'
    redis.call('ZADD', KEYS[6], now, phone)
  end
end
local promoted = ''
if cur == 'yes' then
  redis.call('SREM', KEYS[5], phone)
  if free() then
    local first = redis.call('ZRANGE', KEYS[6], 0, 0)
    if first[1] then
      promoted = first[1]
      redis.call('ZREM', KEYS[6], promoted)
      redis.call('SADD', KEYS[5], promoted)
      redis.call('HSET', KEYS[2], promoted, 'yes')
      redis.call('HSET', KEYS[7], phone, promoted)
    end
  end
elseif cur == 'waitlist' then
  redis.call('ZREM', KEYS[6], phone)
end
if promoted == '' then redis.call('HDEL', KEYS[7], phone) end
redis.call('HSET', KEYS[2], phone, status)
redis.call('HSET', KEYS[4], phone, ARGV[4])
if answer == 'no' then
  redis.call('HSET', KEYS[3], phone, reason)
else
  redis.call('HDEL', KEYS[3], phone)
end
return {'ok', status, promoted, '1'}
`

// Answer records an invitee's answer — "yes", "no" (with a reason) or
// "maybe" — at now, atomically:
//
//   - only invitees answer (ErrNotInvited), and only before the first day
//     starts (ErrClosed), and not to a cancelled training (ErrCancelled);
//   - a "yes" past the capacity goes to the waitlist, first come first
//     served by the time of the "yes";
//   - a confirmed person saying "no" or "maybe" frees the seat, and the
//     earliest waitlisted person gets it (Outcome.Promoted);
//   - the same answer again changes nothing (Changed false), except that a
//     repeated "no" with a reason replaces the reason. A waitlisted person
//     saying "yes" again stays on the waitlist in their place. A repeat
//     reports the promotion the answer made again, so that a caller whose
//     first attempt failed after the answer can still tell the promoted.
func (s *Store) Answer(ctx context.Context, id, phone, answer, reason string, now time.Time) (Outcome, error) {
	switch answer {
	case StatusYes, StatusNo, StatusMaybe:
	default:
		return Outcome{}, fmt.Errorf("answer rsvp for %s: answer %q is not yes, no or maybe", id, answer)
	}
	if !ValidID(id) {
		return Outcome{}, fmt.Errorf("answer rsvp for %q: %w", id, ErrNotFound)
	}
	keys := []string{trainingKey(id), subKey(id, "status"), subKey(id, "reason"), subKey(id, "at"), subKey(id, "yes"), subKey(id, "waitlist"), subKey(id, "promotedby")}
	res, err := s.answer.Run(ctx, s.rdb, keys, phone, answer, reason, now.UnixMilli()).StringSlice()
	if err != nil {
		return Outcome{}, fmt.Errorf("answer rsvp for %s: %w", id, err)
	}
	if err := scriptError(res[0]); err != nil {
		return Outcome{}, fmt.Errorf("answer rsvp for %s: %w", id, err)
	}
	if len(res) != 4 {
		return Outcome{}, fmt.Errorf("answer rsvp for %s: script gave %d values", id, len(res))
	}
	return Outcome{Status: res[1], Promoted: res[2], Changed: res[3] == "1"}, nil
}

// Invitees gives each invitee's status (invited, yes, no, maybe, waitlist).
func (s *Store) Invitees(ctx context.Context, id string) (map[string]string, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("read invitees of %q: %w", id, ErrNotFound)
	}
	var exists *redis.IntCmd
	var status *redis.MapStringStringCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		exists = p.Exists(ctx, trainingKey(id))
		status = p.HGetAll(ctx, subKey(id, "status"))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read invitees of %s: %w", id, err)
	}
	if exists.Val() == 0 {
		return nil, fmt.Errorf("read invitees of %s: %w", id, ErrNotFound)
	}
	return status.Val(), nil
}

// ForPerson gives the trainings a phone is invited to, by their first day,
// cancelled ones included (Training.Cancelled says so).
func (s *Store) ForPerson(ctx context.Context, phone string) ([]Training, error) {
	ids, err := s.rdb.SMembers(ctx, personKey(phone)).Result()
	if err != nil {
		return nil, fmt.Errorf("list trainings of a person: %w", err)
	}
	ts, err := s.getMany(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list trainings of a person: %w", err)
	}
	return ts, nil
}
