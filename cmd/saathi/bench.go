package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saathi-bot/saathi/bot"
	"github.com/saathi-bot/saathi/flows"
)

// benchScript is what each simulated user says: a whole registration. The
// second message, their number, is benchPhone(i).
var benchScript = []string{"नमस्ते", "", "राम कुमार", "पुरुष", "1", "सोनभद्र", "नगर पंचायत अनपरा", "५", "हाँ"}

// benchPhone is simulated user i's mobile number.
func benchPhone(i int) string { return fmt.Sprintf("98%08d", i) }

// runBench drives simulated users through the registration flow with the
// real engine, store and dispatcher (replies go to a sender that drops
// them), and prints throughput, transition latency and Redis round trips.
func runBench(ctx context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "bench")
	users := fs.Int("users", 2000, "simulated users, each registering once")
	conc := fs.Int("concurrency", 32, "users talking at the same moment")
	rosterN := fs.Int("roster", 0, "first put this many made-up people on the roster (realistic Hindi names and places), and measure what reads it")
	lang := fs.String("lang", "hi", "language of what it prints: hi or en")
	cfg, err := parseFlags(fs, cfgOf, args)
	if err != nil {
		return err
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	if *users <= 0 {
		return failUsage("cli.err_positive", "flag", "--users")
	}
	if *conc <= 0 {
		return failUsage("cli.err_positive", "flag", "--concurrency")
	}
	if *rosterN < 0 {
		return failUsage("cli.err_not_negative", "flag", "--roster")
	}
	log := cliLogger(e, cfg) // a line per simulated registration would drown the figures
	if cfg.RedisURL == "" {
		log.Warn("no --redis or REDIS_URL: measuring the embedded Redis, which is not what production runs")
	}
	a, err := openApp(ctx, cfg, log, false, true)
	if err != nil {
		return err
	}
	defer a.Close()
	if *rosterN > 0 {
		if err := a.benchRoster(ctx, *rosterN, e.stdout, e.stderr); err != nil {
			return err
		}
	}

	var replies atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, *users*len(benchScript))
	d, err := bot.NewDispatcher(bot.Options{
		Engine: a.engine, Store: a.store, Logger: log, CacheSize: max(*users, 1000),
		JoinReplies: cfg.OneMessagePerTurn, // as serve sends them
		Senders:     map[string]bot.Sender{"bench": countSender{&replies}},
		OnCommit: func(took time.Duration) {
			mu.Lock()
			lat = append(lat, took)
			mu.Unlock()
		},
	})
	if err != nil {
		return err
	}
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range *users {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	rt0 := a.rt.Count()
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range *conc {
		wg.Go(func() {
			for i := range next {
				user := fmt.Sprintf("%s-%d", run, i)
				for n, text := range benchScript {
					if n == 1 {
						text = benchPhone(i)
					}
					in := flows.Input{Channel: "bench", User: user, ID: fmt.Sprintf("%s-%d", user, n), Text: text}
					if err := d.Handle(ctx, in); err != nil {
						failed.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
	if err := d.Close(context.Background()); err != nil {
		return err
	}
	elapsed := time.Since(start)
	trips := a.rt.Count() - rt0
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed.Load() > 0 {
		return fail("cli.err_bench_failed", nil, "n", strconv.FormatInt(failed.Load(), 10))
	}
	done, err := a.checkBench(ctx, run, *users)
	if err != nil {
		return err
	}
	msgs := len(lat)
	slices.Sort(lat)
	ms := func(p float64) string {
		return strconv.FormatFloat(float64(lat[int(p*float64(msgs-1))].Microseconds())/1000, 'f', 2, 64)
	}
	num := strconv.Itoa
	say := func(id string, kv ...string) { fmt.Fprintln(e.stdout, a.cat.Text(*lang, id, pairs(kv))) }
	say("cli.bench_head", "users", num(*users), "script", num(len(benchScript)), "msgs", num(msgs), "conc", num(*conc), "procs", num(runtime.GOMAXPROCS(0)))
	say("cli.bench_done", "done", num(done), "users", num(*users))
	say("cli.bench_replies", "n", strconv.FormatInt(replies.Load(), 10))
	say("cli.bench_elapsed", "seconds", strconv.FormatFloat(elapsed.Seconds(), 'f', 2, 64))
	say("cli.bench_throughput", "n", strconv.FormatFloat(float64(msgs)/elapsed.Seconds(), 'f', 0, 64))
	say("cli.bench_latency", "p50", ms(0.50), "p99", ms(0.99), "max", ms(1))
	say("cli.bench_trips", "per", strconv.FormatFloat(float64(trips)/float64(msgs), 'f', 2, 64), "n", strconv.FormatInt(trips, 10))
	return a.cleanBench(ctx, run, *users)
}

// countSender counts replies and drops them.
type countSender struct{ n *atomic.Int64 }

func (s countSender) Send(_ context.Context, _ string, r []flows.Reply) error {
	s.n.Add(int64(len(r)))
	return nil
}

// checkBench counts the simulated users whose registration was saved.
func (a *app) checkBench(ctx context.Context, run string, users int) (int, error) {
	done := 0
	for i := range users {
		st, err := a.store.Load(ctx, "bench", fmt.Sprintf("%s-%d", run, i))
		if err != nil {
			return 0, err
		}
		if st.Fields["status"] == "pending" {
			done++
		}
	}
	if done != users {
		return done, fail("cli.err_bench_unfinished", nil)
	}
	return done, nil
}

// cleanBench removes what the run wrote.
func (a *app) cleanBench(ctx context.Context, run string, users int) error {
	for i := range users {
		a.rdb.Unlink(ctx, "saathi:registration:+91"+benchPhone(i))
	}
	iter := a.rdb.Scan(ctx, 0, "saathi:*"+run+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 1000 {
			if err := a.rdb.Unlink(ctx, keys...).Err(); err != nil {
				return fmt.Errorf("clean up bench keys: %w", err)
			}
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		if err := a.rdb.Unlink(ctx, keys...).Err(); err != nil {
			return fmt.Errorf("clean up bench keys: %w", err)
		}
	}
	members := a.rdb.SScan(ctx, "saathi:rec:pending_person", 0, "*"+run+"*", 1000).Iterator()
	for members.Next(ctx) {
		a.rdb.SRem(ctx, "saathi:rec:pending_person", members.Val())
	}
	if err := members.Err(); err != nil {
		return fmt.Errorf("clean up bench records: %w", err)
	}
	return iter.Err()
}
