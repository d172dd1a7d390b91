package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/flows"
)

// Dead-letter keys, all in one hash slot (the {…} tag), so that one
// MULTI may write several on a Redis Cluster too.
const (
	deadLettersKey     = prefix + "{deadletters}"       // sorted set: letter id by last failure (ms)
	deadLetterRetryKey = prefix + "{deadletters}:retry" // list: ids an operator asked to apply again
)

func deadLetterKey(id string) string { return prefix + "{deadletters}:" + id } // hash: the letter

// ErrNoLetter: no dead letter has that id.
var ErrNoLetter = errors.New("no such dead letter")

// Letter is an inbound message that could not be applied after its
// retries, set aside with the input as it came and the last error.
type Letter struct {
	ID       string      // LetterID of the input
	Input    flows.Input // the message as the channel gave it
	Error    string      // the last failure
	Attempts int         // how many times it was tried, in all
	First    time.Time   // when it was first set aside
	At       time.Time   // when it last failed
}

// LetterID is the dead-letter id of an inbound message: the same message
// set aside again (after an operator's retry) keeps its id.
func LetterID(channel, user, msgID string) string {
	sum := sha256.Sum256([]byte(channel + "\x00" + user + "\x00" + msgID))
	return hex.EncodeToString(sum[:6])
}

// DeadLetters keeps the dead letters in Redis. It is safe for concurrent use.
type DeadLetters struct {
	rdb redis.UniversalClient
}

// NewDeadLetters wraps a connected client.
func NewDeadLetters(rdb redis.UniversalClient) *DeadLetters { return &DeadLetters{rdb: rdb} }

// Add sets in aside after attempts failed tries, the last with cause, at
// at. A message already set aside is updated: its attempts add up, and the
// error and time are the new ones. It returns the letter's id.
func (d *DeadLetters) Add(ctx context.Context, in flows.Input, cause string, attempts int, at time.Time) (string, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return "", fmt.Errorf("dead letter: encode message: %w", err)
	}
	id := LetterID(in.Channel, in.User, in.ID)
	key := deadLetterKey(id)
	ms := at.UnixMilli()
	_, err = d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSetNX(ctx, key, "first", ms)
		p.HSet(ctx, key, "input", raw, "error", cause, "at", ms)
		p.HIncrBy(ctx, key, "attempts", int64(attempts))
		p.ZAdd(ctx, deadLettersKey, redis.Z{Score: float64(ms), Member: id})
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("dead letter %s: %w", id, err)
	}
	return id, nil
}

// List returns up to limit letters (0: all), the latest failure first.
func (d *DeadLetters) List(ctx context.Context, limit int) ([]Letter, error) {
	ids, err := d.rdb.ZRevRange(ctx, deadLettersKey, 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	if _, err := d.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, deadLetterKey(id))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	out := make([]Letter, 0, len(ids))
	for i, id := range ids {
		l, err := letter(id, cmds[i].Val())
		if errors.Is(err, ErrNoLetter) {
			continue // dropped meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Get returns the letter id, or ErrNoLetter.
func (d *DeadLetters) Get(ctx context.Context, id string) (Letter, error) {
	h, err := d.rdb.HGetAll(ctx, deadLetterKey(id)).Result()
	if err != nil {
		return Letter{}, fmt.Errorf("read dead letter %s: %w", id, err)
	}
	return letter(id, h)
}

func letter(id string, h map[string]string) (Letter, error) {
	if len(h) == 0 {
		return Letter{}, fmt.Errorf("%w: %s", ErrNoLetter, id)
	}
	l := Letter{ID: id, Error: h["error"]}
	if err := json.Unmarshal([]byte(h["input"]), &l.Input); err != nil {
		return Letter{}, fmt.Errorf("read dead letter %s: %w", id, err)
	}
	l.Attempts, _ = strconv.Atoi(h["attempts"])
	first, _ := strconv.ParseInt(h["first"], 10, 64)
	at, _ := strconv.ParseInt(h["at"], 10, 64)
	l.First, l.At = time.UnixMilli(first), time.UnixMilli(at)
	return l, nil
}

// Drop removes the letter id for good; ErrNoLetter when there is none.
func (d *DeadLetters) Drop(ctx context.Context, id string) error {
	var del *redis.IntCmd
	if _, err := d.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, deadLetterKey(id))
		p.ZRem(ctx, deadLettersKey, id)
		return nil
	}); err != nil {
		return fmt.Errorf("drop dead letter %s: %w", id, err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("%w: %s", ErrNoLetter, id)
	}
	return nil
}

// Retry queues the letter id to be applied again by a running serve (see
// Take); ErrNoLetter when there is none. The letter stays listed until it
// is applied.
func (d *DeadLetters) Retry(ctx context.Context, id string) error {
	n, err := d.rdb.Exists(ctx, deadLetterKey(id)).Result()
	if err != nil {
		return fmt.Errorf("retry dead letter %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", ErrNoLetter, id)
	}
	if err := d.rdb.RPush(ctx, deadLetterRetryKey, id).Err(); err != nil {
		return fmt.Errorf("retry dead letter %s: %w", id, err)
	}
	return nil
}

// Take waits up to wait for a letter queued by Retry and returns it; false
// when none came, or the one that came was dropped meanwhile. A letter
// taken stays stored until the caller drops it once applied, so a crash
// after Take loses nothing (it can be retried again).
func (d *DeadLetters) Take(ctx context.Context, wait time.Duration) (Letter, bool, error) {
	res, err := d.rdb.BLPop(ctx, wait, deadLetterRetryKey).Result()
	if errors.Is(err, redis.Nil) {
		return Letter{}, false, nil
	}
	if err != nil {
		return Letter{}, false, fmt.Errorf("take dead letter to retry: %w", err)
	}
	l, err := d.Get(ctx, res[1])
	if errors.Is(err, ErrNoLetter) {
		return Letter{}, false, nil
	}
	if err != nil {
		return Letter{}, false, err
	}
	return l, true, nil
}
