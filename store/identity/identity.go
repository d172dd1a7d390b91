// Package identity maps chats on every channel to roster people, by phone.
//
// A chat (channel, user) is linked to one phone; a phone may have chats on
// several channels, so a person's Telegram and WhatsApp are one person.
// Personal invite tokens (/start <token>) link a chat without sharing a
// contact: unguessable, bound to one person, and, once used, to that chat;
// revocable.
package identity

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/keyscan"
)

// A chat's key is chatPrefix and its member ("channel:user"); a phone's
// set of those members is chatsPrefix and the phone.
const (
	chatPrefix  = "saathi:chat:"
	chatsPrefix = "saathi:chats:"
)

func chatKey(channel, user string) string { return chatPrefix + channel + ":" + user }
func chatsKey(phone string) string        { return chatsPrefix + phone }
func tokenKey(token string) string        { return "saathi:token:" + token }
func personTokenKey(phone string) string  { return "saathi:persontoken:" + phone }

// Errors of Redeem.
var (
	ErrUnknownToken = errors.New("unknown invite token")
	ErrTokenTaken   = errors.New("invite token already used by another chat")
	ErrRevokedToken = errors.New("invite token revoked")
)

// Identity is the chat-to-person map in Redis.
type Identity struct {
	rdb redis.UniversalClient
}

// New wraps a Redis client.
func New(rdb redis.UniversalClient) *Identity { return &Identity{rdb: rdb} }

// Link binds a chat to a phone (E.164), replacing an earlier link of that chat.
func (id *Identity) Link(ctx context.Context, channel, user, phone string) error {
	_, err := id.Relink(ctx, channel, user, phone)
	return err
}

// Relink is Link, returning the phone the chat was linked to before ("":
// none; phone itself: nothing changed).
//
// A chat's key says which phone it is linked to; each phone's set of
// chats is an index of those keys, in other hash slots, so the writes are
// separate commands, ordered so that a crash between two leaves a chat
// missing from a set (its events wait until it writes again or reindex
// puts it back), never in the set of a phone it is no longer linked to.
func (id *Identity) Relink(ctx context.Context, channel, user, phone string) (prev string, err error) {
	member := channel + ":" + user
	old, err := id.rdb.Get(ctx, chatKey(channel, user)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("link chat: %w", err)
	}
	if old != "" && old != phone {
		if err := id.rdb.SRem(ctx, chatsKey(old), member).Err(); err != nil {
			return "", fmt.Errorf("link chat: %w", err)
		}
	}
	if old != phone {
		prev, err = id.rdb.SetArgs(ctx, chatKey(channel, user), phone, redis.SetArgs{Get: true}).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return "", fmt.Errorf("link chat: %w", err)
		}
		if prev != "" && prev != old && prev != phone { // linked elsewhere meanwhile
			if err := id.rdb.SRem(ctx, chatsKey(prev), member).Err(); err != nil {
				return "", fmt.Errorf("link chat: %w", err)
			}
		}
	} else {
		prev = old
	}
	if err := id.rdb.SAdd(ctx, chatsKey(phone), member).Err(); err != nil { // again when unchanged: it repairs
		return "", fmt.Errorf("link chat: %w", err)
	}
	if prev != phone {
		// Linked to another phone between the SET and the SADD: the other
		// link's SADD is theirs, this one must not stay.
		cur, err := id.Phone(ctx, channel, user)
		if err == nil && cur != phone {
			err = id.rdb.SRem(ctx, chatsKey(phone), member).Err()
		}
		if err != nil {
			return "", fmt.Errorf("link chat: %w", err)
		}
	}
	return prev, nil
}

// Phone is the phone a chat is linked to ("" for none).
func (id *Identity) Phone(ctx context.Context, channel, user string) (string, error) {
	return id.PhoneWith(ctx, channel, user, nil)
}

// PhoneWith is Phone with the caller's own commands (with, when not nil)
// sent in the same round trip, in a plain pipeline: they need not share the
// chat's hash slot. Their results are in the commands; an error of theirs
// is returned.
func (id *Identity) PhoneWith(ctx context.Context, channel, user string, with func(redis.Pipeliner)) (string, error) {
	var get *redis.StringCmd
	_, err := id.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
		get = pl.Get(ctx, chatKey(channel, user))
		if with != nil {
			with(pl)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("look up chat: %w", err)
	}
	p, err := get.Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up chat: %w", err)
	}
	return p, nil
}

// Chat is one chat of a person.
type Chat struct{ Channel, User string }

// Chats lists a person's chats, sorted.
func (id *Identity) Chats(ctx context.Context, phone string) ([]Chat, error) {
	ms, err := id.rdb.SMembers(ctx, chatsKey(phone)).Result()
	if err != nil {
		return nil, fmt.Errorf("list chats: %w", err)
	}
	out := make([]Chat, 0, len(ms))
	for _, m := range ms {
		ch, u, _ := strings.Cut(m, ":")
		out = append(out, Chat{Channel: ch, User: u})
	}
	slices.SortFunc(out, func(a, b Chat) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.User, b.User))
	})
	return out, nil
}

// TokenBits is how much randomness a token carries: 80 bits from
// crypto/rand, written as 16 lowercase base32 letters and digits.
const TokenBits = 80

// channelsPage is how many phones' chats Channels reads a round trip: a
// training of 100,000 invitees is a hundred pipelines, not one that holds
// Redis and the client up for all of them.
const channelsPage = 1000

// Channels tells, for each phone, the channels it has chats on (none: the
// phone is not in the map), in a round trip for each channelsPage phones.
func (id *Identity) Channels(ctx context.Context, phones []string) (map[string][]string, error) {
	out := make(map[string][]string, len(phones))
	for page := range slices.Chunk(phones, channelsPage) {
		cmds := make([]*redis.StringSliceCmd, len(page))
		_, err := id.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, ph := range page {
				cmds[i] = p.SMembers(ctx, chatsKey(ph))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list chats of %d people: %w", len(phones), err)
		}
		for i, c := range cmds {
			for _, m := range c.Val() {
				ch, _, _ := strings.Cut(m, ":")
				if !slices.Contains(out[page[i]], ch) {
					out[page[i]] = append(out[page[i]], ch)
				}
			}
		}
	}
	return out, nil
}

// Token returns the person's invite token, making one the first time. The
// token is saved before the person's pointer to it, so that a token
// handed out always resolves.
func (id *Identity) Token(ctx context.Context, phone string) (string, error) {
	tok, err := id.rdb.Get(ctx, personTokenKey(phone)).Result()
	switch {
	case err == nil:
		revoked, err := id.rdb.HExists(ctx, tokenKey(tok), "revoked").Result()
		if err != nil {
			return "", fmt.Errorf("read invite token: %w", err)
		}
		if !revoked {
			return tok, nil
		}
		// A revocation cut short before it removed the pointer: a new one.
		if err := id.rdb.Del(ctx, personTokenKey(phone)).Err(); err != nil {
			return "", fmt.Errorf("replace a revoked invite token: %w", err)
		}
	case !errors.Is(err, redis.Nil):
		return "", fmt.Errorf("read invite token: %w", err)
	}
	b := make([]byte, TokenBits/8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make invite token: %w", err)
	}
	tok = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	if err := id.rdb.HSet(ctx, tokenKey(tok), "phone", phone).Err(); err != nil {
		return "", fmt.Errorf("save invite token: %w", err)
	}
	ok, err := id.rdb.SetNX(ctx, personTokenKey(phone), tok, 0).Result()
	if err != nil {
		return "", fmt.Errorf("save invite token: %w", err)
	}
	if !ok { // made at the same moment elsewhere: theirs wins
		id.rdb.Del(ctx, tokenKey(tok))
		return id.rdb.Get(ctx, personTokenKey(phone)).Result()
	}
	return tok, nil
}

// Holder is what a token says before it is redeemed: whose it is, and the
// chat that used it first ("channel:user", "" while unused).
type Holder struct{ Phone, Chat string }

// Peek reads a token without using it: ErrUnknownToken for no such token,
// ErrRevokedToken for one that was revoked.
func (id *Identity) Peek(ctx context.Context, token string) (Holder, error) {
	vals, err := id.rdb.HGetAll(ctx, tokenKey(strings.ToLower(token))).Result()
	if err != nil {
		return Holder{}, fmt.Errorf("read invite token: %w", err)
	}
	switch {
	case vals["phone"] == "":
		return Holder{}, ErrUnknownToken
	case vals["revoked"] != "":
		return Holder{}, ErrRevokedToken
	}
	return Holder{Phone: vals["phone"], Chat: vals["chat"]}, nil
}

// Redeem links a chat by token. The first chat to use a token owns it;
// the same chat may use it again, another chat may not; a revoked token
// links no one.
func (id *Identity) Redeem(ctx context.Context, token, channel, user string) (string, error) {
	token = strings.ToLower(token)
	h, err := id.Peek(ctx, token)
	if err != nil {
		return "", err
	}
	chat := channel + ":" + user
	ok, err := id.rdb.HSetNX(ctx, tokenKey(token), "chat", chat).Result()
	if err != nil {
		return "", fmt.Errorf("bind invite token: %w", err)
	}
	if !ok {
		owner, err := id.rdb.HGet(ctx, tokenKey(token), "chat").Result()
		if err != nil {
			return "", fmt.Errorf("read invite token: %w", err)
		}
		if owner != chat {
			return "", ErrTokenTaken
		}
	}
	if err := id.Link(ctx, channel, user, h.Phone); err != nil {
		return "", err
	}
	return h.Phone, nil
}

// Revoke ends a person's token: it links no one from now on, the chat
// that used it (if still theirs) is unlinked, and Token makes a new one.
// It returns the revoked token and that chat ("" when there was none).
func (id *Identity) Revoke(ctx context.Context, phone string) (token, chat string, err error) {
	token, err = id.rdb.Get(ctx, personTokenKey(phone)).Result()
	if errors.Is(err, redis.Nil) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read invite token: %w", err)
	}
	chat, err = id.rdb.HGet(ctx, tokenKey(token), "chat").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", "", fmt.Errorf("read invite token: %w", err)
	}
	// The token first, then the person's pointer to it (another hash slot):
	// a crash between leaves a pointer to a revoked token, which Token
	// replaces, never a token that still links.
	if err := id.rdb.HSet(ctx, tokenKey(token), "revoked", "1").Err(); err != nil {
		return "", "", fmt.Errorf("revoke invite token: %w", err)
	}
	if err := id.rdb.Del(ctx, personTokenKey(phone)).Err(); err != nil {
		return "", "", fmt.Errorf("revoke invite token: %w", err)
	}
	if ch, u, ok := strings.Cut(chat, ":"); ok {
		if err := id.Unlink(ctx, ch, u, phone); err != nil {
			return "", "", err
		}
	}
	return token, chat, nil
}

// Unlink removes a chat's link to phone; a chat linked to someone else
// since is left alone. The phone's set loses the chat first (see Relink).
func (id *Identity) Unlink(ctx context.Context, channel, user, phone string) error {
	cur, err := id.Phone(ctx, channel, user)
	if err != nil || cur != phone {
		return err
	}
	if err := id.rdb.SRem(ctx, chatsKey(phone), channel+":"+user).Err(); err != nil {
		return fmt.Errorf("unlink chat: %w", err)
	}
	// Only while it is still phone's: a link made meanwhile stays.
	if err := unlinkScript.Run(ctx, id.rdb, []string{chatKey(channel, user)}, phone).Err(); err != nil {
		return fmt.Errorf("unlink chat: %w", err)
	}
	return nil
}

// unlinkScript deletes a chat's key if it still names the phone.
// KEYS: the chat's key. ARGV: the phone.
var unlinkScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// Repaired is what Reindex did to the phones' sets of chats.
type Repaired struct {
	Chats   int // chat keys read
	Added   int // chats put back in their phone's set
	Removed int // chats taken out of a set of a phone they are not linked to
}

// Reindex makes every phone's set of chats match the chats' keys, which
// say who each chat is: a maintenance pass over every chat (saathi roster
// reindex), safe while the bot runs, idempotent.
func (id *Identity) Reindex(ctx context.Context) (Repaired, error) {
	var r Repaired
	err := keyscan.Each(ctx, id.rdb, chatPrefix+"*", func(keys []string) error {
		gets := make([]*redis.StringCmd, len(keys))
		if _, err := id.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range keys {
				gets[i] = p.Get(ctx, k)
			}
			return nil
		}); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		adds := make([]*redis.IntCmd, 0, len(keys))
		if _, err := id.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range keys {
				if phone := gets[i].Val(); phone != "" {
					adds = append(adds, p.SAdd(ctx, chatsKey(phone), strings.TrimPrefix(k, chatPrefix)))
				}
			}
			return nil
		}); err != nil {
			return err
		}
		r.Chats += len(adds)
		for _, a := range adds {
			r.Added += int(a.Val())
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("reindex chats: %w", err)
	}
	err = keyscan.Each(ctx, id.rdb, chatsPrefix+"*", func(keys []string) error {
		for _, k := range keys {
			phone := strings.TrimPrefix(k, chatsPrefix)
			members, err := id.rdb.SMembers(ctx, k).Result()
			if err != nil {
				return err
			}
			gets := make([]*redis.StringCmd, len(members))
			if _, err := id.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				for i, m := range members {
					gets[i] = p.Get(ctx, chatPrefix+m)
				}
				return nil
			}); err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
			for i, m := range members {
				if gets[i].Val() != phone {
					n, err := id.rdb.SRem(ctx, k, m).Result()
					if err != nil {
						return err
					}
					r.Removed += int(n)
				}
			}
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("reindex chats: %w", err)
	}
	return r, nil
}

// LinkAll links many chats of one channel at once (user -> phone), in one
// round trip: for bulk set-ups such as benchmarks and migrations. Unlike
// Link it does not unlink a chat's earlier person.
func (id *Identity) LinkAll(ctx context.Context, channel string, users map[string]string) error {
	_, err := id.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for user, phone := range users {
			p.Set(ctx, chatKey(channel, user), phone, 0)
			p.SAdd(ctx, chatsKey(phone), channel+":"+user)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("link %d chats: %w", len(users), err)
	}
	return nil
}

// Reach counts people by where they can be written to now: on Telegram,
// on WhatsApp (one with chats on both counts in each), or on no channel
// yet (None: they get personal links, and what is sent to them waits
// until they first write).
type Reach struct{ Telegram, WhatsApp, None int }

// Add counts one person whose chats are on channels (as Channels gives
// them).
func (r *Reach) Add(channels []string) {
	if len(channels) == 0 {
		r.None++
	}
	if slices.Contains(channels, "telegram") {
		r.Telegram++
	}
	if slices.Contains(channels, "whatsapp") {
		r.WhatsApp++
	}
}

// Plus is r and o counted together.
func (r Reach) Plus(o Reach) Reach {
	return Reach{Telegram: r.Telegram + o.Telegram, WhatsApp: r.WhatsApp + o.WhatsApp, None: r.None + o.None}
}
