package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// Chats noted with TouchChatMenus are taken once, by their channel's
// keeper, a batch at a time; other channels' are dropped.
func TestTouchedChatMenus(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	if err := store.TouchChatMenus(ctx, rdb, "telegram", "5001", "5002", "5001"); err != nil {
		t.Fatal(err)
	}
	if err := store.TouchChatMenus(ctx, rdb, "whatsapp", "919018159083"); err != nil {
		t.Fatal(err)
	}
	if err := store.TouchChatMenus(ctx, rdb, "telegram"); err != nil { // nothing to note
		t.Fatal(err)
	}
	menus := store.NewChatMenus(rdb, "telegram")
	var got []string
	for range 3 {
		users, err := menus.Touched(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, users...)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"5001", "5002"}) {
		t.Fatalf("touched telegram chats %q, want 5001 and 5002 once each", got)
	}
	if n := rdb.Exists(ctx, "saathi:chatmenus:touched").Val(); n != 0 {
		t.Fatal("the whatsapp chat was left in the set")
	}
}
