package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/flows/flowstest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// recorder is a channel that records what it was asked to send. fail, when
// set, decides the outcome of each Send.
type recorder struct {
	mu   sync.Mutex
	sent map[string][]string // user -> texts
	fail func(user string) error
	got  chan struct{}
}

func newRecorder() *recorder {
	return &recorder{sent: map[string][]string{}, got: make(chan struct{}, 1000)}
}

func (r *recorder) Send(_ context.Context, user string, replies []flows.Reply) error {
	if r.fail != nil {
		if err := r.fail(user); err != nil {
			return err
		}
	}
	r.mu.Lock()
	for _, rep := range replies {
		r.sent[user] = append(r.sent[user], rep.Text)
	}
	r.mu.Unlock()
	r.got <- struct{}{}
	return nil
}

func (r *recorder) texts(user string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent[user]...)
}

type fixture struct {
	engine *flows.Engine
	store  *store.Store
	rt     *store.RoundTrips
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	rt := &store.RoundTrips{}
	return &fixture{engine: flowstest.Engine(t, nil, nil), store: store.New(storetest.Redis(t, storetest.DBBot, rt), time.Hour), rt: rt}
}

func (f *fixture) dispatcher(t *testing.T, s bot.Sender, grace time.Duration) *bot.Dispatcher {
	t.Helper()
	d, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": s}, OutboxGrace: grace})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

func msg(user, id, text string) flows.Input {
	return flows.Input{Channel: "test", User: user, ID: id, Text: text}
}

func TestOneUsersMessagesApplyInOrder(t *testing.T) {
	f := newFixture(t)
	rec := newRecorder()
	d := f.dispatcher(t, rec, time.Minute)
	ctx := context.Background()
	script := []string{"नमस्ते", "9018159083", "सरिता", "महिला", "1", "सोनभद्र", "अनपरा", "4", "हाँ"}
	// All at once, from goroutines started in order: the dispatcher queues
	// them in arrival order, so hand each over only after the previous is queued.
	errs := make(chan error, len(script))
	for i, text := range script {
		queued := make(chan struct{})
		go func() {
			close(queued)
			errs <- d.Handle(ctx, msg("u1", fmt.Sprint("m", i), text))
		}()
		<-queued
		time.Sleep(time.Millisecond)
	}
	for range script {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Flush(ctx, "test", "u1"); err != nil {
		t.Fatal(err)
	}
	st, _ := f.store.Load(ctx, "test", "u1")
	if st.Fields["status"] != "pending" || st.Fields["ward"] != "4" || st.Version != int64(len(script)) {
		t.Fatalf("state after the script: %+v", st)
	}
	texts := strings.Join(rec.texts("u1"), "\n")
	if !strings.Contains(texts, "धन्यवाद, सरिता जी") {
		t.Fatalf("replies:\n%s", texts)
	}
}

func TestParallelUsersAndDuplicates(t *testing.T) {
	f := newFixture(t)
	rec := newRecorder()
	d := f.dispatcher(t, rec, time.Minute)
	ctx := context.Background()
	var wg sync.WaitGroup
	for u := range 20 {
		wg.Go(func() {
			user := fmt.Sprint("u", u)
			for i, text := range []string{"नमस्ते", "9018159083", "सरिता " + user} {
				for range 3 { // every message delivered three times
					if err := d.Handle(ctx, msg(user, fmt.Sprint(user, "-", i), text)); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	for u := range 20 {
		user := fmt.Sprint("u", u)
		d.Flush(ctx, "test", user)
		st, _ := f.store.Load(ctx, "test", user)
		if st.Version != 3 || st.Fields["name"] != "सरिता "+user {
			t.Fatalf("%s: %+v (duplicates applied?)", user, st)
		}
		if got := len(rec.texts(user)); got != 4 { // contact question; welcome + name question; role question
			t.Fatalf("%s got %d replies: %v", user, got, rec.texts(user))
		}
	}
}

func TestReplyCommittedBeforeACrashIsSentAfterRestart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// First process: commits, then "crashes" while sending (the send never returns).
	crash, dead := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hang := &recorder{sent: map[string][]string{}, got: make(chan struct{}, 10), fail: func(string) error {
		once.Do(func() { close(crash) })
		<-dead // the process dies here: nothing after this point happens
		return errors.New("dead")
	}}
	d1, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": hang}, SendAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(dead); d1.Close(context.Background()) })
	if err := d1.Handle(ctx, msg("u1", "m1", "नमस्ते")); err != nil {
		t.Fatal(err)
	}
	<-crash
	if n, _ := f.store.OutboxLen(ctx); n != 1 {
		t.Fatalf("outbox holds %d entries at the crash, want 1", n)
	}
	// Second process, fresh memory, same Redis.
	rec := newRecorder()
	d2 := f.dispatcher(t, rec, 50*time.Millisecond)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go d2.Run(runCtx)
	select {
	case <-rec.got:
	case <-time.After(5 * time.Second):
		t.Fatal("reply not delivered after the restart")
	}
	if got := strings.Join(rec.texts("u1"), "\n"); !strings.Contains(got, "अपना नंबर भेजें") {
		t.Fatalf("redelivered: %q", got)
	}
	// And the conversation goes on from where it was, not from the start.
	if err := d2.Handle(ctx, msg("u1", "m2", "9018159083")); err != nil {
		t.Fatal(err)
	}
	d2.Flush(ctx, "test", "u1")
	if got := rec.texts("u1"); !strings.Contains(got[len(got)-1], "आपका पूरा नाम") {
		t.Fatalf("after restart: %v", got)
	}
	waitOutboxEmpty(t, f.store)
}

func waitOutboxEmpty(t *testing.T, s *store.Store) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := s.OutboxLen(context.Background())
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d entries", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestUnreachableUserIsMarkedAndNotRetried(t *testing.T) {
	f := newFixture(t)
	calls := 0
	var mu sync.Mutex
	rec := newRecorder()
	rec.fail = func(string) error {
		mu.Lock()
		calls++
		mu.Unlock()
		return fmt.Errorf("send: %w", bot.ErrUnreachable)
	}
	d := f.dispatcher(t, rec, 50*time.Millisecond)
	ctx := context.Background()
	if err := d.Handle(ctx, msg("u9", "m1", "नमस्ते")); err != nil {
		t.Fatal(err)
	}
	d.Flush(ctx, "test", "u9")
	if ok, _ := f.store.Unreachable(ctx, "test", "u9"); !ok {
		t.Fatal("user not marked unreachable")
	}
	waitOutboxEmpty(t, f.store)
	if n, _ := d.Sweep(ctx); n != 0 {
		t.Fatalf("sweep queued %d entries for an unreachable user", n)
	}
	if calls != 1 {
		t.Fatalf("send tried %d times, want 1", calls)
	}
}

func TestFailedSendStaysInOutboxAndIsRetried(t *testing.T) {
	f := newFixture(t)
	rec := newRecorder()
	down := true
	var mu sync.Mutex
	rec.fail = func(string) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return errors.New("network is down")
		}
		return nil
	}
	d, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": rec}, SendAttempts: 2, OutboxGrace: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	ctx := context.Background()
	if err := d.Handle(ctx, msg("u2", "m1", "नमस्ते")); err != nil {
		t.Fatal(err)
	}
	d.Flush(ctx, "test", "u2")
	if n, _ := f.store.OutboxLen(ctx); n != 1 {
		t.Fatalf("failed delivery left %d outbox entries, want 1", n)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	time.Sleep(30 * time.Millisecond)
	if n, err := d.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep queued %d (%v), want 1", n, err)
	}
	d.Flush(ctx, "test", "u2")
	if got := rec.texts("u2"); len(got) != 1 {
		t.Fatalf("delivered %v", got)
	}
	waitOutboxEmpty(t, f.store)
}

// TestCommitFailureIsReturnedSoTheChannelRetries: with Redis gone for
// everyone not even the dead letter can be written, so Handle fails and
// the channel must not acknowledge the message.
func TestCommitFailureIsReturnedSoTheChannelRetries(t *testing.T) {
	f := newFixture(t)
	d := f.dispatcher(t, newRecorder(), time.Minute)
	f.store.Client().Close() // Redis gone
	err := d.Handle(context.Background(), msg("u3", "m1", "नमस्ते"))
	if err == nil {
		t.Fatal("Handle succeeded with Redis gone")
	}
}

func TestCloseFinishesQueuedWorkThenRefuses(t *testing.T) {
	f := newFixture(t)
	rec := newRecorder()
	d, err := bot.NewDispatcher(bot.Options{Engine: f.engine, Store: f.store, Senders: map[string]bot.Sender{"test": rec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for u := range 10 {
		wg.Go(func() { d.Handle(ctx, msg(fmt.Sprint("c", u), "m1", "नमस्ते")) })
	}
	wg.Wait()
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for u := range 10 {
		if len(rec.texts(fmt.Sprint("c", u))) != 1 {
			t.Fatalf("user c%d not delivered before close returned", u)
		}
	}
	if err := d.Handle(ctx, msg("late", "m1", "नमस्ते")); !errors.Is(err, bot.ErrClosed) {
		t.Fatalf("after close: %v, want ErrClosed", err)
	}
	waitOutboxEmpty(t, f.store)
}

func TestOneRoundTripPerMessageWhenWarm(t *testing.T) {
	f := newFixture(t)
	d := f.dispatcher(t, newRecorder(), time.Minute)
	ctx := context.Background()
	d.Handle(ctx, msg("rt", "m0", "नमस्ते")) // loads the script, fills the cache
	d.Handle(ctx, msg("rt", "m00", "9018159083"))
	d.Flush(ctx, "test", "rt")
	time.Sleep(50 * time.Millisecond) // its ack is sent in the background
	before := f.rt.Count()
	// Answers from which no call follows: name, gender, role (a district's
	// is matched against the roster's places by a call, which costs its own).
	for i, text := range []string{"सरिता", "महिला", "1"} {
		if err := d.Handle(ctx, msg("rt", fmt.Sprint("m", i+1), text)); err != nil {
			t.Fatal(err)
		}
		d.Flush(ctx, "test", "rt")
	}
	d.Close(ctx) // flushes the acks
	// 3 commits + at most 3 acks (batched when busy).
	if n := f.rt.Count() - before; n > 6 {
		t.Fatalf("3 messages took %d round trips", n)
	}
}
