package identity_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/identity"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestLinkMapsChatsOfSeveralChannelsToOnePerson(t *testing.T) {
	ctx := context.Background()
	id := identity.New(storetest.Redis(t, storetest.DBIdentity, nil))
	const phone = "+919018159083"
	if err := id.Link(ctx, "telegram", "42", phone); err != nil {
		t.Fatal(err)
	}
	if err := id.Link(ctx, "whatsapp", "919018159083", phone); err != nil {
		t.Fatal(err)
	}
	chats, err := id.Chats(ctx, phone)
	if err != nil || len(chats) != 2 || chats[0].Channel != "telegram" || chats[1].Channel != "whatsapp" {
		t.Fatalf("chats = %+v, %v", chats, err)
	}
	// Relinking a chat to someone else moves it.
	if err := id.Link(ctx, "telegram", "42", "+919131860913"); err != nil {
		t.Fatal(err)
	}
	if chats, _ := id.Chats(ctx, phone); len(chats) != 1 {
		t.Fatalf("old person still has %+v", chats)
	}
	if p, _ := id.Phone(ctx, "telegram", "42"); p != "+919131860913" {
		t.Fatalf("phone = %q", p)
	}
	if p, err := id.Phone(ctx, "telegram", "7"); p != "" || err != nil {
		t.Fatalf("unknown chat: %q %v", p, err)
	}
}

func TestTokenIsStableUnguessableAndBindsToFirstChat(t *testing.T) {
	ctx := context.Background()
	id := identity.New(storetest.Redis(t, storetest.DBIdentity, nil))
	a, err := id.Token(ctx, "+919018159083")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := id.Token(ctx, "+919018159083")
	other, _ := id.Token(ctx, "+919131860913")
	if a != again || a == other || len(a) < 16 {
		t.Fatalf("tokens %q %q %q", a, again, other)
	}
	if _, err := id.Redeem(ctx, "nosuchtoken", "telegram", "1"); !errors.Is(err, identity.ErrUnknownToken) {
		t.Fatalf("unknown token: %v", err)
	}
	if p, err := id.Redeem(ctx, a, "telegram", "1"); err != nil || p != "+919018159083" {
		t.Fatalf("redeem: %q %v", p, err)
	}
	if _, err := id.Redeem(ctx, a, "telegram", "1"); err != nil {
		t.Fatalf("the owner again: %v", err)
	}
	if _, err := id.Redeem(ctx, a, "telegram", "2"); !errors.Is(err, identity.ErrTokenTaken) {
		t.Fatalf("another chat: %v", err)
	}
	if p, _ := id.Phone(ctx, "telegram", "2"); p != "" {
		t.Fatalf("refused chat got linked to %q", p)
	}
}

func TestLinkAll(t *testing.T) {
	ctx := context.Background()
	id := identity.New(storetest.Redis(t, storetest.DBIdentity, nil))
	if err := id.LinkAll(ctx, "telegram", map[string]string{"1": "+919000000001", "2": "+919000000002"}); err != nil {
		t.Fatal(err)
	}
	for user, phone := range map[string]string{"1": "+919000000001", "2": "+919000000002"} {
		if p, _ := id.Phone(ctx, "telegram", user); p != phone {
			t.Errorf("chat %s: %q", user, p)
		}
		if chats, _ := id.Chats(ctx, phone); len(chats) != 1 || chats[0].User != user {
			t.Errorf("%s: chats %+v", phone, chats)
		}
	}
}

func TestRevokedTokenLinksNoOneAndUnlinksItsChat(t *testing.T) {
	ctx := context.Background()
	id := identity.New(storetest.Redis(t, storetest.DBIdentity, nil))
	const phone = "+919018159083"
	tok, err := id.Token(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != identity.TokenBits/5 {
		t.Fatalf("token %q: want %d base32 characters", tok, identity.TokenBits/5)
	}
	if _, err := id.Redeem(ctx, strings.ToUpper(tok), "telegram", "1"); err != nil {
		t.Fatalf("typed in capitals: %v", err)
	}
	old, chat, err := id.Revoke(ctx, phone)
	if err != nil || old != tok || chat != "telegram:1" {
		t.Fatalf("revoke = %q %q %v", old, chat, err)
	}
	if p, _ := id.Phone(ctx, "telegram", "1"); p != "" {
		t.Fatalf("the chat that used a revoked token is still linked to %s", p)
	}
	if _, err := id.Redeem(ctx, tok, "telegram", "1"); !errors.Is(err, identity.ErrRevokedToken) {
		t.Fatalf("redeem revoked = %v", err)
	}
	if _, err := id.Peek(ctx, tok); !errors.Is(err, identity.ErrRevokedToken) {
		t.Fatalf("peek revoked = %v", err)
	}
	fresh, err := id.Token(ctx, phone)
	if err != nil || fresh == tok {
		t.Fatalf("new token = %q %v", fresh, err)
	}
	if p, err := id.Redeem(ctx, fresh, "telegram", "2"); err != nil || p != phone {
		t.Fatalf("new token redeems to %q %v", p, err)
	}
	// Revoking someone with no token does nothing.
	if tok, chat, err := id.Revoke(ctx, "+919131860913"); tok != "" || chat != "" || err != nil {
		t.Fatalf("revoke without a token = %q %q %v", tok, chat, err)
	}
}

// Channels of a training's worth of invitees reads them a page at a time,
// and pages do not lose anyone: people linked at the edges of pages are
// found on their channels, the others are not in the map.
func TestChannelsReadsInPages(t *testing.T) {
	ctx := context.Background()
	rt := &store.RoundTrips{}
	id := identity.New(storetest.Redis(t, storetest.DBIdentity, rt))
	phones := make([]string, 2500)
	for i := range phones {
		phones[i] = fmt.Sprintf("+9190%08d", i)
	}
	linked := map[int]string{0: "telegram", 999: "whatsapp", 1000: "telegram", 2499: "whatsapp"}
	for i, ch := range linked {
		if err := id.Link(ctx, ch, fmt.Sprint("u", i), phones[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := id.Link(ctx, "whatsapp", "w1000", phones[1000]); err != nil {
		t.Fatal(err)
	}
	if _, err := id.Channels(ctx, phones); err != nil { // a connection dialled now costs its handshake once
		t.Fatal(err)
	}
	before := rt.Count()
	got, err := id.Channels(ctx, phones)
	if err != nil {
		t.Fatal(err)
	}
	if n := rt.Count() - before; n != 3 {
		t.Errorf("%d round trips for 2,500 phones, want 3 pages of 1,000", n)
	}
	if len(got) != len(linked) {
		t.Errorf("%d people with chats, want %d: %v", len(got), len(linked), got)
	}
	for i, ch := range linked {
		want := []string{ch}
		if i == 1000 {
			want = []string{"telegram", "whatsapp"}
		}
		if g := slices.Sorted(slices.Values(got[phones[i]])); !slices.Equal(g, want) { // a set: any order
			t.Errorf("person %d: %v, want %v", i, g, want)
		}
	}
}

// failCmd is a go-redis hook that fails the commands named in fail (a
// crash of the process just before it sent them).
type failCmd struct{ fail map[string]bool }

var errCrash = errors.New("crashed before this command")

func (f *failCmd) DialHook(next redis.DialHook) redis.DialHook { return next }
func (f *failCmd) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if f.fail[cmd.Name()] {
			cmd.SetErr(errCrash)
			return errCrash
		}
		return next(ctx, cmd)
	}
}
func (f *failCmd) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// TestALinkCutShortNeverLeavesAChatWithItsOldPerson: a chat's key and the
// phones' sets of chats are in different hash slots, so a relink is
// several writes; cut short after any of them, the chat is never in the
// set of a phone it is no longer linked to (its old person's events would
// reach the new one), and reindex puts right what is missing.
func TestALinkCutShortNeverLeavesAChatWithItsOldPerson(t *testing.T) {
	ctx := context.Background()
	const a, b = "+919018159083", "+919131860913"
	for _, crash := range []string{"srem", "set", "sadd"} {
		rdb := storetest.Redis(t, storetest.DBIdentity, nil)
		id := identity.New(rdb)
		if err := id.Link(ctx, "telegram", "42", a); err != nil {
			t.Fatal(err)
		}
		hook := &failCmd{fail: map[string]bool{crash: true}}
		rdb.AddHook(hook)
		if err := id.Link(ctx, "telegram", "42", b); !errors.Is(err, errCrash) {
			t.Fatalf("crash before %s: link = %v, want the crash", crash, err)
		}
		hook.fail = nil
		phone, _ := id.Phone(ctx, "telegram", "42")
		for _, ph := range []string{a, b} {
			chats, err := id.Chats(ctx, ph)
			if err != nil {
				t.Fatal(err)
			}
			if len(chats) > 0 && ph != phone {
				t.Errorf("crash before %s: the chat, linked to %s, is in %s's chats", crash, phone, ph)
			}
		}
		rep, err := id.Reindex(ctx)
		if err != nil {
			t.Fatal(err)
		}
		chats, _ := id.Chats(ctx, phone)
		if len(chats) != 1 || chats[0].User != "42" || rep.Chats != 1 {
			t.Errorf("crash before %s, reindexed (%+v): %s has chats %+v, want the chat", crash, rep, phone, chats)
		}
		if err := id.Link(ctx, "telegram", "42", b); err != nil { // done again, the link holds
			t.Fatal(err)
		}
		if chats, _ := id.Chats(ctx, b); len(chats) != 1 {
			t.Errorf("crash before %s, linked again: %s has chats %+v", crash, b, chats)
		}
		if chats, _ := id.Chats(ctx, a); len(chats) != 0 {
			t.Errorf("crash before %s, linked again: %s still has chats %+v", crash, a, chats)
		}
	}
}

// TestReindexPutsTheChatSetsRight: sets that disagree with the chats' keys
// (a chat missing from its phone's set, a chat in another phone's set)
// are made to agree, and a second run finds nothing to do.
func TestReindexPutsTheChatSetsRight(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBIdentity, nil)
	id := identity.New(rdb)
	const a, b = "+919018159083", "+919131860913"
	if err := id.LinkAll(ctx, "telegram", map[string]string{"1": a, "2": a, "3": b}); err != nil {
		t.Fatal(err)
	}
	rdb.SRem(ctx, "saathi:chats:"+a, "telegram:1")
	rdb.SAdd(ctx, "saathi:chats:"+b, "telegram:2", "whatsapp:gone")
	rep, err := id.Reindex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (identity.Repaired{Chats: 3, Added: 1, Removed: 2}) {
		t.Errorf("reindex = %+v, want 3 chats, 1 added, 2 removed", rep)
	}
	for ph, want := range map[string]int{a: 2, b: 1} {
		if chats, _ := id.Chats(ctx, ph); len(chats) != want {
			t.Errorf("%s has chats %+v, want %d", ph, chats, want)
		}
	}
	if rep, _ := id.Reindex(ctx); rep.Added+rep.Removed != 0 {
		t.Errorf("second reindex = %+v, want nothing to do", rep)
	}
}

// TestARevocationCutShortLinksNoOne: revoking marks the token before it
// drops the person's pointer to it (another slot); cut short between the
// two, the token links no one and Token hands out a new one.
func TestARevocationCutShortLinksNoOne(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBIdentity, nil)
	id := identity.New(rdb)
	const phone = "+919018159083"
	tok, err := id.Token(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	hook := &failCmd{fail: map[string]bool{"del": true}}
	rdb.AddHook(hook)
	if _, _, err := id.Revoke(ctx, phone); !errors.Is(err, errCrash) {
		t.Fatalf("revoke = %v, want the crash", err)
	}
	hook.fail = nil
	if _, err := id.Redeem(ctx, tok, "telegram", "9"); !errors.Is(err, identity.ErrRevokedToken) {
		t.Errorf("the half-revoked token redeemed: %v, want ErrRevokedToken", err)
	}
	fresh, err := id.Token(ctx, phone)
	if err != nil || fresh == tok || fresh == "" {
		t.Errorf("token after a cut-short revocation = %q, %v; want a new one (not %q)", fresh, err, tok)
	}
	if got, err := id.Redeem(ctx, fresh, "telegram", "9"); got != phone || err != nil {
		t.Errorf("the new token redeemed = %q, %v; want %s", got, err, phone)
	}
}
