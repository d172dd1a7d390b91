package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/locales"
)

// Keys. Everything of one training is under "saathi:training:{id}", the
// braces making it one Redis Cluster hash slot:
//
//	saathi:training:{id}               hash: json, secret, capacity, start (first day, unix ms), cancelled (0|1)
//	saathi:training:{id}:status        hash: phone -> invited|yes|no|maybe|waitlist
//	saathi:training:{id}:order         zset: phone -> invitation order (1, 2, ...)
//	saathi:training:{id}:reason        hash: phone -> reason of a "no"
//	saathi:training:{id}:at            hash: phone -> time of the last answer (unix ms)
//	saathi:training:{id}:yes           set of confirmed phones
//	saathi:training:{id}:waitlist      zset: phone -> time of the "yes" (unix ms)
//	saathi:training:{id}:checkin:{day} hash: phone -> {"at":ms,"method":...}, day from 0
//	saathi:training:{id}:feedback      hash: phone -> feedback json
//	saathi:training:{id}:corrections   list of a coordinator's attendance entries (json), oldest first
//	saathi:training:index              zset: id -> first day's start (unix ms)
//	saathi:training:person:{phone}     set of the training ids the phone is invited to
const prefix = "saathi:training:"

func trainingKey(id string) string         { return prefix + "{" + id + "}" }
func subKey(id, part string) string        { return prefix + "{" + id + "}:" + part }
func checkinKey(id string, day int) string { return subKey(id, "checkin:"+strconv.Itoa(day)) }
func personKey(phone string) string        { return prefix + "person:" + phone }

const indexKey = prefix + "index"

// Answers and statuses.
const (
	StatusInvited  = "invited" // no answer yet
	StatusYes      = "yes"
	StatusNo       = "no"
	StatusMaybe    = "maybe"
	StatusWaitlist = "waitlist"
)

// Store keeps trainings in Redis.
type Store struct {
	rdb      redis.UniversalClient
	create   *redis.Script
	update   *redis.Script
	invite   *redis.Script
	answer   *redis.Script
	checkIn  *redis.Script
	feedback *redis.Script
	mark     *redis.Script
}

// New makes a Store over a Redis client.
func New(rdb redis.UniversalClient) *Store {
	return &Store{
		rdb:      rdb,
		create:   redis.NewScript(createScript),
		update:   redis.NewScript(updateScript),
		invite:   redis.NewScript(inviteScript),
		answer:   redis.NewScript(answerScript),
		checkIn:  redis.NewScript(checkInScript),
		feedback: redis.NewScript(feedbackScript),
		mark:     redis.NewScript(markScript),
	}
}

// createScript writes a training hash unless the id is taken.
// KEYS: training. ARGV: json, secret, capacity, start, cancelled.
const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'secret', ARGV[2], 'capacity', ARGV[3], 'start', ARGV[4], 'cancelled', ARGV[5])
return 1
`

// updateScript rewrites an existing training hash; an empty secret keeps
// the stored one. KEYS and ARGV as createScript.
const updateScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'capacity', ARGV[3], 'start', ARGV[4], 'cancelled', ARGV[5])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'secret', ARGV[2]) end
return 1
`

// fields are the arguments createScript and updateScript take.
func fields(t Training) ([]any, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	cancelled := "0"
	if t.Cancelled {
		cancelled = "1"
	}
	return []any{data, t.Secret, t.Capacity, t.First().UnixMilli(), cancelled}, nil
}

// Create checks the training, gives it a new ID and a secret (and the
// default radius if it has none) and stores it. The stored training is
// returned.
func (s *Store) Create(ctx context.Context, t Training) (Training, error) {
	if err := t.Validate(); err != nil {
		return Training{}, fmt.Errorf("create training: %w", err)
	}
	if t.Radius == 0 {
		t.Radius = DefaultRadius
	}
	var err error
	if t.Secret, err = newSecret(); err != nil {
		return Training{}, err
	}
	for range 5 { // 30 random bits: a clash is rare, five in a row is not going to happen
		if t.ID, err = newID(); err != nil {
			return Training{}, err
		}
		args, err := fields(t)
		if err != nil {
			return Training{}, fmt.Errorf("create training: %w", err)
		}
		ok, err := s.create.Run(ctx, s.rdb, []string{trainingKey(t.ID)}, args...).Int()
		if err != nil {
			return Training{}, fmt.Errorf("create training %s: %w", t.ID, err)
		}
		if ok == 0 {
			continue
		}
		if err := s.rdb.ZAdd(ctx, indexKey, redis.Z{Score: float64(t.First().UnixMilli()), Member: t.ID}).Err(); err != nil {
			return Training{}, fmt.Errorf("index training %s: %w", t.ID, err)
		}
		return t, nil
	}
	return Training{}, errors.New("create training: could not find a free id")
}

// Update rewrites a stored training (found by t.ID). An empty Secret keeps
// the stored one. Answers, check-ins and feedback stay as they are: a
// lower capacity does not move anyone to the waitlist, and a higher one
// promotes from the waitlist only when someone next gives up a seat.
func (s *Store) Update(ctx context.Context, t Training) error {
	if !ValidID(t.ID) {
		return fmt.Errorf("update training %q: %w", t.ID, ErrNotFound)
	}
	if err := t.Validate(); err != nil {
		return fmt.Errorf("update training %s: %w", t.ID, err)
	}
	args, err := fields(t)
	if err != nil {
		return fmt.Errorf("update training %s: %w", t.ID, err)
	}
	ok, err := s.update.Run(ctx, s.rdb, []string{trainingKey(t.ID)}, args...).Int()
	if err != nil {
		return fmt.Errorf("update training %s: %w", t.ID, err)
	}
	if ok == 0 {
		return fmt.Errorf("update training %s: %w", t.ID, ErrNotFound)
	}
	if err := s.rdb.ZAdd(ctx, indexKey, redis.Z{Score: float64(t.First().UnixMilli()), Member: t.ID}).Err(); err != nil {
		return fmt.Errorf("index training %s: %w", t.ID, err)
	}
	return nil
}

// Get reads a training; ok is false when there is none with this id.
func (s *Store) Get(ctx context.Context, id string) (Training, bool, error) {
	if !ValidID(id) {
		return Training{}, false, nil
	}
	vals, err := s.rdb.HMGet(ctx, trainingKey(id), "json", "secret").Result()
	if err != nil {
		return Training{}, false, fmt.Errorf("get training %s: %w", id, err)
	}
	t, ok, err := decodeTraining(vals)
	if err != nil {
		return Training{}, false, fmt.Errorf("get training %s: %w", id, err)
	}
	return t, ok, nil
}

// mustGet reads a training that has to exist.
func (s *Store) mustGet(ctx context.Context, id string) (Training, error) {
	t, ok, err := s.Get(ctx, id)
	if err != nil {
		return Training{}, err
	}
	if !ok {
		return Training{}, ErrNotFound
	}
	return t, nil
}

// decodeTraining reads the json and secret fields of a training hash.
func decodeTraining(vals []any) (Training, bool, error) {
	if len(vals) != 2 || vals[0] == nil {
		return Training{}, false, nil
	}
	data, _ := vals[0].(string)
	var t Training
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return Training{}, false, fmt.Errorf("decode training: %w", err)
	}
	t.Secret, _ = vals[1].(string)
	for i := range t.Days {
		t.Days[i].Start = t.Days[i].Start.In(locales.IST)
		t.Days[i].End = t.Days[i].End.In(locales.IST)
	}
	return t, true, nil
}

// List gives every training, by the start of its first day.
func (s *Store) List(ctx context.Context) ([]Training, error) {
	ids, err := s.rdb.ZRange(ctx, indexKey, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list trainings: %w", err)
	}
	ts, err := s.getMany(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list trainings: %w", err)
	}
	return ts, nil
}

// getMany reads trainings in one round trip, skipping ids that have none,
// and sorts them by their first day.
func (s *Store) getMany(ctx context.Context, ids []string) ([]Training, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.SliceCmd, 0, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range ids {
			if ValidID(id) {
				cmds = append(cmds, p.HMGet(ctx, trainingKey(id), "json", "secret"))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Training
	for _, c := range cmds {
		t, ok, err := decodeTraining(c.Val())
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].First().Equal(out[j].First()) {
			return out[i].First().Before(out[j].First())
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// codesKey is the hash of calendar codes: code -> training id.
const codesKey = prefix + "codes"

// NormalizeCode writes a calendar code as it is kept: trimmed, inner
// spaces as one, upper case ("rgsa-hr-01 " is "RGSA-HR-01").
func NormalizeCode(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), " "))
}

// ByCode reads the training of a calendar code; ok is false when the code
// has none yet.
func (s *Store) ByCode(ctx context.Context, code string) (Training, bool, error) {
	id, err := s.rdb.HGet(ctx, codesKey, NormalizeCode(code)).Result()
	if errors.Is(err, redis.Nil) {
		return Training{}, false, nil
	}
	if err != nil {
		return Training{}, false, fmt.Errorf("look up training code %s: %w", code, err)
	}
	return s.Get(ctx, id)
}

// Uncoded finds the training a calendar row meant before calendar codes
// were kept: one stored with no code, starting at first, whose code
// derived from its fields (title, venue, batch, invite, start: what a YAML
// training that gives no code is known by) is code. One read of the
// trainings that start then, whatever how many there are.
func (s *Store) Uncoded(ctx context.Context, code string, first time.Time) (Training, bool, error) {
	code = NormalizeCode(code)
	at := strconv.FormatInt(first.UnixMilli(), 10)
	ids, err := s.rdb.ZRangeByScore(ctx, indexKey, &redis.ZRangeBy{Min: at, Max: at}).Result()
	if err != nil {
		return Training{}, false, fmt.Errorf("look up a training without a code for %s: %w", code, err)
	}
	ts, err := s.getMany(ctx, ids)
	if err != nil {
		return Training{}, false, fmt.Errorf("look up a training without a code for %s: %w", code, err)
	}
	for _, t := range ts {
		if t.Code == "" && derivedCode(t) == code {
			return t, true, nil
		}
	}
	return Training{}, false, nil
}

// BindCode gives t, stored without a calendar code, the code t.Code (the
// rest of t is written as Update writes it): ByCode finds it from then on.
// A code that is another training's already is an error.
func (s *Store) BindCode(ctx context.Context, t Training) error {
	code := NormalizeCode(t.Code)
	if code == "" || !ValidID(t.ID) {
		return fmt.Errorf("bind code %q to training %q: %w", t.Code, t.ID, &FieldError{Field: "code", Problem: "is required"})
	}
	if err := s.rdb.HSetNX(ctx, codesKey, code, t.ID).Err(); err != nil {
		return fmt.Errorf("bind code %s to training %s: %w", code, t.ID, err)
	}
	id, err := s.rdb.HGet(ctx, codesKey, code).Result()
	if err != nil {
		return fmt.Errorf("bind code %s to training %s: %w", code, t.ID, err)
	}
	if id != t.ID {
		return fmt.Errorf("bind code %s to training %s: the code is training %s's", code, t.ID, id)
	}
	t.Code = code
	return s.Update(ctx, t)
}

// CreateCoded stores t under its calendar code unless that code has a
// training already, which is returned instead (created false). The code
// is bound to an id before the training is written, so a run cut short
// between the two and run again writes the training under the same id:
// one code never makes two trainings.
func (s *Store) CreateCoded(ctx context.Context, t Training) (_ Training, created bool, _ error) {
	code := NormalizeCode(t.Code)
	if code == "" {
		return Training{}, false, fmt.Errorf("create training: %w", &FieldError{Field: "code", Problem: "is required"})
	}
	if err := t.Validate(); err != nil {
		return Training{}, false, fmt.Errorf("create training %s: %w", code, err)
	}
	t.Code = code
	if t.Radius == 0 {
		t.Radius = DefaultRadius
	}
	var err error
	if t.Secret, err = newSecret(); err != nil {
		return Training{}, false, err
	}
	for range 5 {
		id, err := s.rdb.HGet(ctx, codesKey, code).Result()
		if errors.Is(err, redis.Nil) {
			if id, err = newID(); err != nil {
				return Training{}, false, err
			}
			if _, err = s.rdb.HSetNX(ctx, codesKey, code, id).Result(); err != nil {
				return Training{}, false, fmt.Errorf("reserve training code %s: %w", code, err)
			}
			continue // read back the id that won
		}
		if err != nil {
			return Training{}, false, fmt.Errorf("look up training code %s: %w", code, err)
		}
		if old, ok, err := s.Get(ctx, id); err != nil {
			return Training{}, false, err
		} else if ok && old.Code == code {
			return old, false, nil
		} else if ok { // the id drawn for the code is another training's: draw again
			if err := s.rdb.HDel(ctx, codesKey, code).Err(); err != nil {
				return Training{}, false, fmt.Errorf("reserve training code %s: %w", code, err)
			}
			continue
		}
		t.ID = id
		args, err := fields(t)
		if err != nil {
			return Training{}, false, fmt.Errorf("create training %s: %w", code, err)
		}
		ok, err := s.create.Run(ctx, s.rdb, []string{trainingKey(id)}, args...).Int()
		if err != nil {
			return Training{}, false, fmt.Errorf("create training %s: %w", code, err)
		}
		if ok == 0 {
			continue // written meanwhile: read it back
		}
		if err := s.rdb.ZAdd(ctx, indexKey, redis.Z{Score: float64(t.First().UnixMilli()), Member: id}).Err(); err != nil {
			return Training{}, false, fmt.Errorf("index training %s: %w", id, err)
		}
		return t, true, nil
	}
	return Training{}, false, fmt.Errorf("create training %s: could not settle an id", code)
}
