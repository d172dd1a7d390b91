package delivery

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// BenchmarkLimiterRate measures how close the limiter comes to its limit
// when demand is far above it: SAATHI_BENCH_WAITERS goroutines (default
// 2,000, as many deliveries as serve runs at once) each wait for a token to
// a new chat, for SAATHI_BENCH_SECONDS (default 5) at SAATHI_BENCH_RATE per
// second (default 3,000). It reports the rate achieved, its share of the
// limit, and Redis commands per message.
//
//	REDIS_URL=redis://127.0.0.1:6379 go test -run XXX -bench LimiterRate -benchtime 1x ./bot/delivery/
func BenchmarkLimiterRate(b *testing.B) {
	rate := benchEnv("SAATHI_BENCH_RATE", 3000)
	waiters := benchEnv("SAATHI_BENCH_WAITERS", 2000)
	seconds := benchEnv("SAATHI_BENCH_SECONDS", 5)
	storetest.Redis(b, testDB, nil)
	rt := &store.RoundTrips{}
	rdb, err := store.Open(storetest.URL(b, testDB), rt)
	if err != nil {
		b.Fatal(err)
	}
	defer rdb.Close()
	l := New(rdb, "bench", Limits{
		Overall: redis_rate.Limit{Rate: rate, Period: time.Second, Burst: max(1, rate/20)},
		PerChat: redis_rate.PerSecond(1),
	})
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
		var sent atomic.Int64
		var wg sync.WaitGroup
		before := rt.Count()
		start := time.Now()
		for g := range waiters {
			wg.Go(func() {
				for m := 0; ; m++ {
					if err := l.Wait(ctx, fmt.Sprintf("g%d-m%d", g, m)); err != nil {
						if !errors.Is(err, context.DeadlineExceeded) {
							b.Errorf("wait: %v", err)
						}
						return
					}
					sent.Add(1)
				}
			})
		}
		wg.Wait()
		cancel()
		elapsed := time.Since(start).Seconds()
		n := float64(sent.Load())
		b.ReportMetric(n/elapsed, "msg/s")
		b.ReportMetric(100*n/elapsed/float64(rate), "%-of-limit")
		b.ReportMetric(float64(rt.Count()-before)/n, "redis-calls/msg")
	}
}

func benchEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
