package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// TestFailingUserIsSetAsideAndOthersFlow: Redis fails for one user only.
// Their message is tried a few times, set aside with its input and error,
// counted, and they are told (in their language) to send it again; Handle
// returns nil, and the other users' messages are applied meanwhile. Healed,
// the operator's retry applies it once and the letter goes.
func TestFailingUserIsSetAsideAndOthersFlow(t *testing.T) {
	ctx := context.Background()
	fault := &storetest.Fault{}
	rdb := storetest.Redis(t, storetest.DBBot, nil)
	rdb.AddHook(fault)
	st := store.New(rdb, time.Hour)
	rec := newRecorder()
	metrics := bot.NewMetrics(prometheus.NewRegistry())
	d, err := bot.NewDispatcher(bot.Options{
		Engine: newFixture(t).engine, Store: st, Senders: map[string]bot.Sender{"test": rec}, Metrics: metrics,
		RetryBudget: 500 * time.Millisecond, RetryBackoff: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(ctx) })

	fault.Fail("bad")
	fault.Fail("bad-en")
	start := time.Now()
	if err := d.Handle(ctx, msg("bad", "m1", "नमस्ते")); err != nil {
		t.Fatalf("a message set aside is taken: Handle returned %v", err)
	}
	took := time.Since(start)
	en := msg("bad-en", "m1", "hello")
	en.Lang = "en"
	if err := d.Handle(ctx, en); err != nil {
		t.Fatal(err)
	}
	for u := range 20 {
		if err := d.Handle(ctx, msg(fmt.Sprint("ok", u), "m1", "नमस्ते")); err != nil {
			t.Fatalf("user ok%d: %v", u, err)
		}
	}
	if took > 2*time.Second { // the budget is 0.5 s; generous for a loaded machine
		t.Fatalf("a failing message held its caller %v", took)
	}
	for _, u := range []string{"bad", "bad-en"} {
		d.Flush(ctx, "test", u)
	}
	for u := range 20 {
		d.Flush(ctx, "test", fmt.Sprint("ok", u))
		if got := rec.texts(fmt.Sprint("ok", u)); len(got) != 1 || !strings.Contains(got[0], "मैं साथी हूँ") {
			t.Fatalf("user ok%d got %q", u, got)
		}
	}
	if got := rec.texts("bad"); len(got) != 1 || !strings.Contains(got[0], "कुछ गड़बड़ हो गई") || !strings.Contains(got[0], "फिर से भेज") {
		t.Fatalf("the failing user was told %q", got)
	}
	if got := rec.texts("bad-en"); len(got) != 1 || !strings.Contains(got[0], "something went wrong") {
		t.Fatalf("the failing English user was told %q", got)
	}
	if n := counter(t, metrics.DeadLetters.WithLabelValues("test")); n != 2 {
		t.Fatalf("saathi_deadletters_total %v, want 2", n)
	}
	dl := store.NewDeadLetters(rdb)
	letters, err := dl.List(ctx, 0)
	if err != nil || len(letters) != 2 {
		t.Fatalf("dead letters %+v, %v", letters, err)
	}
	l, err := dl.Get(ctx, store.LetterID("test", "bad", "m1"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Input != msg("bad", "m1", "नमस्ते") || l.Attempts < 2 || !strings.Contains(l.Error, storetest.ErrInjected.Error()) {
		t.Fatalf("letter %+v", l)
	}
	if v := st.Client().Exists(ctx, store.ConversationKey("test", "bad")).Val(); v != 0 {
		t.Fatal("the failing user's conversation was written")
	}

	// Healed, the operator retries it: applied once, the letter dropped,
	// and the user is not apologised to again.
	fault.Heal("bad")
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.RunRetries(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	if err := dl.Retry(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := dl.Get(ctx, l.ID); errors.Is(err, store.ErrNoLetter) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the retried letter was not applied")
		}
		time.Sleep(10 * time.Millisecond)
	}
	d.Flush(ctx, "test", "bad")
	if got := rec.texts("bad"); len(got) != 2 || !strings.Contains(got[1], "मैं साथी हूँ") {
		t.Fatalf("after the retry the user got %q", got)
	}
	if s, _ := st.Load(ctx, "test", "bad"); s.Version != 1 {
		t.Fatalf("applied to version %d, want 1", s.Version)
	}
	// Retried while still failing: set aside again under its id, attempts added.
	before, _ := dl.Get(ctx, store.LetterID("test", "bad-en", "m1"))
	if err := d.Redo(ctx, before); err != nil {
		t.Fatal(err)
	}
	after, err := dl.Get(ctx, before.ID)
	if err != nil || after.Attempts <= before.Attempts || !after.First.Equal(before.First) {
		t.Fatalf("letter before %+v, after %+v (%v)", before, after, err)
	}
	d.Flush(ctx, "test", "bad-en")
	if got := rec.texts("bad-en"); len(got) != 1 {
		t.Fatalf("told again after an operator's retry: %q", got)
	}
}

// counter reads a counter's value.
func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
