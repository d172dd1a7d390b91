package services_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// commandNames keeps the name of every command sent.
type commandNames struct {
	mu    sync.Mutex
	names []string
}

func (h *commandNames) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *commandNames) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.add(cmd)
		return next(ctx, cmd)
	}
}

func (h *commandNames) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			h.add(c)
		}
		return next(ctx, cmds)
	}
}

func (h *commandNames) add(c redis.Cmder) {
	h.mu.Lock()
	h.names = append(h.names, c.Name())
	h.mu.Unlock()
}

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
	h := &commandNames{}
	f.rdb.AddHook(h)
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
	if len(h.names) == 0 {
		t.Fatal("the calls sent no command at all")
	}
	for _, n := range slices.Compact(slices.Sorted(slices.Values(h.names))) {
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
