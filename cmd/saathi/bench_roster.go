package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saathi-bot/saathi/locales"
	"github.com/saathi-bot/saathi/store/roster"
	"github.com/saathi-bot/saathi/store/roster/rostergen"
)

// benchRoster puts rostergen's n people on the roster (again: an import of
// the same people changes nothing) and measures what reads the roster:
// selections of about a thousand people, the minute loop, and Redis's
// memory per person. Everything goes to w.
func (a *app) benchRoster(ctx context.Context, n int, w, tty io.Writer) error {
	r := a.svc.Roster
	pr := newProgress(tty, a.cat, "en")
	start := time.Now()
	var res roster.Result
	batch := make([]roster.Person, 0, roster.ImportBatch)
	flush := func() error {
		got, err := r.ImportWith(ctx, batch, roster.ImportOptions{})
		res.Added, res.Updated, res.Unchanged = res.Added+got.Added, res.Updated+got.Updated, res.Unchanged+got.Unchanged
		batch = batch[:0]
		pr.update(res.Added+res.Updated+res.Unchanged, n)
		return err
	}
	for p := range rostergen.People(n, 1) {
		if batch = append(batch, p); len(batch) == roster.ImportBatch {
			if err := flush(); err != nil {
				return fmt.Errorf("bench: roster: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("bench: roster: %w", err)
	}
	pr.done()
	took := time.Since(start)
	fmt.Fprintf(w, "roster                   %d people (%d new, %d updated, %d unchanged) in %.1f s, %.0f people/s\n",
		n, res.Added, res.Updated, res.Unchanged, took.Seconds(), float64(n)/took.Seconds())
	if mem, keys, err := a.redisMemory(ctx); err == nil {
		fmt.Fprintf(w, "redis memory             %d B used, %d keys: %.0f B per rostered person (all of this Redis's data)\n", mem, keys, float64(mem)/float64(n))
	}

	// Selections: a block of one district (about 1,300 people), the
	// pradhans of a district (about 80), and a district's SHG members.
	division, district := rostergen.District(n / 2)
	block := rostergen.Block(n / 2)
	for _, f := range []string{
		"block=" + block + ",district=" + district,
		"role=pradhan,district=" + district,
		"role=shg_member,division=" + division + ",block=" + block,
		"designation=bdo",
	} {
		filter, err := roster.ParseFilter(f)
		if err != nil {
			return err
		}
		var times []time.Duration
		var found int
		rt0, took0 := a.rt.Count(), a.rt.Took()
		const runs = 20
		for range runs {
			t0 := time.Now()
			people, err := r.Select(ctx, filter)
			if err != nil {
				return fmt.Errorf("bench: select %s: %w", f, err)
			}
			times = append(times, time.Since(t0))
			found = len(people)
		}
		slices.Sort(times)
		fmt.Fprintf(w, "select                   %-60s %5d people: p50 %.1f ms, max %.1f ms, %d round trips, %.1f ms in Redis each\n",
			f, found, ms(times[runs/2]), ms(times[runs-1]), (a.rt.Count()-rt0)/runs, ms((a.rt.Took()-took0)/runs))
	}

	// The minute loop at 10:30 IST (SHG reminders run from 10:00), with
	// this Redis's trainings and report periods.
	now := time.Date(2026, 12, 1, 10, 30, 0, 0, locales.IST)
	var loop []time.Duration
	rt0, took0 := a.rt.Count(), a.rt.Took()
	for range 5 {
		t0 := time.Now()
		a.everyMinute(ctx, now)
		loop = append(loop, time.Since(t0))
	}
	slices.Sort(loop)
	fmt.Fprintf(w, "minute loop              p50 %.1f ms, max %.1f ms, %d round trips, %.1f ms in Redis a minute\n",
		ms(loop[2]), ms(loop[4]), (a.rt.Count()-rt0)/5, ms((a.rt.Took()-took0)/5))

	// Approvers of a registration, as registering asks.
	t0 := time.Now()
	coords, err := r.CoordinatorsOf(ctx, roster.Person{Division: division, District: district, Block: block, Body: "ग्राम पंचायत रामपुर"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "approvers                %d coordinators of a block in %.1f ms\n", len(coords), ms(time.Since(t0)))
	runtime.GC()
	return nil
}

// redisMemory is Redis's used_memory and key count.
func (a *app) redisMemory(ctx context.Context) (used int64, keys int64, err error) {
	info, err := a.rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			used, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	keys, err = a.rdb.DBSize(ctx).Result()
	return used, keys, err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
