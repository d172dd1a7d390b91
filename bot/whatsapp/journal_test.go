package whatsapp_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/bot/whatsapp"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// openJournal opens a journal in a SQLite file of the test, as serve does
// in the session database.
func openJournal(t *testing.T, path string) (*whatsapp.Journal, *sql.DB) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	j, err := whatsapp.OpenJournal(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return j, db
}

func pendingIn(t *testing.T, j *whatsapp.Journal) int {
	t.Helper()
	n, err := j.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFailedMessageIsJournaledAndAppliedOnceInOrder: a message whose
// Handle fails is kept in the journal (not read, not lost); the chat's next
// message queues behind it; once the handler recovers both are applied,
// once each and in order, and read.
func TestFailedMessageIsJournaledAndAppliedOnceInOrder(t *testing.T) {
	j, _ := openJournal(t, filepath.Join(t.TempDir(), "wa.db"))
	h := &recorder{fail: 3}
	a, f := newAdapter(t, h, func(c *whatsapp.Config) { c.Journal = j; c.RetryBackoff = 20 * time.Millisecond })
	first := message(pn(sarita), text("नमस्ते"))
	second := message(pn(sarita), text("9018159083"))
	a.HandleEvent(first)
	if n := pendingIn(t, j); n != 1 {
		t.Fatalf("journal holds %d right after the failure, want 1", n)
	}
	if r := f.reads(); len(r) != 0 {
		t.Fatalf("a message not applied was marked read: %v", r)
	}
	a.HandleEvent(second)
	deadline := time.Now().Add(5 * time.Second)
	for len(h.inputs()) < 2 || pendingIn(t, j) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("applied %+v; %d still in the journal", h.inputs(), pendingIn(t, j))
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // no second application comes
	got := h.inputs()
	if len(got) != 2 || got[0].ID != first.Info.ID || got[1].ID != second.Info.ID {
		t.Fatalf("applied %+v, want the two messages once each, in order", got)
	}
	if r := f.reads(); len(r) != 2 || r[0] != first.Info.ID || r[1] != second.Info.ID {
		t.Fatalf("read receipts %v", r)
	}
}

// TestJournalSurvivesARestart: the handler never recovers before Close; a
// new adapter on the same journal applies the message.
func TestJournalSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wa.db")
	j, _ := openJournal(t, path)
	down := &recorder{fail: 1 << 30}
	a, _ := newAdapter(t, down, func(c *whatsapp.Config) { c.Journal = j })
	m := message(pn(sarita), text("हाँ"))
	a.HandleEvent(m)
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := pendingIn(t, j); n != 1 {
		t.Fatalf("journal holds %d after Close, want 1", n)
	}
	j2, _ := openJournal(t, path)
	up := &recorder{}
	newAdapter(t, up, func(c *whatsapp.Config) { c.Journal = j2 })
	deadline := time.Now().Add(5 * time.Second)
	for pendingIn(t, j2) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the kept message was not applied after the restart")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := up.inputs(); len(got) != 1 || got[0].ID != m.Info.ID || got[0].Text != "हाँ" {
		t.Fatalf("applied %+v", got)
	}
}

// TestRedisDownThenBackAppliesOnce: the real dispatcher on a Redis that is
// down for everyone (so not even a dead letter can be written): the message
// is kept in the journal; Redis back, it is applied exactly once — one
// conversation step, one reply — and nothing is dead-lettered.
func TestRedisDownThenBackAppliesOnce(t *testing.T) {
	ctx := context.Background()
	fault := &storetest.Fault{}
	rdb := storetest.Redis(t, dbWhatsApp, nil)
	rdb.AddHook(fault)
	j, _ := openJournal(t, filepath.Join(t.TempDir(), "wa.db"))
	fake := newFake()
	wa := whatsapp.New(whatsapp.Config{Client: fake, Logger: quiet, TypingDelay: -1, RetryBackoff: 50 * time.Millisecond, Journal: j})
	st := store.New(rdb, time.Hour)
	d, err := bot.NewDispatcher(bot.Options{
		Engine: flowstest.Engine(t, nil, nil).WithPlainChannels(whatsapp.Channel), Store: st,
		Senders: map[string]bot.Sender{whatsapp.Channel: wa}, Logger: quiet,
		RetryBudget: 200 * time.Millisecond, RetryBackoff: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	wa.SetHandler(d)
	t.Cleanup(func() { wa.Close(ctx); d.Close(ctx) })

	fault.Down(true)
	m := message(pn(sarita), text("नमस्ते"))
	wa.HandleEvent(m)
	if n := pendingIn(t, j); n != 1 {
		t.Fatalf("journal holds %d with Redis down, want 1", n)
	}
	time.Sleep(300 * time.Millisecond) // a few replay rounds fail meanwhile
	if len(fake.texts(sarita)) != 0 {
		t.Fatalf("answered with Redis down: %q", fake.texts(sarita))
	}
	fault.Down(false)
	deadline := time.Now().Add(10 * time.Second)
	for pendingIn(t, j) > 0 || len(fake.texts(sarita)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not applied after Redis came back: %d in the journal, sent %q", pendingIn(t, j), fake.texts(sarita))
		}
		time.Sleep(10 * time.Millisecond)
	}
	d.Flush(ctx, whatsapp.Channel, sarita)
	time.Sleep(200 * time.Millisecond) // no second application comes
	if s, err := st.Load(ctx, whatsapp.Channel, sarita); err != nil || s.Version != 1 {
		t.Fatalf("conversation at version %d (%v), want 1: applied once", s.Version, err)
	}
	if got := fake.texts(sarita); len(got) != 1 || !strings.Contains(got[0], "मैं साथी हूँ") {
		t.Fatalf("sent %q, want one greeting", got)
	}
	if letters, err := store.NewDeadLetters(rdb).List(ctx, 0); err != nil || len(letters) != 0 {
		t.Fatalf("dead letters %+v, %v", letters, err)
	}
	if r := fake.reads(); len(r) != 1 || r[0] != m.Info.ID {
		t.Fatalf("read receipts %v", r)
	}
}
