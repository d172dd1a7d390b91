package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestSentOptions(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	sent := store.NewSentOptions(rdb)
	opts := []flows.Option{{Data: "invite.ask:yes@T1", Label: "✅ आऊँगा"}, {Data: "invite.ask:no@T1", Label: "❌ नहीं आ पाऊँगा"}}
	if err := sent.Remember(ctx, "whatsapp", "919018159083", "3EB0AA", opts); err != nil {
		t.Fatal(err)
	}
	got, err := sent.Lookup(ctx, "whatsapp", "919018159083", "3EB0AA")
	if err != nil || !reflect.DeepEqual(got, opts) {
		t.Fatalf("lookup: %v, %v; want %v", got, err, opts)
	}
	// Known only in its own chat and channel; unknown ids are nil.
	for _, k := range [][3]string{{"whatsapp", "919000000001", "3EB0AA"}, {"telegram", "919018159083", "3EB0AA"}, {"whatsapp", "919018159083", "3EB0BB"}, {"whatsapp", "919018159083", ""}} {
		if got, err := sent.Lookup(ctx, k[0], k[1], k[2]); got != nil || err != nil {
			t.Errorf("lookup %v: %v, %v; want nothing", k, got, err)
		}
	}
	if ttl := rdb.TTL(ctx, "saathi:sent:whatsapp:919018159083:3EB0AA").Val(); ttl < store.SentOptionsTTL-time.Minute || ttl > store.SentOptionsTTL {
		t.Errorf("ttl %v, want %v", ttl, store.SentOptionsTTL)
	}
	// A message without options is not remembered.
	if err := sent.Remember(ctx, "whatsapp", "919018159083", "3EB0CC", nil); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, "saathi:sent:whatsapp:919018159083:3EB0CC").Val(); n != 0 {
		t.Errorf("a message without options was remembered")
	}
}
