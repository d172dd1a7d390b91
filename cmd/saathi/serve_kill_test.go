package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/saathi-bot/saathi/bot/telegram/telegramtest"
	"github.com/saathi-bot/saathi/store"
	"github.com/saathi-bot/saathi/store/storetest"
)

// answerHolder sits between saathi and the fake Bot API and passes
// everything on. It keeps track of the sendMessage requests in flight:
// received, and taken by the fake (which records the message, as Telegram
// would deliver it), but not yet answered. While held, the answers to them
// wait: the messages are out, and the bot does not know it yet.
type answerHolder struct {
	url     string
	forward *httputil.ReverseProxy

	mu      sync.Mutex
	release chan struct{}      // non-nil while holding
	open    map[int64][]string // chat -> texts of its sends in flight
	// received counts the sendMessage requests received whole.
	received int
}

func newAnswerHolder(t *testing.T, target string) *answerHolder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	h := &answerHolder{forward: httputil.NewSingleHostReverseProxy(u), open: map[int64][]string{}}
	h.forward.ErrorLog = log.New(io.Discard, "", 0) // a poll cut short by a kill is no news
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { h.hold(false); srv.Close() })
	return h
}

func (h *answerHolder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/sendMessage") {
		h.forward.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the bot died while sending it: the request never reached Telegram
	}
	form, _ := url.ParseQuery(string(body))
	chat, _ := strconv.ParseInt(form.Get("chat_id"), 10, 64)
	text := form.Get("text")
	h.mu.Lock()
	h.open[chat] = append(h.open[chat], text)
	h.received++
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		if i := slices.Index(h.open[chat], text); i >= 0 {
			h.open[chat] = slices.Delete(h.open[chat], i, i+1)
		}
		if len(h.open[chat]) == 0 {
			delete(h.open, chat)
		}
		h.mu.Unlock()
	}()
	// Telegram delivers a message it has received whole, whether or not
	// the sender is still there to read the answer.
	r = r.WithContext(context.WithoutCancel(r.Context()))
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	answer := httptest.NewRecorder()
	h.forward.ServeHTTP(answer, r)
	h.mu.Lock()
	release := h.release
	h.mu.Unlock()
	if release != nil {
		<-release
	}
	maps.Copy(w.Header(), answer.Header())
	w.WriteHeader(answer.Code)
	w.Write(answer.Body.Bytes())
}

// quiet waits until no sendMessage request has come for 300 ms (at most 10 s).
func (h *answerHolder) quiet() {
	last, still := -1, 0
	for deadline := time.Now().Add(10 * time.Second); still < 3 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		h.mu.Lock()
		n := h.received
		h.mu.Unlock()
		if n == last {
			still++
		} else {
			last, still = n, 0
		}
	}
}

// hold starts or ends holding answers. Ending it returns the sends in
// flight at that moment, by chat.
func (h *answerHolder) hold(on bool) map[int64][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	inFlight := map[int64][]string{}
	for chat, texts := range h.open {
		inFlight[chat] = slices.Clone(texts)
	}
	switch {
	case on && h.release == nil:
		h.release = make(chan struct{})
	case !on && h.release != nil:
		close(h.release)
		h.release = nil
	}
	return inFlight
}

// A registration, as a new person goes through it: what they send, and how
// many messages each answer gets.
var registrationScript = []struct {
	text  func(user int) string
	parts int
}{
	{func(int) string { return "नमस्ते" }, 1},                      // who are you? send your number
	{func(u int) string { return fmt.Sprintf("90181%05d", u) }, 2}, // welcome; your name?
	{func(u int) string { return fmt.Sprint("रमेश ", u) }, 1},      // woman or man?
	{func(int) string { return "नहीं बताना" }, 1},                  // your role?
	{func(int) string { return "1" }, 1},                           // sabhasad; your district?
	{func(int) string { return "सोनभद्र" }, 1},                     // your body?
	{func(int) string { return "नगर पंचायत अनपरा" }, 1},            // your ward?
	{func(u int) string { return strconv.Itoa(1 + u%20) }, 2},      // what you told; is it right?
	{func(int) string { return "हाँ" }, 1},                         // thank you
}

// Issue 11: kill -9 of serve while 120 people register, twice. Every
// message arrives, and a chat gets a message twice only if that message
// was in flight — sent to Telegram and not yet answered — at a kill: a
// reply of two messages cut between them sends only the second again.
func TestServeSIGKILLTwiceMidConversationResendsOnlyTheMessagesInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const users = 120
	fake := telegramtest.NewServer(t)
	// Telegram's limits, but 100 a second overall as TELEGRAM_RATE below,
	// so that the test is quick: a 429 would pause the bot and no send be
	// in flight at a kill.
	fake.SetLimits(telegramtest.Limits{Overall: 100, ChatInterval: time.Second, GroupPerMinute: 20})
	holder := newAnswerHolder(t, fake.URL())
	rdb := storetest.Redis(t, storetest.DBCommand, nil)
	outbox := store.New(rdb, time.Hour)
	addr := freeAddr(t)
	vars := []string{
		"REDIS_URL=" + storetest.URL(t, storetest.DBCommand),
		"TELEGRAM_BOT_TOKEN=" + telegramtest.Token,
		"TELEGRAM_API_ENDPOINT=" + holder.url + "/bot%s/%s",
		"TELEGRAM_POLL_TIMEOUT=1s",
		"TELEGRAM_RATE=100", "TELEGRAM_PAID_BROADCAST=true", // TELEGRAM_CHAT_INTERVAL stays 1s: a reply's two messages are a second apart
		// Each reply a message of its own, so that a kill can land between
		// two messages of one reply (joined, only a file or a long text has two).
		"SAATHI_ONE_MESSAGE_PER_TURN=false",
		"SAATHI_HTTP_ADDR=" + addr,
		"SAATHI_OUTBOX_GRACE=1s",
	}
	chat := func(u int) int64 { return int64(50000 + u) }
	total, multi := 0, 0
	want := make([]int, len(registrationScript)+1) // messages a chat has once it sent i answers
	for i, s := range registrationScript {
		total += s.parts
		want[i+1] = total
		if s.parts > 1 {
			multi++
		}
	}

	// received counts the distinct messages of each chat, and the copies
	// beyond the first of each (a message is its text: every message of
	// the script differs from the others).
	received := func() (distinct, doubled map[int64]int) {
		distinct, doubled = map[int64]int{}, map[int64]int{}
		seen := map[string]bool{}
		for _, m := range fake.Sent() {
			key := fmt.Sprint(m.ChatID, "\x00", m.Text)
			if seen[key] {
				doubled[m.ChatID]++
			} else {
				seen[key] = true
				distinct[m.ChatID]++
			}
		}
		return distinct, doubled
	}

	proc := startServe(t, vars...)
	waitHTTP(t, "http://"+addr+"/readyz", 200)
	answered := make([]int, users) // answers each user has sent
	kills := []int{total * users / 4, total * users * 3 / 5}
	var inFlight []map[int64][]string
	deadline := time.Now().Add(150 * time.Second)
	for {
		distinct, _ := received()
		sum, finished := 0, 0
		for u := range users {
			got := distinct[chat(u)]
			sum += got
			if n := answered[u]; n < len(registrationScript) && got >= want[n] {
				fake.PushText(chat(u), registrationScript[n].text(u))
				answered[u]++
			}
			if got >= total {
				finished++
			}
		}
		if finished == users {
			break
		}
		if len(inFlight) < len(kills) && sum >= kills[len(inFlight)] {
			holder.hold(true)
			// Answers given before the hold are taken in (noted in Redis);
			// every send begun since waits for its answer.
			time.Sleep(500 * time.Millisecond)
			if err := proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			proc.wait(t, 15*time.Second)
			holder.quiet() // requests written before the kill reach the holder
			inFlight = append(inFlight, holder.hold(false))
			proc = startServe(t, vars...)
			waitHTTP(t, "http://"+addr+"/readyz", 200)
			continue
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d kills, %d of %d users finished; %d of %d messages arrived", len(inFlight), finished, users, sum, total*users)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(inFlight) != len(kills) {
		t.Fatalf("killed %d times, want %d", len(inFlight), len(kills))
	}
	// Let the outbox empty, and a wrong late copy (the sweeper runs every
	// half grace) show up.
	for n, err := outbox.OutboxLen(t.Context()); n > 0 || err != nil; n, err = outbox.OutboxLen(t.Context()) {
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d entries (%v)", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)

	distinct, doubled := received()
	lost, doubles, flying, midReply := 0, 0, 0, 0
	for u := range users {
		c := chat(u)
		lost += total - distinct[c]
		if distinct[c] > total {
			t.Errorf("chat %d got %d different messages, want %d", c, distinct[c], total)
		}
		sends := 0 // times this chat had a send in flight at a kill
		for _, at := range inFlight {
			sends += len(at[c])
		}
		doubles += doubled[c]
		if doubled[c] > sends {
			t.Errorf("chat %d got %d messages twice, but had %d in flight at the kills", c, doubled[c], sends)
		}
	}
	for _, at := range inFlight {
		flying += len(at)
		for c, texts := range at {
			if len(texts) > 1 {
				t.Errorf("chat %d had %d sends in flight at once: %q", c, len(texts), texts)
			}
			for _, text := range texts { // the second message of a reply of two
				if strings.Contains(text, "आपका पूरा नाम") || strings.Contains(text, "क्या सब सही है") {
					midReply++
				}
			}
		}
	}
	t.Logf("%d users, %d messages each (%d replies of 2); in flight at the kills: %d and %d chats (%d of them between the two messages of a reply); lost %d, doubled %d",
		users, total, multi, len(inFlight[0]), len(inFlight[1]), midReply, lost, doubles)
	if lost != 0 {
		t.Errorf("%d messages lost", lost)
	}
	if doubles > flying {
		t.Errorf("%d messages doubled, more than the %d sends in flight at the kills", doubles, flying)
	}
	if midReply == 0 {
		t.Errorf("no kill landed between the two messages of a reply: the test did not test what it should")
	}
	// Every registration was saved once.
	if keys, err := outbox.RecordKeys(t.Context(), "pending_person"); err != nil || len(keys) != users {
		t.Errorf("%d registrations saved (%v), want %d", len(keys), err, users)
	}
}
