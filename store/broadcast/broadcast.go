// Package broadcast keeps coordinators' broadcasts and what became of each
// recipient's copy: sent, blocked (the person blocked the bot), failed
// (undeliverable), no chat (not reachable on any channel yet), or stopped
// (the person opted out before it went out). Each
// recipient is counted once, however often its delivery is reported.
package broadcast

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Outcomes of a recipient's copy.
const (
	Sent    = "sent"
	Blocked = "blocked"
	Failed  = "failed"
	NoChat  = "nochat"
	// Stopped: the person opted out ("बंद करो") after the broadcast was
	// queued, before their copy went out; it was not sent.
	Stopped = "stopped"
)

// Broadcast is one message to many.
type Broadcast struct {
	ID        string
	Text      string
	Audience  string // how the recipients were chosen, for the report
	CreatedBy string // the coordinator's phone, or "cli"
	// Channel and User are the creator's chat, told when it is done ("" from the CLI).
	Channel, User string
	Lang          string // the creator's language, for progress and report
	// FileID and FileName are a document sent with the text (the channel's
	// file id, so it is not uploaded again for every recipient).
	FileID, FileName string
	Total            int
	// OptedOut is how many of the audience had stopped bulk messages
	// ("बंद करो"): not sent to, not in Total.
	OptedOut int
	At       time.Time
	// Expires ends the wait for recipients with no chat yet: a copy held
	// for them is dropped after it.
	Expires time.Time
}

// Counts are a broadcast's progress.
type Counts struct {
	Total, Sent, Blocked, Failed, NoChat, Stopped int
}

// Pending is how many copies are not accounted for yet.
func (c Counts) Pending() int { return c.Total - c.Sent - c.Blocked - c.Failed - c.NoChat - c.Stopped }

// OptedOutWith is how many of the audience opted out: before the broadcast was
// queued (not in Total) or after it, before their copy went out (Stopped).
func (b Broadcast) OptedOutWith(c Counts) int { return b.OptedOut + c.Stopped }

// ErrNotFound: no such broadcast.
var ErrNotFound = errors.New("no such broadcast")

func key(id string) string { return "saathi:broadcast:{" + id + "}" }

// activeKey holds the broadcasts whose creator follows their progress.
const activeKey = "saathi:broadcasts:active"

func resultsKey(id string) string { return key(id) + ":results" }

// Store keeps broadcasts in Redis.
type Store struct {
	rdb     redis.UniversalClient
	record  *redis.Script
	settled *redis.Script
}

// New wraps a Redis client.
func New(rdb redis.UniversalClient) *Store {
	return &Store{rdb: rdb, record: redis.NewScript(recordScript), settled: redis.NewScript(settledScript)}
}

// Create saves a new broadcast to total recipients and gives it an id.
func (s *Store) Create(ctx context.Context, b Broadcast) (Broadcast, error) {
	buf := make([]byte, 5)
	if _, err := rand.Read(buf); err != nil {
		return b, fmt.Errorf("create broadcast: %w", err)
	}
	b.ID = "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(buf))
	if b.Channel != "" {
		if err := s.rdb.SAdd(ctx, activeKey, b.ID).Err(); err != nil {
			return b, fmt.Errorf("create broadcast: %w", err)
		}
	}
	err := s.rdb.HSet(ctx, key(b.ID), map[string]any{
		"text": b.Text, "audience": b.Audience, "created_by": b.CreatedBy, "channel": b.Channel, "user": b.User, "lang": b.Lang, "file_id": b.FileID, "file_name": b.FileName,
		"total": b.Total, "optedout": b.OptedOut, "at": b.At.UnixMilli(), "expires": b.Expires.Unix(),
		Sent: 0, Blocked: 0, Failed: 0, NoChat: 0, Stopped: 0,
	}).Err()
	if err != nil {
		return b, fmt.Errorf("create broadcast: %w", err)
	}
	return b, nil
}

// Get reads a broadcast and its counts.
func (s *Store) Get(ctx context.Context, id string) (Broadcast, Counts, error) {
	h, err := s.rdb.HGetAll(ctx, key(id)).Result()
	if err != nil {
		return Broadcast{}, Counts{}, fmt.Errorf("read broadcast %s: %w", id, err)
	}
	if len(h) == 0 {
		return Broadcast{}, Counts{}, fmt.Errorf("read broadcast %s: %w", id, ErrNotFound)
	}
	n := func(k string) int { v, _ := strconv.Atoi(h[k]); return v }
	at, _ := strconv.ParseInt(h["at"], 10, 64)
	exp, _ := strconv.ParseInt(h["expires"], 10, 64)
	b := Broadcast{ID: id, Text: h["text"], Audience: h["audience"], CreatedBy: h["created_by"],
		Channel: h["channel"], User: h["user"], Lang: h["lang"], FileID: h["file_id"], FileName: h["file_name"], Total: n("total"), OptedOut: n("optedout"), At: time.UnixMilli(at), Expires: time.Unix(exp, 0)}
	return b, Counts{Total: n("total"), Sent: n(Sent), Blocked: n(Blocked), Failed: n(Failed), NoChat: n(NoChat), Stopped: n(Stopped)}, nil
}

// recordScript counts a recipient's outcome once. A later "sent" replaces
// an earlier "failed" (a copy dropped as too old cannot then be sent, but
// a retried one can be). It returns the counts and whether this call
// completed the broadcast.
// KEYS: broadcast, results. ARGV: phone, outcome.
const recordScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
local prev = redis.call('HGET', KEYS[2], ARGV[1])
if prev == ARGV[2] or (prev and ARGV[2] ~= 'sent') then return {0} end
if prev then redis.call('HINCRBY', KEYS[1], prev, -1) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
local c = redis.call('HMGET', KEYS[1], 'total', 'sent', 'blocked', 'failed', 'nochat', 'stopped')
local done = 0
if tonumber(c[2]) + tonumber(c[3]) + tonumber(c[4]) + tonumber(c[5]) + tonumber(c[6] or 0) >= tonumber(c[1]) then
  if redis.call('HSETNX', KEYS[1], 'done', '1') == 1 then done = 1 end
end
return {1, done}
`

// Record counts what became of phone's copy. It reports whether this was
// news (not a repeat) and whether it completed the broadcast (true once).
func (s *Store) Record(ctx context.Context, id, phone, outcome string) (counted, done bool, err error) {
	res, err := s.record.Run(ctx, s.rdb, []string{key(id), resultsKey(id)}, phone, outcome).Int64Slice()
	if err != nil {
		return false, false, fmt.Errorf("record broadcast %s: %w", id, err)
	}
	if res[0] < 0 {
		return false, false, fmt.Errorf("record broadcast %s: %w", id, ErrNotFound)
	}
	return res[0] == 1, len(res) > 1 && res[1] == 1, nil
}

// Undelivered lists the recipients whose copy did not arrive, by phone:
// blocked, failed, no chat or stopped (opted out); sorted.
func (s *Store) Undelivered(ctx context.Context, id string) ([][2]string, error) {
	h, err := s.rdb.HGetAll(ctx, resultsKey(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("read broadcast %s: %w", id, err)
	}
	var out [][2]string
	for phone, o := range h {
		if o != Sent {
			out = append(out, [2]string{phone, o})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// Active lists the broadcasts whose progress is still being shown.
func (s *Store) Active(ctx context.Context) ([]string, error) {
	ids, err := s.rdb.SMembers(ctx, activeKey).Result()
	if err != nil {
		return nil, fmt.Errorf("list active broadcasts: %w", err)
	}
	sort.Strings(ids)
	return ids, nil
}

// FinishedTTL is how long a finished broadcast (its text, counts and
// every recipient's outcome) is kept.
const FinishedTTL = 90 * 24 * time.Hour

// Finish takes a broadcast off the active list; it and its recipients'
// outcomes go FinishedTTL later.
func (s *Store) Finish(ctx context.Context, id string) error {
	if _, err := s.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.SRem(ctx, activeKey, id)
		pipe.Expire(ctx, key(id), FinishedTTL)
		pipe.Expire(ctx, resultsKey(id), FinishedTTL)
		return nil
	}); err != nil {
		return fmt.Errorf("finish broadcast %s: %w", id, err)
	}
	return nil
}

// Content is what a broadcast says: kept once in the broadcast, not in
// each recipient's copy. ok is false for a broadcast gone.
func (s *Store) Content(ctx context.Context, id string) (text, fileID, fileName string, ok bool, err error) {
	v, err := s.rdb.HMGet(ctx, key(id), "text", "file_id", "file_name").Result()
	if err != nil {
		return "", "", "", false, fmt.Errorf("read broadcast %s: %w", id, err)
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	return str(0), str(1), str(2), v[0] != nil, nil
}

// Progress is the message showing a broadcast's progress in its creator's
// chat.
type Progress struct {
	// Msg is the message's id in the chat, as its channel gives it
	// (Telegram's number in decimal, WhatsApp's message id); "" until it is
	// posted.
	Msg    string
	Text   string    // what it says
	Posted time.Time // when Msg was posted (zero if not known)
	Edited time.Time // when it was last posted or edited (zero if not known)
}

// ProgressMessage reads the message showing a broadcast's progress. Records
// written before message ids were strings hold Telegram's number, which a
// hash keeps as its decimal string anyway, and no times.
func (s *Store) ProgressMessage(ctx context.Context, id string) (Progress, error) {
	v, err := s.rdb.HMGet(ctx, key(id), "progress_msg", "progress_text", "progress_posted", "progress_at").Result()
	if err != nil {
		return Progress{}, fmt.Errorf("read broadcast %s progress: %w", id, err)
	}
	str := func(i int) string { x, _ := v[i].(string); return x }
	ms := func(i int) time.Time {
		n, err := strconv.ParseInt(str(i), 10, 64)
		if err != nil || n == 0 {
			return time.Time{}
		}
		return time.UnixMilli(n)
	}
	return Progress{Msg: str(0), Text: str(1), Posted: ms(2), Edited: ms(3)}, nil
}

// SetProgressMessage records the message showing a broadcast's progress.
func (s *Store) SetProgressMessage(ctx context.Context, id string, p Progress) error {
	ms := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return t.UnixMilli()
	}
	err := s.rdb.HSet(ctx, key(id), "progress_msg", p.Msg, "progress_text", p.Text,
		"progress_posted", ms(p.Posted), "progress_at", ms(p.Edited)).Err()
	if err != nil {
		return fmt.Errorf("save broadcast %s progress: %w", id, err)
	}
	return nil
}

// settledScript records when a broadcast was first seen with nothing
// pending and returns that time (ms); false for no such broadcast.
// KEYS: broadcast. ARGV: now (ms).
const settledScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], 'settled_at', ARGV[1])
return redis.call('HGET', KEYS[1], 'settled_at')
`

// Settled tells since when a broadcast has been seen with nothing pending:
// the first call for it records now, later calls return that time. It is
// for finishing a broadcast whose progress no process shows.
func (s *Store) Settled(ctx context.Context, id string, now time.Time) (time.Time, error) {
	v, err := s.settled.Run(ctx, s.rdb, []string{key(id)}, now.UnixMilli()).Text()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, fmt.Errorf("mark broadcast %s settled: %w", id, ErrNotFound)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("mark broadcast %s settled: %w", id, err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("mark broadcast %s settled: bad time %q", id, v)
	}
	return time.UnixMilli(n), nil
}

// LockProgress lets one process at a time update a broadcast's progress
// message, for at most ttl; unlock ends it sooner.
func (s *Store) LockProgress(ctx context.Context, id string, ttl time.Duration) (unlock func(), ok bool, err error) {
	k := key(id) + ":progress_lock"
	ok, err = s.rdb.SetNX(ctx, k, 1, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("lock broadcast %s progress: %w", id, err)
	}
	return func() { s.rdb.Del(context.WithoutCancel(ctx), k) }, ok, nil
}
