package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store/storetest"
)

// countWith is how many messages to chat contain want.
func countWith(fake *telegramtest.Server, chat int64, want string) int {
	n := 0
	for _, m := range fake.SentTo(chat) {
		if strings.Contains(m.Text, want) {
			n++
		}
	}
	return n
}

// Someone who writes "बंद करो" gets no broadcast, but the reply to what
// they write next and their training's cancel notice; the training's
// status counts them and the broadcast says it skipped them; "शुरू करो"
// brings broadcasts back.
func TestOptOutStopsBroadcastsNotReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fake := telegramtest.NewServer(t)
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	chats := seedRecipients(t, rdb, 3)
	stopper, others := chats[0], chats[1:]
	url := storetest.URL(t, storetest.DBCommand)
	vars := map[string]string{"REDIS_URL": url}
	p := startServe(t, "REDIS_URL="+url, "TELEGRAM_BOT_TOKEN="+telegramtest.Token, "TELEGRAM_API_ENDPOINT="+fake.URL()+"/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s", "SAATHI_HTTP_ADDR="+freeAddr(t))

	start := time.Now().Add(72*time.Hour).Format("2006-01-02") + "T10:00"
	out, err := runCmd(t, vars, "", "training", "add", "--lang", "en", "--title", "स्वच्छता प्रशिक्षण", "--venue", "सभागार", "--start", start,
		"--invite", "body=नगर पंचायत परीक्षा")
	if err != nil || !strings.Contains(out, "3 invited") {
		t.Fatalf("training add: %v\n%s", err, out)
	}
	id := strings.Fields(out)[0]
	waitEveryChat(t, fake, chats, "प्रशिक्षण का निमंत्रण", 20*time.Second)

	// Mid-question (the invitation waits for an answer), "बंद करो".
	n := len(fake.SentTo(stopper))
	fake.PushText(stopper, "बंद करो")
	waitSentTo(t, fake, stopper, n+1)
	if got := fake.SentTo(stopper)[n].Text; !strings.Contains(got, "शुरू करो") {
		t.Fatalf("the confirmation does not say how to resume: %q", got)
	}

	out, err = runCmd(t, vars, "", "broadcast", "--to", "body=नगर पंचायत परीक्षा", "--text", "कल सफ़ाई अभियान है")
	if err != nil || !strings.Contains(out, "2 लोगों को जा रहा है") || !strings.Contains(out, "1 लोगों ने संदेश बंद किए हैं") {
		t.Fatalf("broadcast: %v\n%s", err, out)
	}
	waitEveryChat(t, fake, others, "कल सफ़ाई अभियान है", 20*time.Second)
	bid := strings.TrimSuffix(strings.Fields(out)[1], ":")
	status, err := runCmd(t, vars, "", "broadcast", "status", bid, "-o", t.TempDir()+"/not-sent.csv")
	if err != nil || !strings.Contains(status, "संदेश बंद किए, नहीं भेजा: 1") || !strings.Contains(status, " IST\n") {
		t.Fatalf("broadcast status: %v\n%s", err, status)
	}
	if lines := strings.Split(strings.TrimSpace(status), "\n"); len(lines) != 4 || !strings.HasSuffix(lines[3], "पंक्तियाँ") {
		t.Fatalf("broadcast status -o printed rows to the terminal too:\n%s", status)
	}

	// Their next message is answered: the invitation's question goes on.
	n = len(fake.SentTo(stopper))
	fake.PushText(stopper, "1") // ✅ आऊँगा
	waitSentTo(t, fake, stopper, n+1)

	out, err = runCmd(t, vars, "", "training", "status", id)
	if err != nil || !strings.Contains(out, "संदेश बंद किए: 1") {
		t.Fatalf("training status: %v\n%s", err, out)
	}

	if out, err := runCmd(t, vars, "", "training", "cancel", id); err != nil || !strings.Contains(out, id+"\tस्वच्छता प्रशिक्षण\tरद्द\t3 लोगों को बता दिया\n") {
		t.Fatalf("training cancel: %v\n%s", err, out)
	}
	waitEveryChat(t, fake, chats, "प्रशिक्षण रद्द हो गया है", 20*time.Second)
	if c := countWith(fake, stopper, "कल सफ़ाई अभियान है"); c != 0 {
		t.Fatalf("the broadcast reached the person who stopped it: %+v", fake.SentTo(stopper))
	}

	n = len(fake.SentTo(stopper))
	fake.PushText(stopper, "शुरू करो")
	waitSentTo(t, fake, stopper, n+1)
	if got := fake.SentTo(stopper)[n].Text; !strings.Contains(got, "फिर से") {
		t.Fatalf("resume: %q", got)
	}
	out, err = runCmd(t, vars, "", "broadcast", "--to", "body=नगर पंचायत परीक्षा", "--text", "परसों बैठक है")
	if err != nil || !strings.Contains(out, "3 लोगों को") || strings.Contains(out, "बंद किए") {
		t.Fatalf("broadcast after resuming: %v\n%s", err, out)
	}
	waitEveryChat(t, fake, chats, "परसों बैठक है", 20*time.Second)

	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t, 15*time.Second)
}
