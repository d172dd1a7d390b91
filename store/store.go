// Package store keeps Saathi's conversations in Redis.
//
// A transition is committed in one round trip by a Lua script that, all at
// once: refuses a message id it has seen (de-duplication), checks the
// conversation's version (compare-and-set), writes the new state, writes the
// replies to the outbox, and writes the records the flow produced. Replies
// leave the outbox only when a channel has delivered them (Ack), so a crash
// between commit and send loses nothing: Due finds them again. Of an entry
// of several replies, each one the channel took is noted as it goes
// (MarkSent), so that a delivery after a crash sends only the rest.
package store

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
)

// Keys. Everything Saathi writes starts with "saathi:".
const (
	prefix       = "saathi:"
	outboxKey    = prefix + "outbox"     // hash: entry id -> Entry JSON
	outboxDueKey = prefix + "outbox:due" // sorted set: entry id by commit time (ms)
)

func convKey(channel, user string) string { return prefix + "conv:" + channel + ":" + user }

// seenKey is the sorted set of the message ids a conversation has had
// applied (seenMember), by when (ms): one key a conversation, trimmed to
// seenTTL and to maxSeen ids at each commit, small enough that Redis keeps
// it as a listpack (see the README's production notes).
func seenKey(channel, user string) string { return prefix + "seen:" + channel + ":" + user }

// legacySeenKey is a message id's own key, as commits before the sorted
// set wrote it: still refused as a duplicate until it expires (one
// seen TTL after the upgrade; then this can go).
func legacySeenKey(channel, user, msgID string) string {
	return prefix + "seen:" + channel + ":" + user + ":" + msgID
}

// maxSeen bounds the ids a conversation remembers: more than any person
// sends in a seen TTL, and under Redis's default zset-max-listpack-entries.
const maxSeen = 120

// seenMember is a message id as the seen set keeps it: the id when short
// (Telegram's message numbers), else 24 hex digits of its SHA-256
// (WhatsApp's wamid… ids are 60–90 bytes, over the listpack value limit).
func seenMember(msgID string) string {
	if len(msgID) <= 24 {
		return msgID
	}
	sum := sha256.Sum256([]byte(msgID))
	return hex.EncodeToString(sum[:12])
}

// ConvTTL is how long a conversation idle since its last message is kept:
// a person back after that starts afresh.
const ConvTTL = 180 * 24 * time.Hour

func recordKey(kind, key string) string    { return prefix + "rec:" + kind + ":" + key }
func recordIndexKey(kind string) string    { return prefix + "rec:" + kind }
func unreachableKey(channel string) string { return prefix + "unreachable:" + channel }
func entryID(channel, user string, v int64) string {
	return channel + ":" + user + ":" + strconv.FormatInt(v, 10)
}

// Errors of Commit.
var (
	// ErrDuplicate: the message id was already applied; nothing was written.
	ErrDuplicate = errors.New("duplicate message")
)

// ConflictError: the conversation's version was not the expected one;
// nothing was written. Current is the state as stored now.
type ConflictError struct {
	Current flows.State
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("conversation changed meanwhile (now at version %d)", e.Current.Version)
}

// Store is Saathi's Redis layer. It is safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	seenTTL time.Duration
	commit  *redis.Script
}

// DefaultSeenTTL is how long a message id is remembered for de-duplication.
// Telegram redelivers for up to 24 hours.
const DefaultSeenTTL = 48 * time.Hour

// New wraps a connected client. seenTTL <= 0 means DefaultSeenTTL.
func New(rdb redis.UniversalClient, seenTTL time.Duration) *Store {
	if seenTTL <= 0 {
		seenTTL = DefaultSeenTTL
	}
	return &Store{rdb: rdb, seenTTL: seenTTL, commit: redis.NewScript(commitScript)}
}

// Client is the underlying Redis client.
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

//go:embed commit.lua
var commitScript string

// Commit is one transition to write.
type Commit struct {
	Channel, User string
	MsgID         string // the inbound message id; required
	// Expected is the version the transition was computed from. The new
	// state's version must be Expected+1.
	Expected int64
	State    flows.State
	Replies  []flows.Reply
	Records  []flows.Record
	At       time.Time
}

// Entry is a batch of replies waiting in the outbox for delivery.
type Entry struct {
	ID      string        `json:"id"`
	Channel string        `json:"channel"`
	User    string        `json:"user"`
	Replies []flows.Reply `json:"replies"`
	At      int64         `json:"at"` // commit time, Unix milliseconds
	// Done is how many of Replies, from the first, the channel has taken
	// already (MarkSent): delivery goes on from Replies[Done]. Due and
	// Claim read it; it is kept beside the entry, not in its JSON.
	Done int `json:"-"`
}

// doneField is the field of the outbox hash that keeps how many replies of
// entry id were taken (Entry.Done). Entry ids end in a version number, so
// it never names an entry.
func doneField(id string) string { return id + "#done" }

// Commit writes c atomically. It returns the outbox entry of the replies
// (nil when there are none), ErrDuplicate, or a *ConflictError.
func (s *Store) Commit(ctx context.Context, c Commit) (*Entry, error) {
	if c.MsgID == "" {
		return nil, errors.New("commit: no message id")
	}
	if c.State.Version != c.Expected+1 {
		return nil, fmt.Errorf("commit: new version %d does not follow %d", c.State.Version, c.Expected)
	}
	stateJSON, err := json.Marshal(c.State)
	if err != nil {
		return nil, fmt.Errorf("commit: encode state: %w", err)
	}
	var entry *Entry
	entryJSON := []byte{}
	if len(c.Replies) > 0 {
		entry = &Entry{ID: entryID(c.Channel, c.User, c.State.Version), Channel: c.Channel, User: c.User, Replies: c.Replies, At: c.At.UnixMilli()}
		if entryJSON, err = json.Marshal(entry); err != nil {
			return nil, fmt.Errorf("commit: encode replies: %w", err)
		}
	}
	keys := []string{convKey(c.Channel, c.User), seenKey(c.Channel, c.User), outboxKey, outboxDueKey, legacySeenKey(c.Channel, c.User, c.MsgID)}
	args := []any{c.Expected, stateJSON, s.seenTTL.Milliseconds(), entryIDOrEmpty(entry), entryJSON, c.At.UnixMilli(), len(c.Records),
		seenMember(c.MsgID), maxSeen, ConvTTL.Milliseconds()}
	for _, r := range c.Records {
		keys = append(keys, recordKey(r.Kind, r.Key), recordIndexKey(r.Kind))
		args = append(args, r.Key, len(r.Fields)+1, "_at", c.At.UTC().Format(time.RFC3339))
		for k, v := range r.Fields {
			args = append(args, k, v)
		}
	}
	res, err := s.commit.Run(ctx, s.rdb, keys, args...).Slice()
	if err != nil {
		return nil, fmt.Errorf("commit transition of %s:%s: %w", c.Channel, c.User, err)
	}
	switch res[0] {
	case "ok":
		return entry, nil
	case "dup":
		return nil, ErrDuplicate
	case "conflict":
		cur, err := decodeState(res[1], res[2])
		if err != nil {
			return nil, fmt.Errorf("commit: read current state: %w", err)
		}
		return nil, &ConflictError{Current: cur}
	}
	return nil, fmt.Errorf("commit: unexpected answer %v", res)
}

func entryIDOrEmpty(e *Entry) string {
	if e == nil {
		return ""
	}
	return e.ID
}

func decodeState(version, stateJSON any) (flows.State, error) {
	var st flows.State
	s, _ := stateJSON.(string)
	if s == "" {
		return st, nil
	}
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return st, err
	}
	if v, ok := version.(string); ok {
		st.Version, _ = strconv.ParseInt(v, 10, 64)
	}
	return st, nil
}

// Seen tells whether message id of a user was already applied and, with
// load, reads the conversation too, in one round trip. The dispatcher asks
// before a step that may call services, whose side effects a duplicate
// must not repeat; Commit refuses duplicates either way.
func (s *Store) Seen(ctx context.Context, channel, user, msgID string, load bool) (flows.State, bool, error) {
	var exists *redis.IntCmd
	var score *redis.FloatCmd
	var state *redis.SliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		exists = p.Exists(ctx, legacySeenKey(channel, user, msgID))
		score = p.ZScore(ctx, seenKey(channel, user), seenMember(msgID))
		if load {
			state = p.HMGet(ctx, convKey(channel, user), "v", "s")
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return flows.State{}, false, fmt.Errorf("check message %s: %w", msgID, err)
	}
	var st flows.State
	if load {
		vals := state.Val()
		if st, err = decodeState(vals[0], vals[1]); err != nil {
			return st, false, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
		}
	}
	return st, exists.Val() > 0 || score.Err() == nil, nil
}

// Load reads a conversation; a user never seen has the zero State.
func (s *Store) Load(ctx context.Context, channel, user string) (flows.State, error) {
	vals, err := s.rdb.HMGet(ctx, convKey(channel, user), "v", "s").Result()
	if err != nil {
		return flows.State{}, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
	}
	st, err := decodeState(vals[0], vals[1])
	if err != nil {
		return st, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
	}
	return st, nil
}

// Ack removes delivered (or undeliverable) entries from the outbox, in one round trip.
func (s *Store) Ack(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	fields := make([]string, 0, 2*len(ids))
	members := make([]any, len(ids))
	for i, id := range ids {
		fields = append(fields, id, doneField(id))
		members[i] = id
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, outboxKey, fields...)
		p.ZRem(ctx, outboxDueKey, members...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack %d outbox entries: %w", len(ids), err)
	}
	return nil
}

// markSentScript notes that the first n replies of an entry were taken by
// the channel, if the entry is still in the outbox (a late write must not
// leave a count behind an acknowledged entry), never lowering the count;
// and touches the entry, as Touch does.
// KEYS: outbox hash, due zset. ARGV: id, done field, n, now (ms).
var markSentScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
if tonumber(ARGV[3]) > cur then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
redis.call('ZADD', KEYS[2], 'XX', ARGV[4], ARGV[1])
return 1`)

// MarkSent notes, in one round trip, that the channel has taken the first
// n replies of entry id, so that a delivery after a crash goes on from
// reply n+1 (Due and Claim read the count into Entry.Done) instead of
// sending them again. It touches the entry too (see Touch). An entry
// acknowledged meanwhile is left alone.
func (s *Store) MarkSent(ctx context.Context, id string, n int, now time.Time) error {
	if err := markSentScript.Run(ctx, s.rdb, []string{outboxKey, outboxDueKey}, id, doneField(id), n, now.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("note %d replies of outbox entry %s sent: %w", n, id, err)
	}
	return nil
}

// Touch tells other processes that entry id is being delivered now: its
// due time moves to now, so their sweepers leave it alone for a grace
// period. A deliverer held up (a rate limit, a 429) touches it as it waits.
func (s *Store) Touch(ctx context.Context, id string, now time.Time) error {
	if err := s.rdb.ZAddXX(ctx, outboxDueKey, redis.Z{Score: float64(now.UnixMilli()), Member: id}).Err(); err != nil {
		return fmt.Errorf("touch outbox entry %s: %w", id, err)
	}
	return nil
}

// claimScript takes over a due entry only if nobody touched it meanwhile,
// and returns how many of its replies were taken already (-1: not claimed).
// KEYS: due zset, outbox hash. ARGV: id, older-than (ms), now (ms), done field.
var claimScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return tonumber(redis.call('HGET', KEYS[2], ARGV[4]) or '0')
end
return -1`)

// Claim takes a due entry over for delivery: true if it is still due (not
// acknowledged, not touched by a deliverer since olderThan). Then e.Done
// is set to the replies taken already, as the outbox has it at this moment.
func (s *Store) Claim(ctx context.Context, e *Entry, olderThan, now time.Time) (bool, error) {
	n, err := claimScript.Run(ctx, s.rdb, []string{outboxDueKey, outboxKey}, e.ID, olderThan.UnixMilli(), now.UnixMilli(), doneField(e.ID)).Int()
	if err != nil {
		return false, fmt.Errorf("claim outbox entry %s: %w", e.ID, err)
	}
	if n < 0 {
		return false, nil
	}
	e.Done = n
	return true, nil
}

// Due lists up to limit outbox entries committed (or last touched) at or
// before olderThan, oldest first: replies whose delivery did not finish,
// each with the count of its replies taken already (Entry.Done).
func (s *Store) Due(ctx context.Context, olderThan time.Time, limit int64) ([]Entry, error) {
	ids, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{
		Key: outboxDueKey, Start: "-inf", Stop: strconv.FormatInt(olderThan.UnixMilli(), 10),
		ByScore: true, Count: limit,
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("list due outbox entries: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	fields := make([]string, 0, 2*len(ids))
	fields = append(fields, ids...)
	for _, id := range ids {
		fields = append(fields, doneField(id))
	}
	vals, err := s.rdb.HMGet(ctx, outboxKey, fields...).Result()
	if err != nil {
		return nil, fmt.Errorf("read due outbox entries: %w", err)
	}
	entries := make([]Entry, 0, len(ids))
	var gone []string
	for i, v := range vals[:len(ids)] {
		raw, ok := v.(string)
		var e Entry
		if !ok || json.Unmarshal([]byte(raw), &e) != nil {
			gone = append(gone, ids[i]) // acked meanwhile, or unreadable
			continue
		}
		if done, ok := vals[len(ids)+i].(string); ok {
			e.Done, _ = strconv.Atoi(done)
		}
		entries = append(entries, e)
	}
	if len(gone) > 0 {
		if err := s.Ack(ctx, gone...); err != nil {
			return entries, err
		}
	}
	return entries, nil
}

// OutboxLen counts entries waiting for delivery.
func (s *Store) OutboxLen(ctx context.Context) (int64, error) {
	n, err := s.rdb.ZCard(ctx, outboxDueKey).Result()
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// MarkUnreachable records that a channel can no longer deliver to user.
func (s *Store) MarkUnreachable(ctx context.Context, channel, user string) error {
	if err := s.rdb.SAdd(ctx, unreachableKey(channel), user).Err(); err != nil {
		return fmt.Errorf("mark %s user unreachable: %w", channel, err)
	}
	return nil
}

// Unreachable tells whether user was marked unreachable on channel.
func (s *Store) Unreachable(ctx context.Context, channel, user string) (bool, error) {
	ok, err := s.rdb.SIsMember(ctx, unreachableKey(channel), user).Result()
	if err != nil {
		return false, fmt.Errorf("check %s user reachable: %w", channel, err)
	}
	return ok, nil
}

// Record reads one record a flow saved; nil when there is none.
func (s *Store) Record(ctx context.Context, kind, key string) (map[string]string, error) {
	return NewRecords(s.rdb).Get(ctx, kind, key)
}

// RecordKeys lists the keys of every record of kind.
func (s *Store) RecordKeys(ctx context.Context, kind string) ([]string, error) {
	return NewRecords(s.rdb).Keys(ctx, kind)
}
