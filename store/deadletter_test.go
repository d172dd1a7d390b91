package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestDeadLettersAddListGetDrop(t *testing.T) {
	ctx := context.Background()
	dl := store.NewDeadLetters(storetest.Redis(t, storetest.DBStore, nil))
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a := flows.Input{Channel: "telegram", User: "1001", ID: "17", Text: "नमस्ते"}
	b := flows.Input{Channel: "whatsapp", User: "919018159083", ID: "ABC", Choice: "feedback.rating:1@t1"}
	idA, err := dl.Add(ctx, a, "redis: connection refused", 4, t0)
	if err != nil {
		t.Fatal(err)
	}
	idB, err := dl.Add(ctx, b, "service down", 3, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if idA != store.LetterID("telegram", "1001", "17") || idA == idB {
		t.Fatalf("ids %q %q", idA, idB)
	}
	// The same message set aside again keeps its id and first time, adds its attempts.
	if id, err := dl.Add(ctx, a, "still refused", 2, t0.Add(2*time.Minute)); err != nil || id != idA {
		t.Fatalf("second add: %q, %v", id, err)
	}
	list, err := dl.List(ctx, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	got := list[0] // the latest failure first
	if got.ID != idA || got.Attempts != 6 || got.Error != "still refused" || !got.First.Equal(t0) || !got.At.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("letter %+v", got)
	}
	if got.Input.Text != "नमस्ते" || got.Input.Channel != "telegram" || got.Input.User != "1001" || got.Input.ID != "17" {
		t.Fatalf("raw input not kept: %+v", got.Input)
	}
	if l, err := dl.Get(ctx, idB); err != nil || l.Input != b || l.Attempts != 3 {
		t.Fatalf("get: %+v, %v", l, err)
	}
	if l, err := dl.List(ctx, 1); err != nil || len(l) != 1 {
		t.Fatalf("list 1: %+v, %v", l, err)
	}
	if err := dl.Drop(ctx, idB); err != nil {
		t.Fatal(err)
	}
	if _, err := dl.Get(ctx, idB); !errors.Is(err, store.ErrNoLetter) {
		t.Fatalf("get after drop: %v", err)
	}
	if err := dl.Drop(ctx, idB); !errors.Is(err, store.ErrNoLetter) {
		t.Fatalf("second drop: %v", err)
	}
	if list, _ := dl.List(ctx, 0); len(list) != 1 || list[0].ID != idA {
		t.Fatalf("after drop: %+v", list)
	}
}

func TestDeadLettersRetryAndTake(t *testing.T) {
	ctx := context.Background()
	dl := store.NewDeadLetters(storetest.Redis(t, storetest.DBStore, nil))
	in := flows.Input{Channel: "telegram", User: "1001", ID: "17", Text: "हाँ"}
	id, err := dl.Add(ctx, in, "boom", 4, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := dl.Retry(ctx, "nosuch"); !errors.Is(err, store.ErrNoLetter) {
		t.Fatalf("retry of an unknown id: %v", err)
	}
	if _, ok, err := dl.Take(ctx, 10*time.Millisecond); ok || err != nil {
		t.Fatalf("take with nothing queued: %v, %v", ok, err)
	}
	if err := dl.Retry(ctx, id); err != nil {
		t.Fatal(err)
	}
	l, ok, err := dl.Take(ctx, time.Second)
	if err != nil || !ok || l.ID != id || l.Input != in {
		t.Fatalf("take: %+v, %v, %v", l, ok, err)
	}
	// Taken is not gone: it stays until it is applied and dropped.
	if _, err := dl.Get(ctx, id); err != nil {
		t.Fatalf("taken letter not kept: %v", err)
	}
	// Queued, then dropped by the operator: nothing to take.
	if err := dl.Retry(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := dl.Drop(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := dl.Take(ctx, time.Second); ok || err != nil {
		t.Fatalf("take of a dropped letter: %v, %v", ok, err)
	}
}
