// Command exportload fills a Redis with the load of docs/performance.md's
// export figures: n SHGs of one member each (clusters of 10 SHGs, blocks
// of 10 clusters, the blocks spread over 75 districts), a report of each for a period, and n
// jjm_problem records as the JJM survey saves them. It lives under
// testdata so that builds and tests leave it alone; run it by path:
//
//	REDIS_URL=redis://127.0.0.1:6424 go run ./cmd/saathi/testdata/exportload -n 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/saathi-bot/saathi/store/reports"
	"github.com/saathi-bot/saathi/store/roster"
)

func main() {
	n := flag.Int("n", 100000, "SHGs (one member each, a report each) and survey records")
	period := flag.String("period", "2026-12", "the month the reports are for")
	flag.Parse()
	opt, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		log.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	ctx := context.Background()
	start := time.Now()

	r := roster.New(rdb)
	batch := make([]roster.Person, 0, roster.ImportBatch)
	flush := func() {
		if _, err := r.ImportWith(ctx, batch, roster.ImportOptions{}); err != nil {
			log.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range *n {
		cluster := i / 10
		block := cluster / 10
		d := block % 75
		batch = append(batch, roster.Person{
			Name: fmt.Sprintf("सदस्य %d", i), Phone: fmt.Sprintf("+9170%08d", i), Role: roster.RoleSHGMember,
			Division: fmt.Sprintf("मंडल %d", d/4), District: fmt.Sprintf("जनपद %d", d), Block: fmt.Sprintf("विकासखंड %d", block),
			SHG: fmt.Sprintf("स्वयं सहायता समूह %d", i), Cluster: fmt.Sprintf("क्लस्टर %d", cluster), Language: "hi",
		})
		if len(batch) == roster.ImportBatch {
			flush()
		}
	}
	flush()
	log.Printf("%d SHG members on the roster (%s)", *n, time.Since(start).Round(time.Second))

	rs := reports.New(rdb)
	var wg sync.WaitGroup
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < *n; i += 8 {
				rep := reports.Report{SHG: fmt.Sprintf("स्वयं सहायता समूह %d", i), Period: *period, Members: 12, Meetings: 4,
					Savings: int64(1000 + i%5000), Accounts: 9, LoansCount: i % 3, LoansAmount: int64(i % 3 * 10000),
					Nutrition: i%2 == 0, Problem: "बैंक दूर है", By: fmt.Sprintf("+9170%08d", i), At: at}
				if _, err := rs.Submit(ctx, rep); err != nil {
					log.Fatal(err)
				}
			}
		}()
	}
	wg.Wait()
	log.Printf("%d reports for %s (%s)", *n, *period, time.Since(start).Round(time.Second))

	for page := 0; page < *n; page += 1000 {
		pipe := rdb.Pipeline()
		for i := page; i < min(page+1000, *n); i++ {
			key := strconv.Itoa(i + 1)
			pipe.HSet(ctx, "saathi:rec:jjm_problem:"+key, "number", key, "person", fmt.Sprintf("+9170%08d", i), "name", fmt.Sprintf("सदस्य %d", i),
				"district", fmt.Sprintf("जनपद %d", i%75), "kind", "quality", "kind_label", "पानी की गुणवत्ता",
				"details", "तीन गाँवों में पानी खारा है, नल से मटमैला पानी आता है", "since", "एक महीना", "status", "new",
				"_at", at.Format(time.RFC3339))
			pipe.SAdd(ctx, "saathi:rec:jjm_problem", key)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("%d jjm_problem records (%s)", *n, time.Since(start).Round(time.Second))
}
