package identity_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

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
