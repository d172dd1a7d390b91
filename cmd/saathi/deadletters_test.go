package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/flows"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

func TestDeadLettersListAndDrop(t *testing.T) {
	ctx := context.Background()
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	vars := map[string]string{"REDIS_URL": storetest.URL(t, storetest.DBCommand)}
	if out, err := runCmd(t, vars, "", "deadletters", "list"); err != nil || out != "कोई अटका संदेश नहीं है।\n" {
		t.Fatalf("empty list (hi): %v\n%s", err, out)
	}
	if out, err := runCmd(t, vars, "", "deadletters", "list", "--lang", "en"); err != nil || !strings.Contains(out, "no dead letters") {
		t.Fatalf("empty list: %v\n%s", err, out)
	}
	dl := store.NewDeadLetters(rdb)
	at := time.Date(2026, 12, 1, 4, 30, 0, 0, time.UTC) // 10:00 IST
	id, err := dl.Add(ctx, flows.Input{Channel: "whatsapp", User: "919018159083", ID: "3EB0", Text: "हाँ"}, "apply message 3EB0 of whatsapp: dial tcp: connection refused\nsecond line", 4, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, vars, "", "deadletters", "list")
	if err != nil || !strings.Contains(out, "कोशिशें") || strings.Contains(out, "ATTEMPTS") || !strings.Contains(out, "2026-12-01 10:00:00") {
		t.Fatalf("list (hi): %v\n%s", err, out)
	}
	out, err = runCmd(t, vars, "", "deadletters", "list", "--lang", "en")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	for _, want := range []string{"ID", "ATTEMPTS", id, "whatsapp", "91********83", "2026-12-01 10:00:00", " 4 ", "connection refused second line"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "919018159083") {
		t.Errorf("list shows the whole number:\n%s", out)
	}

	for _, args := range [][]string{{"deadletters"}, {"deadletters", "show"}, {"deadletters", "drop"}, {"deadletters", "retry", "a", "b"}} {
		if _, err := runCmd(t, vars, "", args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	_, err = runCmd(t, vars, "", "deadletters", "drop", "nosuch")
	if err == nil || !strings.Contains(err.Error(), `"nosuch" नाम का कोई अटका संदेश नहीं है`) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("drop of an unknown id: %v", err)
	}
	if _, err := runCmd(t, vars, "", "deadletters", "retry", "nosuch", "--lang", "en"); err == nil || !strings.Contains(err.Error(), `no dead letter "nosuch"`) {
		t.Fatalf("retry of an unknown id: %v", err)
	}
	if out, err := runCmd(t, vars, "", "deadletters", "drop", "--lang", "en", id); err != nil || !strings.Contains(out, id+" dropped") {
		t.Fatalf("drop: %v\n%s", err, out)
	}
	if out, _ := runCmd(t, vars, "", "deadletters", "list", "--lang", "en"); !strings.Contains(out, "no dead letters") {
		t.Fatalf("after drop:\n%s", out)
	}
}

// TestDeadLetterRetryIsAppliedByServe: `saathi deadletters retry ID` has the
// running serve apply the message once: the user gets its reply, and the
// letter is gone.
func TestDeadLetterRetryIsAppliedByServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	url := storetest.URL(t, storetest.DBCommand)
	id, err := store.NewDeadLetters(rdb).Add(ctx, flows.Input{Channel: "telegram", User: "1001", ID: "77", Text: "नमस्ते"}, "injected", 4, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	startServe(t,
		"REDIS_URL="+url,
		"TELEGRAM_BOT_TOKEN="+telegramtest.Token,
		"TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s",
		"SAATHI_HTTP_ADDR="+addr,
	)
	waitHTTP(t, "http://"+addr+"/readyz", 200)
	vars := map[string]string{"REDIS_URL": url}
	if out, err := runCmd(t, vars, "", "deadletters", "retry", id); err != nil || out != id+" फिर से कतार में है: चालू saathi serve इसे फिर से चलाएगा\n" {
		t.Fatalf("retry: %v\n%s", err, out)
	}
	if sent := fake.WaitSent(t, 1, 15*time.Second); sent[0].ChatID != 1001 || !strings.Contains(sent[0].Text, "मैं साथी हूँ") {
		t.Fatalf("after the retry telegram got %+v", sent)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := store.NewDeadLetters(rdb).Get(ctx, id); errors.Is(err, store.ErrNoLetter) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the applied letter is still listed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st, err := store.New(rdb, time.Hour).Load(ctx, "telegram", "1001"); err != nil || st.Version != 1 {
		t.Fatalf("conversation at version %d (%v), want 1: applied once", st.Version, err)
	}
	time.Sleep(300 * time.Millisecond) // nothing more comes
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("%d messages sent, want 1", n)
	}
}
