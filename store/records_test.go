package store_test

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// Records a flow saved are numbered apart, their status changed with a log
// of every change, and a record that is not there is not made by an update.
func TestRecordsFollowUp(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	st, recs := store.New(rdb, 0), store.NewRecords(rdb)
	for i := range 2 {
		n, err := recs.NextNumber(ctx, "jjm_problem")
		if err != nil || n != int64(i+1) {
			t.Fatalf("number %d: %d, %v", i+1, n, err)
		}
		key := []string{"1", "2"}[i]
		if _, err := st.Commit(ctx, store.Commit{Channel: "telegram", User: "1", MsgID: key, Expected: int64(i), State: flows.State{Version: int64(i + 1)},
			Records: []flows.Record{{Kind: "jjm_problem", Key: key, Fields: map[string]string{"kind": "certification", "status": "new"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := recs.Update(ctx, "jjm_problem", "2", map[string]string{"status": "resolved", "resolution": "प्रमाण पत्र जारी"}); !ok || err != nil {
		t.Fatalf("update: %v %v", ok, err)
	}
	if ok, err := recs.Update(ctx, "jjm_problem", "3", map[string]string{"status": "resolved"}); ok || err != nil {
		t.Fatalf("update of a record that is not there: %v %v", ok, err)
	}
	if _, err := recs.Get(ctx, "jjm_problem", "3"); err != nil {
		t.Fatal(err)
	}
	all, err := recs.All(ctx, "jjm_problem")
	if err != nil || len(all) != 2 || all["1"]["status"] != "new" || all["2"]["status"] != "resolved" || all["2"]["kind"] != "certification" {
		t.Fatalf("records %v, %v", all, err)
	}
	if log, err := recs.Log(ctx, "jjm_problem", "2"); err != nil || len(log) != 1 || log[0]["resolution"] != "प्रमाण पत्र जारी" {
		t.Fatalf("log %v, %v", log, err)
	}
	keys := []string{"10", "2", "x", "1", "b:2"}
	sort.Slice(keys, func(i, j int) bool { return store.KeyLess(keys[i], keys[j]) })
	if want := []string{"1", "2", "10", "b:2", "x"}; !slices.Equal(keys, want) {
		t.Errorf("keys in order %q, want %q", keys, want)
	}
}

// A record's change log written before the log moved into the record's
// hash slot is still read, before the changes made since.
func TestRecordLogKeepsTheOldLog(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBStore, nil)
	recs := store.NewRecords(rdb)
	rdb.HSet(ctx, "saathi:rec:jjm_problem:5", "status", "new")
	rdb.RPush(ctx, "saathi:rec:jjm_problem:5:log", `{"status":"seen"}`)
	if ok, err := recs.Update(ctx, "jjm_problem", "5", map[string]string{"status": "done"}); err != nil || !ok {
		t.Fatalf("update: %v %v", ok, err)
	}
	log, err := recs.Log(ctx, "jjm_problem", "5")
	if err != nil || len(log) != 2 || log[0]["status"] != "seen" || log[1]["status"] != "done" {
		t.Fatalf("log = %v, %v; want the old change, then the new", log, err)
	}
}
