package services_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestReadOnlyCallsWriteNothing: the calls the engine may let a duplicate
// message reach (ReadOnly) send Redis no command that writes, whatever
// they are asked: Redis's own command table says which write.
func TestReadOnlyCallsWriteNothing(t *testing.T) {
	f := setup(t)
	table, err := f.rdb.Command(f.ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	f.link(t, tg("1"), sarita)
	f.link(t, tg("2"), bmm)
	f.link(t, tg("3"), admin)
	var mu sync.Mutex
	var names []string
	f.rdb.AddHook(&commands{match: func(c redis.Cmder) bool {
		mu.Lock()
		names = append(names, c.Name())
		mu.Unlock()
		return true
	}})
	now := time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	calls := map[string][]map[string]string{
		"place.match": {
			{"level": "district", "text": "sonbhadra", "save": "district"},
			{"level": "district", "text": "सोनभद्र", "save": "district"},
			{"level": "block|body", "text": "anpra", "save": "body", "within": sonbhdr},
			{"level": "block|body", "text": "कुछ भी", "save": "body", "within": "लखनऊ"},
		},
		"place.choices": {{"level": ""}, {"level": "body"}, {"level": "district"}, {"level": "division"}},
	}
	for name, argsList := range calls {
		if !f.svc.ReadOnly(name) {
			t.Fatalf("%s is not among the read-only calls", name)
		}
		for _, who := range []chat{tg("1"), tg("2"), tg("3"), tg("4")} {
			for _, args := range argsList {
				f.call(t, who, name, now, args)
				now = now.Add(time.Minute) // past the place names' cache: they are read again
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("the calls sent no command at all")
	}
	for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
		info, ok := table[n]
		if !ok || slices.Contains(info.Flags, "write") {
			t.Errorf("a read-only call sent %s, which writes (or Redis does not know it)", n)
		}
	}
	for _, name := range []string{"registration.submit", "training.answer", "person.lookup", "person.link_contact"} {
		if f.svc.ReadOnly(name) {
			t.Errorf("%s is taken for read-only", name)
		}
	}
}
