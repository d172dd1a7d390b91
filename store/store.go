// Package store keeps Saathi's conversations in Redis.
//
// A transition is committed in one round trip by a Lua script that, all at
// once: refuses a message id it has seen (de-duplication), checks the
// conversation's version (compare-and-set), writes the new state, and
// writes the replies to the outbox, all in one hash slot (see the keys);
// the records the flow produced are written just after. Replies
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
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
)

// Keys. Everything Saathi writes starts with "saathi:".
//
// A conversation's keys and its outbox shard carry one hash tag, {oNN}:
// the shard of the conversation (shardOf), so that a commit, one script,
// stays within one hash slot of a Redis Cluster. The outbox is split into
// Shards hashes and due sets, each holding the entries of its
// conversations; the sweeper reads all of them.
const prefix = "saathi:"

// Shards is how many outbox shards there are. It is part of every
// conversation's key name: changing it strands the conversations.
const Shards = 64

// shardOf is the shard of a conversation: FNV-1a of "channel:user".
func shardOf(channel, user string) int {
	h := uint32(2166136261)
	for _, s := range [...]string{channel, ":", user} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint32(s[i])) * 16777619
		}
	}
	return int(h % Shards)
}

// shardOfEntry is the shard of an entry: its id is "channel:user:version".
func shardOfEntry(id string) int {
	i := strings.LastIndexByte(id, ':')
	if i < 0 {
		i = len(id)
	}
	ch, user, _ := strings.Cut(id[:i], ":")
	return shardOf(ch, user)
}

// tag is shard n's hash tag, "{o07}".
func tag(n int) string { return fmt.Sprintf("{o%02d}", n) }

func outboxKey(n int) string    { return prefix + "outbox:" + tag(n) }          // hash: entry id -> Entry JSON
func outboxDueKey(n int) string { return prefix + "outbox:" + tag(n) + ":due" } // sorted set: entry id by commit time (ms)

// ConversationKey is the hash of a conversation (v: version, s: state).
func ConversationKey(channel, user string) string {
	return prefix + "conv:" + tag(shardOf(channel, user)) + ":" + channel + ":" + user
}

// SeenKey is the sorted set of the message ids a conversation has had
// applied (seenMember), by when (ms): one key a conversation, trimmed to
// seenTTL and to maxSeen ids at each commit, small enough that Redis keeps
// it as a listpack (see the README's production notes).
func SeenKey(channel, user string) string {
	return prefix + "seen:" + tag(shardOf(channel, user)) + ":" + channel + ":" + user
}

// The layout before hash tags, still read on a single-node Redis (where
// it can exist: its commit spanned slots, so it never ran on a cluster)
// and moved into the tagged keys by a conversation's first commit since
// (commit.lua) and, for outbox entries, by Due (moveScript). A
// conversation idle for ConvTTL since the upgrade has expired; then this
// can go.
const (
	legacyOutboxKey    = prefix + "outbox"
	legacyOutboxDueKey = prefix + "outbox:due"
)

func legacyConvKey(channel, user string) string { return prefix + "conv:" + channel + ":" + user }
func legacySeenKey(channel, user string) string { return prefix + "seen:" + channel + ":" + user }

// legacyIDKey is a message id's own key, as commits before the seen set
// wrote it: still refused as a duplicate until it expires.
func legacyIDKey(channel, user, msgID string) string {
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
	// legacy: the Redis is one node, where keys of the layout before hash
	// tags may exist; they are read, and moved on write. A cluster has none.
	legacy bool
}

// DefaultSeenTTL is how long a message id is remembered for de-duplication.
// Telegram redelivers for up to 24 hours.
const DefaultSeenTTL = 48 * time.Hour

// New wraps a connected client. seenTTL <= 0 means DefaultSeenTTL.
func New(rdb redis.UniversalClient, seenTTL time.Duration) *Store {
	if seenTTL <= 0 {
		seenTTL = DefaultSeenTTL
	}
	_, cluster := rdb.(*redis.ClusterClient)
	return &Store{rdb: rdb, seenTTL: seenTTL, commit: redis.NewScript(commitScript), legacy: !cluster}
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
	// Records are the records the transition saved, written to their own
	// keys (other hash slots) just after the commit. They ride in the
	// entry, within the commit's slot, so that a crash before that write
	// loses nothing: Claim writes them again where they are missing.
	Records []flows.Record `json:"records,omitempty"`
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
//
// The conversation, its seen ids and its outbox shard share a hash slot:
// one script writes them. The records (other slots) are written right
// after, from the outbox entry that carries them (see Entry.Records).
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
	if len(c.Replies) > 0 || len(c.Records) > 0 {
		entry = &Entry{ID: entryID(c.Channel, c.User, c.State.Version), Channel: c.Channel, User: c.User, Replies: c.Replies, Records: c.Records, At: c.At.UnixMilli()}
		if entryJSON, err = json.Marshal(entry); err != nil {
			return nil, fmt.Errorf("commit: encode replies: %w", err)
		}
	}
	sh := shardOf(c.Channel, c.User)
	keys := []string{ConversationKey(c.Channel, c.User), SeenKey(c.Channel, c.User), outboxKey(sh), outboxDueKey(sh)}
	legacy := 0
	if s.legacy {
		keys = append(keys, legacyConvKey(c.Channel, c.User), legacySeenKey(c.Channel, c.User), legacyIDKey(c.Channel, c.User, c.MsgID))
		legacy = 1
	}
	res, err := s.commit.Run(ctx, s.rdb, keys, c.Expected, stateJSON, s.seenTTL.Milliseconds(), entryIDOrEmpty(entry), entryJSON,
		c.At.UnixMilli(), seenMember(c.MsgID), maxSeen, ConvTTL.Milliseconds(), legacy).Slice()
	if err != nil {
		return nil, fmt.Errorf("commit transition of %s:%s: %w", c.Channel, c.User, err)
	}
	switch res[0] {
	case "ok":
		if len(c.Records) == 0 {
			return entry, nil
		}
		if err := s.writeRecords(ctx, entry, false); err != nil {
			// Committed: the entry keeps the records, and the sweeper's
			// Claim writes them (a retry of the message is a duplicate).
			return nil, fmt.Errorf("commit transition of %s:%s: %w", c.Channel, c.User, err)
		}
		if len(c.Replies) == 0 {
			if err := s.Ack(ctx, entry.ID); err != nil {
				return nil, err
			}
			return nil, nil
		}
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

// repairRecordScript writes a record again unless it holds this save or a
// later one already (its _at is not older): a save lost to a crash comes
// back, a later change (Records.Update, a later save) is left alone.
// KEYS: record hash. ARGV: _at, then field, value, ... (_at among them).
var repairRecordScript = redis.NewScript(`
if (redis.call('HGET', KEYS[1], '_at') or '') >= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1`)

// writeRecords writes the records of an entry to their hashes and index
// sets, in one round trip; with repair, only those a crash lost.
func (s *Store) writeRecords(ctx context.Context, e *Entry, repair bool) error {
	at := time.UnixMilli(e.At).UTC().Format(time.RFC3339)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, r := range e.Records {
			fields := make([]any, 0, 2+2*len(r.Fields))
			fields = append(fields, "_at", at)
			for k, v := range r.Fields {
				fields = append(fields, k, v)
			}
			if repair {
				repairRecordScript.Eval(ctx, p, []string{recordKey(r.Kind, r.Key)}, append([]any{at}, fields...)...)
			} else {
				p.HSet(ctx, recordKey(r.Kind, r.Key), fields...)
			}
			p.SAdd(ctx, recordIndexKey(r.Kind), r.Key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %d records of %s: %w", len(e.Records), e.ID, err)
	}
	return nil
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
	var score, oldScore *redis.FloatCmd
	var exists *redis.IntCmd
	var state, oldState *redis.SliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		score = p.ZScore(ctx, SeenKey(channel, user), seenMember(msgID))
		if s.legacy {
			exists = p.Exists(ctx, legacyIDKey(channel, user, msgID))
			oldScore = p.ZScore(ctx, legacySeenKey(channel, user), seenMember(msgID))
		}
		if load {
			state, oldState = s.loadConversation(ctx, p, channel, user)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return flows.State{}, false, fmt.Errorf("check message %s: %w", msgID, err)
	}
	var st flows.State
	if load {
		if st, err = conversation(state, oldState); err != nil {
			return st, false, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
		}
	}
	seen := score.Err() == nil || (s.legacy && (exists.Val() > 0 || oldScore.Err() == nil))
	return st, seen, nil
}

// loadConversation queues the reads of a conversation: its hash and, on
// a single-node Redis, its hash of the layout before hash tags (read when
// the first is missing: the conversation's first commit since moves it).
func (s *Store) loadConversation(ctx context.Context, p redis.Pipeliner, channel, user string) (state, old *redis.SliceCmd) {
	state = p.HMGet(ctx, ConversationKey(channel, user), "v", "s")
	if s.legacy {
		old = p.HMGet(ctx, legacyConvKey(channel, user), "v", "s")
	}
	return state, old
}

// conversation decodes what loadConversation read.
func conversation(state, old *redis.SliceCmd) (flows.State, error) {
	vals := state.Val()
	if vals[0] == nil && old != nil {
		vals = old.Val()
	}
	return decodeState(vals[0], vals[1])
}

// Load reads a conversation; a user never seen has the zero State.
func (s *Store) Load(ctx context.Context, channel, user string) (flows.State, error) {
	var state, old *redis.SliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		state, old = s.loadConversation(ctx, p, channel, user)
		return nil
	})
	if err != nil {
		return flows.State{}, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
	}
	st, err := conversation(state, old)
	if err != nil {
		return st, fmt.Errorf("load conversation %s:%s: %w", channel, user, err)
	}
	return st, nil
}

// Ack removes delivered (or undeliverable) entries from the outbox, in one
// round trip (two commands a shard they are in).
func (s *Store) Ack(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	byShard := map[int][]string{}
	for _, id := range ids {
		n := shardOfEntry(id)
		byShard[n] = append(byShard[n], id)
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n, ids := range byShard {
			fields := make([]string, 0, 2*len(ids))
			members := make([]any, len(ids))
			for i, id := range ids {
				fields = append(fields, id, doneField(id))
				members[i] = id
			}
			p.HDel(ctx, outboxKey(n), fields...)
			p.ZRem(ctx, outboxDueKey(n), members...)
		}
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
// KEYS: outbox shard hash, its due zset. ARGV: id, done field, n, now (ms).
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
	sh := shardOfEntry(id)
	if err := markSentScript.Run(ctx, s.rdb, []string{outboxKey(sh), outboxDueKey(sh)}, id, doneField(id), n, now.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("note %d replies of outbox entry %s sent: %w", n, id, err)
	}
	return nil
}

// Touch tells other processes that entries ids are being delivered now:
// their due times move to now, so their sweepers leave them alone for a
// grace period. A deliverer held up (a rate limit, a 429) touches them as
// it waits. One round trip, a command for each outbox shard they are in;
// an entry acknowledged meanwhile is left out (ZADD XX).
func (s *Store) Touch(ctx context.Context, now time.Time, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	byShard := map[int][]redis.Z{}
	for _, id := range ids {
		n := shardOfEntry(id)
		byShard[n] = append(byShard[n], redis.Z{Score: float64(now.UnixMilli()), Member: id})
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n, zs := range byShard {
			p.ZAddXX(ctx, outboxDueKey(n), zs...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("touch %d outbox entries: %w", len(ids), err)
	}
	return nil
}

// claimScript takes over a due entry only if nobody touched it meanwhile,
// and returns how many of its replies were taken already (-1: not claimed).
// KEYS: outbox shard due zset, its hash. ARGV: id, older-than (ms), now (ms), done field.
var claimScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return tonumber(redis.call('HGET', KEYS[2], ARGV[4]) or '0')
end
return -1`)

// Claim takes a due entry over for delivery: true if it is still due (not
// acknowledged, not touched by a deliverer since olderThan). Then e.Done
// is set to the replies taken already, as the outbox has it at this
// moment, and the records the entry carries are written where a crash
// after the commit lost them.
func (s *Store) Claim(ctx context.Context, e *Entry, olderThan, now time.Time) (bool, error) {
	sh := shardOfEntry(e.ID)
	n, err := claimScript.Run(ctx, s.rdb, []string{outboxDueKey(sh), outboxKey(sh)}, e.ID, olderThan.UnixMilli(), now.UnixMilli(), doneField(e.ID)).Int()
	if err != nil {
		return false, fmt.Errorf("claim outbox entry %s: %w", e.ID, err)
	}
	if n < 0 {
		return false, nil
	}
	e.Done = n
	if len(e.Records) > 0 {
		if err := s.writeRecords(ctx, e, true); err != nil {
			return true, err
		}
	}
	return true, nil
}

// moveScript moves a due entry of the outbox before hash tags into its
// shard, with its count of replies taken and its due time, unless a
// deliverer touched it since older-than (an older process at it now).
// Single-node Redis only, where that outbox can exist.
// KEYS: old hash, old due zset, shard hash, shard due zset.
// ARGV: id, done field, older-than (ms).
var moveScript = redis.NewScript(`
local due = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[3]) then
  return 0
end
local e = redis.call('HGET', KEYS[1], ARGV[1])
local done = redis.call('HGET', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
if not e then
  return 0
end
redis.call('HSET', KEYS[3], ARGV[1], e)
if done then
  redis.call('HSET', KEYS[3], ARGV[2], done)
end
redis.call('ZADD', KEYS[4], due, ARGV[1])
return 1`)

// Due lists up to limit outbox entries committed (or last touched) at or
// before olderThan, oldest first: replies whose delivery did not finish,
// each with the count of its replies taken already (Entry.Done). It reads
// every shard, in two round trips, taking the oldest few of each (entries
// spread evenly over the shards); on a single-node Redis it first moves
// the due entries of the outbox before hash tags into their shards.
func (s *Store) Due(ctx context.Context, olderThan time.Time, limit int64) ([]Entry, error) {
	until := strconv.FormatInt(olderThan.UnixMilli(), 10)
	perShard := min(limit, 2*limit/Shards+16)
	zrange := func(p redis.Pipeliner, key string, count int64) *redis.ZSliceCmd {
		return p.ZRangeArgsWithScores(ctx, redis.ZRangeArgs{Key: key, Start: "-inf", Stop: until, ByScore: true, Count: count})
	}
	var shards [Shards]*redis.ZSliceCmd
	var old *redis.ZSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range shards {
			shards[n] = zrange(p, outboxDueKey(n), perShard)
		}
		if s.legacy {
			old = zrange(p, legacyOutboxDueKey, limit)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list due outbox entries: %w", err)
	}
	if old != nil && len(old.Val()) > 0 {
		if err := s.moveLegacy(ctx, old.Val(), olderThan); err != nil {
			return nil, err
		}
		return s.Due(ctx, olderThan, limit) // once more, the moved ones in their shards
	}
	var due []redis.Z
	for _, c := range shards {
		due = append(due, c.Val()...)
	}
	if len(due) == 0 {
		return nil, nil
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].Score < due[j].Score })
	due = due[:min(int64(len(due)), limit)]
	ids := make([]string, len(due))
	for i, z := range due {
		ids[i], _ = z.Member.(string)
	}
	vals, err := s.readEntries(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read due outbox entries: %w", err)
	}
	entries := make([]Entry, 0, len(ids))
	var gone []string
	for i, v := range vals {
		var e Entry
		if v[0] == "" || json.Unmarshal([]byte(v[0]), &e) != nil {
			gone = append(gone, ids[i]) // acked meanwhile, or unreadable
			continue
		}
		e.Done, _ = strconv.Atoi(v[1])
		entries = append(entries, e)
	}
	if len(gone) > 0 {
		if err := s.Ack(ctx, gone...); err != nil {
			return entries, err
		}
	}
	return entries, nil
}

// readEntries reads entries and their counts of replies taken ("" for
// none) from their shards, in one round trip.
func (s *Store) readEntries(ctx context.Context, ids []string) ([][2]string, error) {
	cmds := make([]*redis.SliceCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HMGet(ctx, outboxKey(shardOfEntry(id)), id, doneField(id))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][2]string, len(ids))
	for i, c := range cmds {
		for j, v := range c.Val() {
			out[i][j], _ = v.(string)
		}
	}
	return out, nil
}

// moveLegacy moves due entries of the outbox before hash tags into their
// shards, in one round trip.
func (s *Store) moveLegacy(ctx context.Context, due []redis.Z, olderThan time.Time) error {
	if err := moveScript.Load(ctx, s.rdb).Err(); err != nil {
		return fmt.Errorf("move outbox entries into shards: %w", err)
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, z := range due {
			id, _ := z.Member.(string)
			sh := shardOfEntry(id)
			moveScript.EvalSha(ctx, p, []string{legacyOutboxKey, legacyOutboxDueKey, outboxKey(sh), outboxDueKey(sh)}, id, doneField(id), olderThan.UnixMilli())
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move %d outbox entries into shards: %w", len(due), err)
	}
	return nil
}

// OutboxLen counts entries waiting for delivery.
func (s *Store) OutboxLen(ctx context.Context) (int64, error) {
	cmds := make([]*redis.IntCmd, 0, Shards+1)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			cmds = append(cmds, p.ZCard(ctx, outboxDueKey(n)))
		}
		if s.legacy {
			cmds = append(cmds, p.ZCard(ctx, legacyOutboxDueKey))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	var total int64
	for _, c := range cmds {
		total += c.Val()
	}
	return total, nil
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
