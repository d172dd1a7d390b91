package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestKeptFiles(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	files := store.NewFiles(rdb)

	data := []byte("%PDF-1.4 कार्यक्रम")
	id, err := files.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if id != "sha256:"+hex.EncodeToString(sum[:]) || !store.IsFileRef(id) {
		t.Fatalf("id %q, want the content's sha256", id)
	}
	if got, err := files.Get(ctx, id); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if ttl := rdb.TTL(ctx, "saathi:file:"+id[len("sha256:"):]).Val(); ttl < store.KeptFileTTL-time.Minute {
		t.Fatalf("kept for %v, want %v", ttl, store.KeptFileTTL)
	}
	// The same bytes again: the same id, the time renewed.
	rdb.Expire(ctx, "saathi:file:"+id[len("sha256:"):], time.Hour)
	if again, err := files.Put(ctx, data); err != nil || again != id {
		t.Fatalf("second Put = %q, %v; want %q", again, err, id)
	}
	if ttl := rdb.TTL(ctx, "saathi:file:"+id[len("sha256:"):]).Val(); ttl < store.KeptFileTTL-time.Minute {
		t.Fatalf("kept again for %v, want it renewed to %v", ttl, store.KeptFileTTL)
	}

	// What each channel calls it.
	if native, err := files.ChannelID(ctx, id, "whatsapp"); err != nil || native != "" {
		t.Fatalf("whatsapp id before any: %q, %v", native, err)
	}
	if err := files.SetChannelID(ctx, id, "telegram", "BQACAgIAAxkB"); err != nil {
		t.Fatal(err)
	}
	if native, err := files.ChannelID(ctx, id, "telegram"); err != nil || native != "BQACAgIAAxkB" {
		t.Fatalf("telegram id %q, %v", native, err)
	}
	if native, _ := files.ChannelID(ctx, id, "whatsapp"); native != "" {
		t.Fatalf("whatsapp id %q: channels must not share ids", native)
	}

	// Too large, unknown, not a kept file's id.
	if _, err := files.Put(ctx, make([]byte, store.MaxKeptFile+1)); !errors.Is(err, store.ErrFileTooLarge) {
		t.Fatalf("Put of a too large file: %v", err)
	}
	other := sha256.Sum256([]byte("other"))
	if _, err := files.Get(ctx, "sha256:"+hex.EncodeToString(other[:])); !errors.Is(err, store.ErrFileNotKept) {
		t.Fatalf("Get of an unknown file: %v", err)
	}
	for _, bad := range []string{"BQACAgIAAxkB", "sha256:abc", "wa:CgQ", "sha256:" + string(bytes.Repeat([]byte("z"), 64))} {
		if store.IsFileRef(bad) {
			t.Errorf("IsFileRef(%q) = true", bad)
		}
		if _, err := files.Get(ctx, bad); !errors.Is(err, store.ErrFileNotKept) {
			t.Errorf("Get(%q) = %v, want ErrFileNotKept", bad, err)
		}
	}
}
