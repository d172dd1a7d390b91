package roster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/keyscan"
)

// scanPage is how many members one SSCAN asks for.
const scanPage = keyscan.Page

// scan calls fn with the keys matching pattern, a page at a time
// (keyscan.Each).
func (r *Roster) scan(ctx context.Context, pattern string, fn func(keys []string) error) error {
	return keyscan.Each(ctx, r.rdb, pattern, fn)
}

// Each calls fn with everyone on the roster, a page of about a thousand
// people at a time, in no order: the whole roster, for whole-roster
// exports and reindex. A person changed meanwhile may be seen as before or
// after; one may come twice.
func (r *Roster) Each(ctx context.Context, fn func(page []Person) error) error {
	return r.scan(ctx, recordPrefix+"*", func(keys []string) error {
		phones := make([]string, 0, len(keys))
		for _, k := range keys {
			if ph, ok := phoneOfRecord(k); ok {
				phones = append(phones, ph)
			}
		}
		people, err := r.records(ctx, phones)
		if err != nil {
			return err
		}
		return fn(people)
	})
}

// ReindexResult is what Reindex did.
type ReindexResult struct {
	People  int // records read
	Moved   int // legacy hashes rewritten as records
	Removed int // index entries that named someone who does not fit
}

// Reindex rebuilds the indexes from the records: it adds every entry each
// person needs (idempotent), then removes the entries nobody needs (a set
// naming someone who moved, a catalogue entry of a place nobody is at). It
// first moves people kept in the legacy layout (a hash per person). It is
// safe while the bot runs: an answer never misses someone who fits, since
// entries are only removed when their person's record says so. It reads
// the whole roster, in pages; progress, when set, is called with the
// people read so far.
func (r *Roster) Reindex(ctx context.Context, progress func(people int)) (ReindexResult, error) {
	var res ReindexResult
	moved, err := r.moveLegacy(ctx)
	if err != nil {
		return res, err
	}
	res.Moved = moved
	// Catalogue entries each person needs, kept to remove the others: as
	// many as there are places and pairs, not people.
	need := map[entry]bool{}
	err = r.Each(ctx, func(page []Person) error {
		var news [][]entry
		for _, p := range page {
			es := p.entries()
			for _, e := range es {
				if e.catalogue {
					need[e] = true
				}
			}
			news = append(news, es)
		}
		if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			writeIndex(ctx, pipe, nil, news)
			addPlaceNames(ctx, pipe, page)
			return nil
		}); err != nil {
			return fmt.Errorf("write index entries: %w", err)
		}
		res.People += len(page)
		if progress != nil {
			progress(res.People)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("reindex the roster: %w", err)
	}
	if err := r.rdb.Set(ctx, placeNamesBuilt, "1", 0).Err(); err != nil {
		return res, fmt.Errorf("reindex the roster: mark the place names: %w", err)
	}
	removed, err := r.prune(ctx, need)
	res.Removed = removed
	if err != nil {
		return res, fmt.Errorf("reindex the roster: %w", err)
	}
	return res, nil
}

// prune removes the index entries that nobody's record needs: catalogue
// entries not in need, and phones whose record is gone or does not hold
// that entry.
func (r *Roster) prune(ctx context.Context, need map[entry]bool) (int, error) {
	removed := 0
	err := r.scan(ctx, ixPrefix+"*", func(keys []string) error {
		for _, key := range keys {
			cursor := uint64(0)
			for {
				ms, next, err := r.rdb.SScan(ctx, key, cursor, "", scanPage).Result()
				if err != nil {
					return fmt.Errorf("read %s: %w", key, err)
				}
				stale, err := r.stale(ctx, key, ms, need)
				if err != nil {
					return err
				}
				if len(stale) > 0 {
					if err := r.rdb.SRem(ctx, key, stale...).Err(); err != nil {
						return fmt.Errorf("prune %s: %w", key, err)
					}
					removed += len(stale)
				}
				if cursor = next; cursor == 0 {
					break
				}
			}
		}
		return nil
	})
	return removed, err
}

// stale are the members ms of the set at key that nobody needs there.
func (r *Roster) stale(ctx context.Context, key string, ms []string, need map[entry]bool) ([]any, error) {
	var out []any
	if isCatalogue(key) {
		for _, m := range ms {
			if !need[entry{key, m, true}] {
				out = append(out, m)
			}
		}
		return out, nil
	}
	phones := make([]string, len(ms))
	for i, m := range ms {
		phones[i] = phoneOfMember(m)
	}
	people, err := r.records(ctx, phones)
	if err != nil {
		return nil, err
	}
	fits := map[string]bool{}
	for _, p := range people {
		for _, e := range p.entries() {
			if e.key == key {
				fits[e.member] = true
			}
		}
	}
	for _, m := range ms {
		if !fits[m] {
			out = append(out, m)
		}
	}
	return out, nil
}

// isCatalogue tells whether the set at key is a catalogue (parts, pairs)
// rather than a set of phones.
func isCatalogue(key string) bool {
	return strings.HasPrefix(key, ixPrefix+"{"+placesTag+"}:") || strings.HasSuffix(key, "}:rds")
}

// moveLegacy rewrites the people kept as legacy hashes as records, with
// their index entries, and deletes the hashes.
func (r *Roster) moveLegacy(ctx context.Context) (int, error) {
	moved := 0
	err := r.scan(ctx, legacyPrefix+"*", func(keys []string) error {
		cmds := make([]*redis.MapStringStringCmd, len(keys))
		if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			for i, k := range keys {
				cmds[i] = pipe.HGetAll(ctx, k)
			}
			return nil
		}); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("read legacy people: %w", err)
		}
		var people []Person
		var done []string // a hash that does not read as a person stays
		for i, c := range cmds {
			if p, ok := personFromHash(c.Val()); ok {
				if p, err := p.normalized(); err == nil {
					people, done = append(people, p), append(done, keys[i])
				}
			}
		}
		if _, err := r.importBatch(ctx, people, false); err != nil {
			return fmt.Errorf("move legacy people: %w", err)
		}
		if _, err := r.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			for _, k := range done { // one slot each
				pipe.Del(ctx, k)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("delete legacy people: %w", err)
		}
		moved += len(people)
		return nil
	})
	if err != nil {
		return moved, err
	}
	if err := r.rdb.Del(ctx, legacyPeople).Err(); err != nil {
		return moved, fmt.Errorf("delete the legacy set of people: %w", err)
	}
	return moved, nil
}
