package services_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot/services"
	"github.com/saathi-bot/saathi/store/broadcast"
	"github.com/saathi-bot/saathi/store/roster"
)

// commands counts the commands sent that match.
type commands struct {
	match func(redis.Cmder) bool
	n     atomic.Int64
}

func (h *commands) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *commands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.count(cmd)
		return next(ctx, cmd)
	}
}

func (h *commands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			h.count(c)
		}
		return next(ctx, cmds)
	}
}

func (h *commands) count(cmd redis.Cmder) {
	if h.match(cmd) {
		h.n.Add(1)
	}
}

// scans counts the commands that walk the keyspace (SCAN, KEYS): what a
// whole-roster read does.
func scans() *commands {
	return &commands{match: func(cmd redis.Cmder) bool {
		n := strings.ToLower(cmd.Name())
		return n == "scan" || n == "keys"
	}}
}

// TestRecordPlacesAndNoticesReadNoWholeRoster: the places a survey offers
// and whom a new record is told to come from the roster's indexes: the
// right places and people, and no command walks the keyspace.
func TestRecordPlacesAndNoticesReadNoWholeRoster(t *testing.T) {
	f := setup(t)
	now := time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	f.link(t, tg("1"), sarita)
	f.link(t, tg("2"), bmm)
	f.link(t, tg("3"), admin)
	h := scans()
	f.rdb.AddHook(h)

	for _, tc := range []struct {
		who    chat
		level  string
		status string
		want   string
	}{
		{tg("1"), "", "one", sonbhdr}, // her division's one district
		{tg("2"), "body", "many", "ग्राम पंचायत बिठूर कला|ग्राम पंचायत भोगनीपुर|ग्राम पंचायत मैथा|ग्राम पंचायत रसूलपुर|ग्राम पंचायत सरवनखेड़ा"},
		{tg("2"), "district", "one", "कानपुर देहात"}, // the district above his block
		{tg("3"), "division", "many", "कानपुर|मिर्जापुर|लखनऊ"},
	} {
		res := f.call(t, tc.who, "place.choices", now, map[string]string{"level": tc.level})
		got := res.Fields["place"] + res.Fields["places"]
		if res.Status != tc.status || got != tc.want {
			t.Errorf("place.choices at %q as %s: %s %q, want %s %q", tc.level, tc.who.user, res.Status, got, tc.status, tc.want)
		}
	}

	for _, tc := range []struct {
		place, level, to string
		told             string
	}{
		{anpara, "body", "body", "1"},          // its executive officer
		{"मैथा", "block", "district", "1"},     // the district's mission manager
		{sonbhdr, "district", "district", "1"}, // no district coordinator: the admin
	} {
		res := f.call(t, tg("1"), "record.notify", now, map[string]string{
			"kind": "jjm_problem", "number": "7", "place": tc.place, "place_level": tc.level, "to": tc.to,
		})
		if res.Status != "ok" || res.Fields["told"] != tc.told {
			t.Errorf("record.notify of %s to the %s level: %s told %q, want %s", tc.place, tc.to, res.Status, res.Fields["told"], tc.told)
		}
	}
	if n := h.n.Load(); n != 0 {
		t.Errorf("%d SCAN or KEYS commands, want none (a whole-roster read)", n)
	}
}

// TestBroadcastTextIsKeptOnce: the copies of a broadcast queued for its
// recipients do not carry its text; each copy's flow reads it from the
// broadcast (broadcast.content).
func TestBroadcastTextIsKeptOnce(t *testing.T) {
	f := setup(t)
	now := time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	text := "कल सुबह 11 बजे ब्लॉक कार्यालय में बैठक है। सब लोग समय पर आएँ।"
	b, err := f.svc.Broadcast(f.ctx, roster.Scope{Level: roster.LevelAll}, services.Audience{Filter: "body=" + anpara}, text, "कमला तिवारी",
		broadcast.Broadcast{CreatedBy: admin}, now)
	if err != nil || b.Total == 0 {
		t.Fatalf("broadcast: %+v %v", b, err)
	}
	msgs, err := f.rdb.XRange(f.ctx, "saathi:events", "-", "+").Result()
	if err != nil || len(msgs) < b.Total {
		t.Fatalf("%d events (%v), want %d copies", len(msgs), err, b.Total)
	}
	for _, m := range msgs {
		if e, _ := m.Values["e"].(string); strings.Contains(e, "ब्लॉक कार्यालय") {
			t.Fatalf("a copy carries the text: %s", e)
		}
	}
	f.link(t, tg("1"), sarita)
	res := f.call(t, tg("1"), "broadcast.content", now, map[string]string{"broadcast": b.ID})
	if res.Status != "ok" || res.Fields["text"] != text {
		t.Errorf("broadcast.content: %s %q, want ok and the text", res.Status, res.Fields["text"])
	}
}
