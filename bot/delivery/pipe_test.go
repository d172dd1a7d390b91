package delivery

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// countedClient is a client on the (emptied) test database whose round
// trips are counted.
func countedClient(t *testing.T) (*redis.Client, *store.RoundTrips) {
	t.Helper()
	storetest.Redis(t, testDB, nil)
	rt := &store.RoundTrips{}
	rdb, err := store.Open(storetest.URL(t, testDB), rt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb, rt
}

// Commands given at once by many goroutines share round trips, each gets
// its own reply, and one goroutine's commands keep their order.
func TestPipeSharesRoundTrips(t *testing.T) {
	rdb, rt := countedClient(t)
	p := &pipe{rdb: rdb}
	ctx := context.Background()
	const n = 200
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for g := range n {
		wg.Go(func() {
			<-start
			key := fmt.Sprint("pipe:", g)
			set := redis.NewStatusCmd(ctx, "set", key, g)
			<-p.do(set)
			get := redis.NewStringCmd(ctx, "get", key)
			if err := p.wait(ctx, get); err != nil {
				errs <- err
				return
			}
			if v, err := get.Result(); err != nil || v != fmt.Sprint(g) {
				errs <- fmt.Errorf("goroutine %d read %q, %v after its set", g, v, err)
			}
		})
	}
	before := rt.Count()
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if trips := rt.Count() - before; trips >= n {
		t.Errorf("%d commands from %d goroutines took %d round trips, want them shared", 2*n, n, trips)
	} else {
		t.Logf("%d commands, %d round trips", 2*n, trips)
	}
}

// A command whose caller's context ends is left to run; the caller hears
// of its context.
func TestPipeWaitEndsWithContext(t *testing.T) {
	rdb, _ := countedClient(t)
	p := &pipe{rdb: rdb}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.wait(ctx, redis.NewStatusCmd(ctx, "set", "pipe:x", "1")); err != context.Canceled {
		t.Fatalf("wait with an ended context = %v, want context.Canceled", err)
	}
}

// A batch of bulk sends to different chats costs well under a round trip
// a send: the slots are reserved together, their chats held in one
// pipeline, their ends noted in shared pipelines; and every chat is held
// (then resting) after its send.
func TestBatchedSendsShareRoundTrips(t *testing.T) {
	rdb, rt := countedClient(t)
	l := New(rdb, "tg", Limits{Overall: redis_rate.Limit{Rate: 1000, Period: time.Second}, PerChat: redis_rate.PerSecond(1)})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const n = 400
	before := rt.Count()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			chat := fmt.Sprint("c", i)
			release, err := l.Take(ctx, chat, bot.Bulk)
			if err != nil {
				errs <- err
				return
			}
			if left, err := rdb.PTTL(ctx, l.chatPrefix+chat).Result(); err != nil || left <= time.Second {
				errs <- fmt.Errorf("chat %s held for %v (%v) during its send, want its interval and more", chat, left, err)
			}
			release()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The test's own PTTLs are one a send.
	trips := float64(rt.Count()-before-n) / n
	t.Logf("%.2f round trips a send", trips)
	// How many share a pipeline depends on the machine's timing (0.4–0.9
	// seen); unbatched, the limiter took 3.5.
	if trips > 1.5 {
		t.Errorf("%.2f round trips a send through the limiter, want under 1.5 (3.5 before batching)", trips)
	}
}
