package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Records are the records flows save (save_record), read and followed up
// outside a transition: numbered, their status changed, their changes
// kept. A record is the hash saathi:rec:<kind>:<key>, listed in the set
// saathi:rec:<kind>; saathi:rec:<kind>:seq numbers them (NextNumber) and
// saathi:reclog:{saathi:rec:<kind>:<key>} lists every change made by
// Update, oldest first: its hash tag is the record's whole key, so the two
// share a hash slot and Update stays one script on a cluster. (Logs
// written before are at saathi:rec:<kind>:<key>:log; Log reads both.)
type Records struct {
	rdb redis.UniversalClient
}

// NewRecords reads and follows up the records kept in rdb.
func NewRecords(rdb redis.UniversalClient) *Records { return &Records{rdb: rdb} }

func recordSeqKey(kind string) string            { return prefix + "rec:" + kind + ":seq" }
func legacyRecordLogKey(kind, key string) string { return recordKey(kind, key) + ":log" }

// recordLogKey is the change log of a record, in the record's hash slot.
func recordLogKey(kind, key string) string {
	rk := recordKey(kind, key)
	if strings.ContainsAny(rk, "{}") { // a key with a tag of its own: its log keeps it
		return legacyRecordLogKey(kind, key)
	}
	return prefix + "reclog:{" + rk + "}"
}

// NextNumber gives the next number of kind's records: 1, 2, 3 … never
// the same twice.
func (r *Records) NextNumber(ctx context.Context, kind string) (int64, error) {
	n, err := r.rdb.Incr(ctx, recordSeqKey(kind)).Result()
	if err != nil {
		return 0, fmt.Errorf("number a %s record: %w", kind, err)
	}
	return n, nil
}

// Get reads one record; nil when there is none.
func (r *Records) Get(ctx context.Context, kind, key string) (map[string]string, error) {
	m, err := r.rdb.HGetAll(ctx, recordKey(kind, key)).Result()
	if err != nil {
		return nil, fmt.Errorf("read %s record %s: %w", kind, key, err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// Keys lists the keys of every record of kind, once each, read from the
// listing a page at a time (SSCAN), so that no one reply holds them all.
func (r *Records) Keys(ctx context.Context, kind string) ([]string, error) {
	var keys []string
	var cursor uint64
	for {
		page, next, err := r.rdb.SScan(ctx, recordIndexKey(kind), cursor, "", RecordPage).Result()
		if err != nil {
			return nil, fmt.Errorf("list %s records: %w", kind, err)
		}
		keys = append(keys, page...)
		if cursor = next; cursor == 0 {
			break
		}
	}
	slices.Sort(keys) // SSCAN may give a key twice
	return slices.Compact(keys), nil
}

// RecordPage is how many records one read of Fields or Each asks for.
const RecordPage = 1000

// Fields calls fn with the field names of each record of kind under
// keys, a page of records at a time (HKEYS), in keys' order; a record
// gone meanwhile has none.
func (r *Records) Fields(ctx context.Context, kind string, keys []string, fn func(names []string)) error {
	for page := range slices.Chunk(keys, RecordPage) {
		cmds := make([]*redis.StringSliceCmd, len(page))
		if _, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range page {
				cmds[i] = p.HKeys(ctx, recordKey(kind, k))
			}
			return nil
		}); err != nil {
			return fmt.Errorf("read the fields of %s records: %w", kind, err)
		}
		for _, c := range cmds {
			fn(c.Val())
		}
	}
	return nil
}

// Each calls fn with the records of kind under keys, in keys' order, a
// page at a time (one pipeline of HGETALL each): recs[i] is keys[i]'s
// record, nil when it is gone. Only one page is held at once.
func (r *Records) Each(ctx context.Context, kind string, keys []string, fn func(keys []string, recs []map[string]string) error) error {
	for page := range slices.Chunk(keys, RecordPage) {
		cmds := make([]*redis.MapStringStringCmd, len(page))
		if _, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range page {
				cmds[i] = p.HGetAll(ctx, recordKey(kind, k))
			}
			return nil
		}); err != nil {
			return fmt.Errorf("read %s records: %w", kind, err)
		}
		recs := make([]map[string]string, len(page))
		for i, c := range cmds {
			if len(c.Val()) > 0 {
				recs[i] = c.Val()
			}
		}
		if err := fn(page, recs); err != nil {
			return err
		}
	}
	return nil
}

// All reads every record of kind in one round trip after the listing, by key.
func (r *Records) All(ctx context.Context, kind string) (map[string]map[string]string, error) {
	keys, err := r.Keys(ctx, kind)
	if err != nil {
		return nil, err
	}
	cmds := make(map[string]*redis.MapStringStringCmd, len(keys))
	_, err = r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			cmds[k] = p.HGetAll(ctx, recordKey(kind, k))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s records: %w", kind, err)
	}
	out := make(map[string]map[string]string, len(keys))
	for k, c := range cmds {
		if len(c.Val()) > 0 {
			out[k] = c.Val()
		}
	}
	return out, nil
}

// updateScript sets fields of an existing record and logs the change.
// KEYS: record, log. ARGV: change json, then field, value, ...
const updateRecordScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
`

var updateRecord = redis.NewScript(updateRecordScript)

// Update sets fields of an existing record and keeps the change in its
// log, in one script; ok is false when there is no such record.
func (r *Records) Update(ctx context.Context, kind, key string, fields map[string]string) (ok bool, err error) {
	if len(fields) == 0 {
		return false, fmt.Errorf("update %s record %s: no fields", kind, key)
	}
	change, err := json.Marshal(fields)
	if err != nil {
		return false, fmt.Errorf("update %s record %s: %w", kind, key, err)
	}
	args := []any{change}
	for k, v := range fields {
		args = append(args, k, v)
	}
	n, err := updateRecord.Run(ctx, r.rdb, []string{recordKey(kind, key), recordLogKey(kind, key)}, args...).Int()
	if err != nil {
		return false, fmt.Errorf("update %s record %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// Log lists the changes Update made to a record, oldest first.
func (r *Records) Log(ctx context.Context, kind, key string) ([]map[string]string, error) {
	var lists []*redis.StringSliceCmd
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if old := legacyRecordLogKey(kind, key); old != recordLogKey(kind, key) {
			lists = append(lists, p.LRange(ctx, old, 0, -1))
		}
		lists = append(lists, p.LRange(ctx, recordLogKey(kind, key), 0, -1))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the log of %s record %s: %w", kind, key, err)
	}
	var vals []string
	for _, l := range lists {
		vals = append(vals, l.Val()...)
	}
	out := make([]map[string]string, len(vals))
	for i, v := range vals {
		if err := json.Unmarshal([]byte(v), &out[i]); err != nil {
			return nil, fmt.Errorf("read the log of %s record %s: %w", kind, key, err)
		}
	}
	return out, nil
}

// KeyLess orders record keys: numbers by value (2 before 10), then other
// keys as text.
func KeyLess(a, b string) bool {
	na, errA := strconv.ParseUint(a, 10, 63)
	nb, errB := strconv.ParseUint(b, 10, 63)
	switch {
	case errA == nil && errB == nil:
		return na < nb
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return a < b
}
