package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// classes records the delivery class each reply was handed over with.
type classes struct {
	mu  sync.Mutex
	got map[string][]bot.Class // user -> classes
}

func (c *classes) Send(ctx context.Context, user string, replies []flows.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range replies {
		c.got[user] = append(c.got[user], bot.ClassOf(ctx))
	}
	return nil
}

// Replies to someone who wrote, and an operator's alert, go as
// interactive; replies to other events (a registration's result, like
// broadcast copies and invitations) as bulk, marked in the outbox too.
func TestRepliesCarryTheirClass(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBBot, nil)
	rec := &classes{got: map[string][]bot.Class{}}
	d, err := bot.NewDispatcher(bot.Options{Engine: flowstest.Engine(t, nil, nil), Store: store.New(rdb, time.Hour), Senders: map[string]bot.Sender{"test": rec}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	inputs := []flows.Input{
		{Channel: "test", User: "wrote", ID: "m1", Text: "नमस्ते"},
		{Channel: "test", User: "alerted", ID: "ev:alert", Event: &flows.Event{Flow: "alert", Vars: map[string]string{"channel": "WhatsApp", "reason": "test"}}},
		{Channel: "test", User: "notified", ID: "ev:result", Event: &flows.Event{Flow: "registration_result", Vars: map[string]string{"result": "approved", "name": "सरिता"}}},
	}
	for _, in := range inputs {
		if err := d.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := d.Flush(ctx, in.Channel, in.User); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bot.Class{"wrote": bot.Interactive, "alerted": bot.Interactive, "notified": bot.Bulk}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for user, class := range want {
		if len(rec.got[user]) == 0 {
			t.Errorf("%s got no reply", user)
		}
		for _, c := range rec.got[user] {
			if c != class {
				t.Errorf("%s's reply went as %v, want %v", user, c, class)
			}
		}
	}
}
